/** Turns an error answer of the local API (`{ error: { code, message, hint } }`) back into an error. */
import { HeptoraError, isErrorCode } from "@heptora/protocol/errors";

export function errorFromAnswer(status: number, body: unknown): HeptoraError {
  const error = (body as { error?: { code?: unknown; message?: unknown; hint?: unknown } } | null)
    ?.error;
  const message = typeof error?.message === "string" ? error.message : undefined;
  const hint = typeof error?.hint === "string" ? error.hint : undefined;
  if (isErrorCode(error?.code)) {
    return new HeptoraError(error.code, {
      ...(message === undefined ? {} : { message }),
      ...(hint === undefined ? {} : { hint }),
    });
  }
  return new HeptoraError("internal_error", {
    message: message ?? `The robot answered with HTTP ${status}.`,
  });
}
