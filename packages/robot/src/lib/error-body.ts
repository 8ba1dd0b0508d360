/**
 * Turns an error answer of the local API (`{ error: { code, message, hint } }`) back into an
 * error, through the protocol's one reader (which also reads a retired code as its successor).
 * Both imports are zod-free, so the CLI's start stays light.
 */
import { parseErrorBody } from "@heptora/protocol/error-body";
import { HeptoraError, isErrorCode } from "@heptora/protocol/errors";

export function errorFromAnswer(status: number, body: unknown): HeptoraError {
  const error = parseErrorBody(body);
  if (error !== undefined && isErrorCode(error.code)) {
    return new HeptoraError(error.code, {
      message: error.message,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
    });
  }
  return new HeptoraError("internal_error", {
    message: error?.message ?? `The robot answered with HTTP ${status}.`,
  });
}
