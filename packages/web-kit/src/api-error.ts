/**
 * The error both apps' API clients throw: an answer `{ error: { code, message, hint? } }` (with how
 * long to wait when it says "too many attempts") or a network failure. An app may extend it with
 * what only it knows (permission denied), so the shared dialogs and states read any app's errors.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly hint: string | undefined;
  /** From the answer's Retry-After header, when it has a positive number of seconds. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    hint?: string,
    retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.hint = hint;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** What to tell the user about a failed call: the API's message and hint, or a generic line. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError)
    return error.hint ? `${error.message} ${error.hint}` : error.message;
  return "Something went wrong. Try again.";
}
