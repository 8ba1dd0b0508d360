/** Create a process, or rename and describe one. */
import { Field, FormDialog } from "@heptora/web-kit";
import { useState } from "react";
import { api, seg } from "../../api/client.ts";
import type { ProcessDetail } from "../../api/types.ts";
import { TextArea } from "../../components/field.tsx";

export function ProcessDialog({
  process,
  onSaved,
  onClose,
}: {
  process?: { id: string; name: string; description: string };
  onSaved: (saved: ProcessDetail) => void;
  onClose: () => void;
}) {
  const [name, setName] = useState(process?.name ?? "");
  const [description, setDescription] = useState(process?.description ?? "");

  async function save(): Promise<void> {
    const body = { name: name.trim(), description: description.trim() };
    if (body.name === "") throw new Error("Give the process a name.");
    const saved = process
      ? await api.patch<ProcessDetail>(`/processes/${seg(process.id)}`, body)
      : await api.post<ProcessDetail>("/processes", body);
    onSaved(saved);
  }

  return (
    <FormDialog
      title={process ? `Edit ${process.name}` : "New process"}
      submitLabel={process ? "Save changes" : "Create process"}
      onSubmit={save}
      onClose={onClose}
    >
      <Field
        label="Process name"
        required
        maxLength={100}
        value={name}
        onChange={(e) => setName(e.target.value)}
        help="As your team calls it, e.g. Invoice Processing. Robots run it by this name."
      />
      <TextArea
        label="Description"
        maxLength={1000}
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        help="Optional: what the automation does and who looks after it."
      />
    </FormDialog>
  );
}
