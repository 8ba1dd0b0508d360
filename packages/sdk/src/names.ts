/**
 * The secret-name rule, checked before anything is sent so a typo fails fast with a suggestion.
 * A local copy of the rule in @heptora/protocol (the SDK has no runtime dependency); a test keeps
 * the two in step.
 */
import { HeptoraSecretError, SdkErrorCodes } from "./errors.ts";

const NAME_PATTERN = /^[A-Z][A-Z0-9_]{0,63}$/;
const NAME_MAX_LENGTH = 64;

/**
 * The name a user most likely meant, following the rule; undefined when nothing sensible remains.
 *
 * @example
 * suggestName("sap password"); // "SAP_PASSWORD"
 */
export function suggestName(input: string): string | undefined {
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
  const cut = led.slice(0, NAME_MAX_LENGTH).replace(/_+$/, "");
  return NAME_PATTERN.test(cut) ? cut : undefined;
}

/** Throws `invalid_secret_name` (quoting the input, suggesting the fix) unless `name` follows the rule. */
export function assertSecretName(name: unknown): asserts name is string {
  if (typeof name === "string" && NAME_PATTERN.test(name)) return;
  const text = typeof name === "string" ? name : String(name);
  const shown = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  const suggestion = suggestName(text);
  throw new HeptoraSecretError(
    SdkErrorCodes.InvalidName,
    `'${shown}' is not a valid secret name. Names start with a capital letter and use only ` +
      "A-Z, 0-9 and _ (at most 64 characters)." +
      (suggestion === undefined ? "" : ` Did you mean '${suggestion}'?`),
  );
}
