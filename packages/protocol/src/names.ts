/**
 * The variable-name rule shared by the platform, the robot and the SDKs, with the helpers that
 * turn a near miss into a suggestion ("sap password" -> "SAP_PASSWORD", "SAP_USR" -> "SAP_USER").
 */
import { z } from "zod";
import { safeEcho } from "./echo.ts";
import { HeptoraError } from "./errors.ts";
import { issueCode } from "./validation-errors.ts";

export const SECRET_NAME_PATTERN = /^[A-Z][A-Z0-9_]{0,63}$/;
export const SECRET_NAME_MAX_LENGTH = 64;

export function isValidSecretName(name: string): boolean {
  return SECRET_NAME_PATTERN.test(name);
}

/**
 * The name a user most likely meant, following the rule; undefined when nothing sensible remains.
 *
 * @example
 * suggestSecretName("sap password"); // "SAP_PASSWORD"
 * suggestSecretName("2fa-code");     // "V_2FA_CODE"
 */
export function suggestSecretName(input: string): string | undefined {
  const folded = input
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    // camelCase boundaries become underscores: sapPassword -> sap_Password
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .replace(/_+/g, "_");
  if (folded === "") return undefined;
  const led = /^[A-Z]/.test(folded) ? folded : `V_${folded}`;
  const cut = led.slice(0, SECRET_NAME_MAX_LENGTH).replace(/_+$/, "");
  return isValidSecretName(cut) ? cut : undefined;
}

/**
 * The fixed name for `input`, unless it is one of `taken` (the names already in use where it
 * would go, e.g. the process's variables): suggesting a name that exists would only lead to a
 * second refusal.
 *
 * @example
 * suggestFreeSecretName("sap password", ["SAP_PASSWORD"]); // undefined
 */
export function suggestFreeSecretName(
  input: string,
  taken: Iterable<string> = [],
): string | undefined {
  const suggestion = suggestSecretName(input);
  if (suggestion === undefined) return undefined;
  for (const name of taken) if (name === suggestion) return undefined;
  return suggestion;
}

/**
 * The message for a name that breaks the rule, quoting the input and suggesting the fix (never
 * one of `taken`).
 */
export function invalidSecretNameMessage(input: string, taken: Iterable<string> = []): string {
  const shown = safeEcho(input);
  const suggestion = suggestFreeSecretName(input, taken);
  const rule =
    "Names start with a capital letter and use only A-Z, 0-9 and _ (at most 64 characters).";
  return suggestion === undefined
    ? `'${shown}' is not a valid variable name. ${rule}`
    : `'${shown}' is not a valid variable name. ${rule} Did you mean '${suggestion}'?`;
}

/**
 * The error for a name that breaks the rule, the same from every package that refuses one.
 *
 * @example
 * throw invalidSecretName("sap password"); // invalid_secret_name, "... Did you mean 'SAP_PASSWORD'?"
 */
export function invalidSecretName(input: unknown, taken: Iterable<string> = []): HeptoraError {
  return new HeptoraError("invalid_secret_name", {
    message: invalidSecretNameMessage(typeof input === "string" ? input : String(input), taken),
  });
}

/** Past this many characters a bad name is not quoted or mended: it is only too long. */
const NAME_INPUT_MAX_LENGTH = 200;

/**
 * The one schema for a variable/secret name, used at every boundary. Its issue carries the code
 * `invalid_secret_name` (see validation-errors.ts), so every server answers a bad name with it.
 */
export const SecretNameSchema = z
  .string()
  .trim()
  .refine(isValidSecretName, {
    error: (issue) =>
      String(issue.input).length > NAME_INPUT_MAX_LENGTH
        ? `The name is too long (at most ${SECRET_NAME_MAX_LENGTH} characters).`
        : invalidSecretNameMessage(String(issue.input)),
    ...issueCode("invalid_secret_name"),
  });

/** Damerau-Levenshtein (optimal string alignment) distance. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      d[i * cols + j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * Names from `candidates` close to `name`, best first: case-insensitive match, edit distance
 * within a third of the length (at least 2), or one containing the other.
 *
 * @example
 * closestNames("SAP_USR", ["SAP_USER", "SAP_PASSWORD"]); // ["SAP_USER"]
 */
export function closestNames(name: string, candidates: Iterable<string>, limit = 3): string[] {
  const wanted = name.toUpperCase();
  const scored: { candidate: string; score: number }[] = [];
  for (const candidate of new Set(candidates)) {
    const upper = candidate.toUpperCase();
    if (upper === wanted) {
      scored.push({ candidate, score: 0 });
      continue;
    }
    const distance = editDistance(wanted, upper);
    const allowed = Math.max(2, Math.floor(Math.max(wanted.length, upper.length) / 3));
    if (distance <= allowed) scored.push({ candidate, score: distance });
    else if (wanted.length >= 3 && (upper.includes(wanted) || wanted.includes(upper))) {
      scored.push({ candidate, score: allowed + 1 });
    }
  }
  scored.sort((x, y) => x.score - y.score || x.candidate.localeCompare(y.candidate));
  return scored.slice(0, limit).map((s) => s.candidate);
}

/** "Did you mean 'A'?" / "Did you mean 'A' or 'B'?" / undefined. */
export function didYouMean(suggestions: readonly string[]): string | undefined {
  if (suggestions.length === 0) return undefined;
  const quoted = suggestions.map((s) => `'${s}'`);
  const last = quoted.pop();
  return quoted.length === 0
    ? `Did you mean ${last}?`
    : `Did you mean ${quoted.join(", ")} or ${last}?`;
}
