/**
 * Modal dialogs on the native <dialog> element: the browser traps focus, closes on Escape and
 * makes the rest of the page inert, so keyboard users get it right for free.
 */
import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from "react";
import { messageOf } from "./api-error.ts";
import { FormError } from "./states.tsx";

export function Dialog({
  title,
  onClose,
  children,
  wide = false,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className={wide ? "dialog dialog-wide" : "dialog"}
      aria-labelledby={titleId}
      onClose={onClose}
    >
      <h2 id={titleId} className="dialog-title">
        {title}
      </h2>
      {children}
    </dialog>
  );
}

/**
 * A form in a dialog whose submit runs `onSubmit`; the dialog shows the error and stays open when
 * it fails, and closes when it succeeds. `claimError` takes an error the form shows itself (e.g.
 * on the field it is about): the dialog then stays open without repeating it above the buttons.
 */
export function FormDialog({
  title,
  submitLabel,
  danger = false,
  onSubmit,
  onClose,
  claimError,
  children,
}: {
  title: string;
  submitLabel: string;
  danger?: boolean;
  onSubmit: () => Promise<void>;
  onClose: () => void;
  claimError?: (cause: unknown) => boolean;
  children: ReactNode;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSubmit();
      onClose();
    } catch (cause) {
      if (claimError?.(cause) !== true) setError(messageOf(cause));
      setBusy(false);
    }
  }

  return (
    <Dialog title={title} onClose={onClose}>
      <form className="dialog-form" onSubmit={submit} noValidate>
        {children}
        <FormError message={error} />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className={danger ? "button button-danger" : "button button-primary"}
            disabled={busy}
          >
            {busy ? "Working…" : submitLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** "Are you sure?": a sentence or two and one action; `danger` for what cannot be undone. */
export function ConfirmDialog({
  title,
  confirmLabel,
  danger = false,
  onConfirm,
  onClose,
  children,
}: {
  title: string;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => Promise<void>;
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <FormDialog
      title={title}
      submitLabel={confirmLabel}
      danger={danger}
      onSubmit={onConfirm}
      onClose={onClose}
    >
      <div className="dialog-body">{children}</div>
    </FormDialog>
  );
}
