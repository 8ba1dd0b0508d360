/** Add, edit (rename, describe, secret or not) and delete a process variable. */
import { ConfirmDialog, Field, FormDialog } from "@heptora/web-kit";
import { useState } from "react";
import { ApiError, api, seg } from "../../api/client.ts";
import type { Variable } from "../../api/types.ts";
import { Switch, TextArea } from "../../components/field.tsx";
import { NAME_RULE, NameSuggestion, nameProblem } from "./name-rule.tsx";

const SECRET_HELP_ON =
  "The value is kept encrypted on each robot, never on the platform, and masked in run output.";
const SECRET_HELP_OFF = "A plain setting: the value is still kept on each robot, but not masked.";

/** The platform's refusal of a name, shown on the name field while that name is in it. */
interface NameRefusal {
  name: string;
  message: string;
}

/**
 * Keeps a refusal of the name for the field, so the dialog does not repeat it above its buttons:
 * the error shows once, where the name is typed.
 */
function useNameRefusal() {
  const [refusal, setRefusal] = useState<NameRefusal | null>(null);
  function claim(name: string) {
    return (cause: unknown): boolean => {
      if (!(cause instanceof ApiError)) return false;
      if (cause.code !== "invalid_secret_name" && cause.code !== "variable_name_taken") {
        return false;
      }
      setRefusal({ name, message: cause.message });
      return true;
    };
  }
  return { refusal, claim };
}

function NameError({
  name,
  taken,
  refusal,
  setName,
}: {
  name: string;
  taken: readonly string[];
  refusal: NameRefusal | null;
  setName: (v: string) => void;
}) {
  const problem = nameProblem(name, taken);
  if (refusal !== null && refusal.name === name) {
    return (
      <span className="name-problem">
        <span role="alert">{refusal.message}</span>{" "}
        {problem?.suggestion ? (
          <button
            type="button"
            className="button button-small"
            onClick={() => setName(problem.suggestion ?? "")}
          >
            Use {problem.suggestion}
          </button>
        ) : null}
      </span>
    );
  }
  return problem ? <NameSuggestion name={name} taken={taken} onUse={setName} /> : undefined;
}

function VariableFields({
  name,
  setName,
  description,
  setDescription,
  secret,
  setSecret,
  taken,
  refusal,
}: {
  name: string;
  setName: (v: string) => void;
  description: string;
  setDescription: (v: string) => void;
  secret: boolean;
  setSecret: (v: boolean) => void;
  /** The process's other variables: never suggested as the fix of a bad name. */
  taken: readonly string[];
  refusal: NameRefusal | null;
}) {
  const nameError = NameError({ name, taken, refusal, setName });
  return (
    <>
      <Field
        label="Variable name"
        required
        maxLength={64}
        autoComplete="off"
        spellCheck={false}
        className="field-mono"
        value={name}
        onChange={(e) => setName(e.target.value)}
        help={NAME_RULE}
        error={nameError}
      />
      <TextArea
        label="Variable description"
        rows={2}
        maxLength={1000}
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        help="Optional: what it is for, e.g. “SAP user the robot signs in with”."
      />
      <Switch
        label="Secret"
        checked={secret}
        onChange={setSecret}
        help={secret ? SECRET_HELP_ON : SECRET_HELP_OFF}
      />
    </>
  );
}

export function AddVariableDialog({
  processId,
  taken,
  onSaved,
  onClose,
}: {
  processId: string;
  /** The names of the process's variables. */
  taken: readonly string[];
  onSaved: (v: Variable) => void;
  onClose: () => void;
}) {
  const { refusal, claim } = useNameRefusal();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [secret, setSecret] = useState(true);
  async function save(): Promise<void> {
    const saved = await api.post<Variable>(`/processes/${seg(processId)}/variables`, {
      name: name.trim(),
      secret,
      description: description.trim(),
    });
    onSaved(saved);
  }
  return (
    <FormDialog
      title="Add a variable"
      submitLabel="Add variable"
      onSubmit={save}
      onClose={onClose}
      claimError={claim(name)}
    >
      <VariableFields
        {...{ name, setName, description, setDescription, secret, setSecret, taken, refusal }}
      />
    </FormDialog>
  );
}

export function EditVariableDialog({
  processId,
  variable,
  taken,
  onSaved,
  onClose,
}: {
  processId: string;
  variable: Variable;
  /** The names of the process's variables. */
  taken: readonly string[];
  onSaved: (v: Variable) => void;
  onClose: () => void;
}) {
  const { refusal, claim } = useNameRefusal();
  const [name, setName] = useState(variable.name);
  const [description, setDescription] = useState(variable.description);
  const [secret, setSecret] = useState(variable.secret);
  async function save(): Promise<void> {
    const changes: Partial<Variable> = {};
    if (name.trim() !== variable.name) changes.name = name.trim();
    if (description.trim() !== variable.description) changes.description = description.trim();
    if (secret !== variable.secret) changes.secret = secret;
    if (Object.keys(changes).length === 0) return;
    const saved = await api.patch<Variable>(
      `/processes/${seg(processId)}/variables/${seg(variable.name)}`,
      changes,
    );
    onSaved(saved ?? { ...variable, ...changes });
  }
  return (
    <FormDialog
      title={`Edit ${variable.name}`}
      submitLabel="Save variable"
      onSubmit={save}
      onClose={onClose}
      claimError={claim(name)}
    >
      <VariableFields
        {...{ name, setName, description, setDescription, secret, setSecret, taken, refusal }}
      />
      {name.trim() !== variable.name && nameProblem(name) === null ? (
        <p className="callout">
          Values set on robots move with it: each robot files them under the new name at its next
          sync, with their history. Automations that ask for <code>{variable.name}</code> must be
          changed to ask for <code>{name.trim()}</code>.
        </p>
      ) : null}
    </FormDialog>
  );
}

export function DeleteVariableDialog({
  processId,
  processName,
  variable,
  onDeleted,
  onClose,
}: {
  processId: string;
  processName: string;
  variable: Variable;
  onDeleted: () => void;
  onClose: () => void;
}) {
  return (
    <ConfirmDialog
      danger
      title={`Delete ${variable.name}?`}
      confirmLabel="Delete variable"
      onClose={onClose}
      onConfirm={async () => {
        await api.delete(`/processes/${seg(processId)}/variables/${seg(variable.name)}`);
        onDeleted();
      }}
    >
      <p>
        {processName} will no longer declare <code>{variable.name}</code>: its automations cannot
        read it any more, and robots drop it at their next sync.
      </p>
    </ConfirmDialog>
  );
}
