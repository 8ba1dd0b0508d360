/** Whether a variable is a secret (its value kept on each robot) or a plain setting. */
import { IconLock } from "@heptora/web-kit";

export function VariableKind({ secret, note }: { secret: boolean; note?: string }) {
  if (!secret) return <span className="kind">Plain setting</span>;
  return (
    <span className="kind kind-secret">
      <IconLock />
      <span>
        Secret
        {note ? (
          <>
            {" "}
            <span className="kind-note">{note}</span>
          </>
        ) : null}
      </span>
    </span>
  );
}
