/**
 * The one reader of an error answer, `{ "error": { "code", "message", "hint"?, "details"? } }`,
 * for every client: the CLI, the robot's platform client and both web apps. It never throws and
 * never quotes the body (a malformed answer may carry anything); callers turn the result into
 * their own error type. A retired code (an alias in the catalogue, e.g. `invalid_variable_name`
 * from an older server) is read as the code that replaced it. No zod, so it costs nothing to
 * import on a hot or start-up path.
 *
 * @example
 * parseErrorBody({ error: { code: "vault_locked", message: "The vault is locked." } });
 * // { code: "vault_locked", message: "The vault is locked." }
 * parseErrorBody("<html>502</html>"); // undefined
 */
import { canonicalErrorCode } from "./errors.ts";

/** A well-formed error answer. `code` is a string: a newer server may send a code we lack. */
export interface ParsedErrorBody {
  code: string;
  message: string;
  hint?: string;
  details?: Record<string, unknown>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The error in a parsed JSON body, or undefined when the body is not a Heptora error answer. */
export function parseErrorBody(body: unknown): ParsedErrorBody | undefined {
  const error = isRecord(body) ? body.error : undefined;
  if (!isRecord(error) || typeof error.code !== "string" || typeof error.message !== "string") {
    return undefined;
  }
  const code = canonicalErrorCode(error.code) ?? error.code;
  const parsed: ParsedErrorBody = { code, message: error.message };
  if (typeof error.hint === "string") parsed.hint = error.hint;
  if (isRecord(error.details)) parsed.details = error.details;
  return parsed;
}

/** The same, from the raw text of a body (undefined for text that is not JSON). */
export function parseErrorText(text: string): ParsedErrorBody | undefined {
  try {
    return parseErrorBody(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/** Seconds from a Retry-After header, when it is a positive number. */
export function retryAfterSeconds(header: string | null | undefined): number | undefined {
  const seconds = Number(header ?? "");
  return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}
