/**
 * The error both apps' API clients throw: an answer `{ error: { code, message, hint? } }` or a
 * network failure. Each app's client extends it with what only it knows (permission denied,
 * retry-after), so the shared dialogs and states can read any app's errors.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly hint: string | undefined;

  constructor(status: number, code: string, message: string, hint?: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.hint = hint;
  }
}

/** What to tell the user about a failed call: the API's message and hint, or a generic line. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError)
    return error.hint ? `${error.message} ${error.hint}` : error.message;
  return "Something went wrong. Try again.";
}
