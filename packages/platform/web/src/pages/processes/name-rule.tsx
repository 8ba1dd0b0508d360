/**
 * The variable-name rule, explained where the name is typed, with the fixed name one click away.
 * The platform checks again on save; this only saves a round trip.
 */
import { isValidSecretName, suggestFreeSecretName } from "@heptora/protocol";

export const NAME_RULE =
  "Start with a capital letter; use only A–Z, 0–9 and _ (at most 64 characters), e.g. SAP_PASSWORD.";

/** What is wrong with `name`, with the fixed name unless the process already has it (`taken`). */
export function nameProblem(
  name: string,
  taken: readonly string[] = [],
): { suggestion: string | undefined } | null {
  const trimmed = name.trim();
  if (trimmed === "" || isValidSecretName(trimmed)) return null;
  return { suggestion: suggestFreeSecretName(trimmed, taken) };
}

export function NameSuggestion({
  name,
  taken,
  onUse,
}: {
  name: string;
  taken: readonly string[];
  onUse: (fixed: string) => void;
}) {
  const problem = nameProblem(name, taken);
  if (problem === null) return null;
  return (
    <span className="name-problem">
      <span>'{name.trim()}' does not follow the rule.</span>{" "}
      {problem.suggestion ? (
        <>
          <span>Did you mean '{problem.suggestion}'?</span>{" "}
          <button
            type="button"
            className="button button-small"
            onClick={() => onUse(problem.suggestion ?? "")}
          >
            Use {problem.suggestion}
          </button>
        </>
      ) : null}
    </span>
  );
}
