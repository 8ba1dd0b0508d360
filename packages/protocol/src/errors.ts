/**
 * The catalogue of error codes that cross a boundary (platform API, robot local API, CLI, SDKs).
 *
 * Every error a user can see has a stable code, an HTTP status and a default message written for
 * the user. Callers compare codes, never message text. A message never carries a secret value, a
 * token, a key, a password hash or a full URL with credentials.
 *
 * One condition has one code, whoever raises it (platform, vault, robot, SDKs). A code that was
 * retired in favour of another stays listed in that entry's `aliases`: a server never sends an
 * alias, and every client reads one as the current code (`canonicalErrorCode`, `parseErrorBody`),
 * so an older server or a script comparing the old code keeps working. docs/errors.md is
 * generated from this catalogue (`npm run docs:errors`).
 *
 * @example
 * throw new HeptoraError("secret_not_declared", {
 *   message: "Process 'Invoice Processing' does not declare 'SAP_USR'.",
 *   hint: "Did you mean 'SAP_USER'?",
 * });
 */

export const ErrorCatalogue = {
  // Generic input and transport errors
  validation_failed: { status: 400, message: "The request is not valid." },
  invalid_json: { status: 400, message: "The request body is not valid JSON." },
  body_too_large: { status: 413, message: "The request body is too large." },
  unsupported_media_type: { status: 415, message: "The request body must be JSON." },
  route_not_found: { status: 404, message: "There is no such endpoint." },
  method_not_allowed: { status: 405, message: "This method is not allowed here." },
  invalid_url: {
    status: 400,
    message: "The address is not valid: it has a broken percent-encoding (%XX).",
  },
  malformed_request: { status: 400, message: "The request is not valid HTTP." },
  request_timeout: { status: 408, message: "The request took too long to arrive." },
  headers_too_large: { status: 431, message: "The request's headers are too large." },
  internal_error: { status: 500, message: "Something went wrong on our side." },
  service_unavailable: { status: 503, message: "The service is not available right now." },
  database_not_migrated: {
    status: 503,
    message: "The database schema is behind this version of the platform.",
  },
  disk_full: {
    status: 507,
    message: "The disk is full: nothing was changed.",
  },

  // Authentication and authorisation
  unauthenticated: { status: 401, message: "Sign in first." },
  invalid_credentials: { status: 401, message: "The email or password is not correct." },
  session_expired: { status: 401, message: "Your session has ended. Sign in again." },
  invalid_robot_token: {
    status: 401,
    message: "This robot's sign-in is no longer valid. Sign in again with `heptora login`.",
  },
  account_deactivated: {
    status: 403,
    message: "This account is deactivated. Ask an administrator of your organisation.",
  },
  too_many_attempts: { status: 429, message: "Too many attempts. Wait and try again." },
  csrf_rejected: {
    status: 403,
    message: "The request was refused because it did not come from this site.",
  },
  insufficient_permissions: {
    status: 403,
    message: "You do not have permission to do this.",
  },
  invalid_api_token: {
    status: 401,
    message: "This API token is not valid. Create a new one under API tokens in the web app.",
  },
  api_token_read_only: {
    status: 403,
    message:
      "This API token can only read (GET). Use a token with the admin scope to change things.",
  },
  api_token_not_allowed: {
    status: 403,
    message: "API tokens cannot be used here. Sign in to the web app to do this.",
  },
  host_rejected: { status: 421, message: "This server does not answer for that host." },

  // Platform resources
  not_found: { status: 404, message: "Not found." },
  process_not_found: { status: 404, message: "There is no such process." },
  variable_not_found: { status: 404, message: "The process has no such variable." },
  user_not_found: { status: 404, message: "There is no such user." },
  // Ids in a request body (not its path) that name no user: the request is understood, its ids
  // are wrong (details.userIds lists them).
  users_not_found: {
    status: 422,
    message: "Some user ids do not name a user of your organisation.",
  },
  robot_not_found: { status: 404, message: "There is no such robot." },
  api_token_not_found: { status: 404, message: "There is no such API token." },
  too_many_api_tokens: {
    status: 409,
    message: "The organisation has too many API tokens. Revoke the ones no longer used.",
  },
  invalid_secret_name: {
    status: 400,
    message: "The name is not valid: use A-Z, 0-9 and _, starting with a capital letter.",
    // invalid_variable_name: the platform and the vault until 0.1; invalid_name: both SDKs.
    aliases: ["invalid_variable_name", "invalid_name"],
  },
  process_name_taken: { status: 409, message: "A process with this name already exists." },
  variable_name_taken: {
    status: 409,
    message: "The process already has a variable with this name.",
  },
  email_taken: { status: 409, message: "A user with this email already exists." },
  invalid_reset_token: {
    status: 400,
    message: "This password reset link is not valid or has expired. Ask for a new one.",
  },
  weak_password: { status: 400, message: "The password is too weak." },
  setup_already_done: { status: 409, message: "This platform already has an administrator." },
  last_admin: {
    status: 409,
    message: "The platform needs at least one active administrator.",
  },

  // Robot local API
  robot_not_running: {
    status: 503,
    message: "The robot is not running. Start it with `heptora start`.",
  },
  robot_not_signed_in: {
    status: 401,
    message: "The robot is not signed in. Sign in with `heptora login`.",
  },
  secret_not_declared: { status: 404, message: "The process does not declare this secret." },
  secret_value_missing: {
    status: 404,
    message: "The secret's value is not defined on this robot: set it in the Secrets window.",
  },
  secret_value_too_short: {
    status: 400,
    message:
      "The value is shorter than 4 characters: heptora run cannot mask it safely in the output of automations.",
  },
  invalid_run_token: { status: 401, message: "The run token is not valid." },
  vault_locked: { status: 423, message: "The vault is locked. Unlock it and try again." },
  vault_integrity: {
    status: 500,
    message: "The vault failed an integrity check: data was changed outside Heptora.",
    // A broken audit chain is the same condition (the vault's data was changed outside Heptora).
    aliases: ["audit_chain_broken"],
  },
  process_not_assigned: {
    status: 404,
    message: "No process with this name is assigned to you.",
  },
  version_not_found: { status: 404, message: "There is no such version of this secret." },
  platform_unreachable: {
    status: 502,
    message: "The platform cannot be reached. Check the platform URL and your network.",
  },

  // The robot on a shared machine (docs/adr/0073)
  platform_insecure: {
    status: 400,
    message:
      "The platform URL is plain http to another machine: passwords and tokens would cross the network unencrypted.",
  },
  unsafe_directory: {
    status: 403,
    message:
      "The robot's folder belongs to another user or can be written by others: the robot does not use it.",
  },

  // Key rotation, backup and restore (docs/adr/0080)
  key_rotation_in_progress: {
    status: 503,
    message: "The vault's data key is being rotated. Try again in a few seconds.",
  },
  key_slots_not_rewrapped: {
    status: 409,
    message:
      "Some key slots cannot take the new data key: give their passphrase, or remove them with --drop-slots.",
  },
  backup_damaged: {
    status: 422,
    message: "The backup archive is damaged, cut short or was changed: nothing was restored.",
  },
  backup_passphrase_wrong: {
    status: 401,
    message: "The passphrase does not open this backup archive.",
  },
  restore_refused: {
    status: 409,
    message: "The data dir already holds a vault or a running robot: nothing was restored.",
  },
} as const satisfies Record<string, ErrorCatalogueEntry>;

/** One entry of the catalogue. */
export interface ErrorCatalogueEntry {
  readonly status: number;
  /** The default message, written for the user. */
  readonly message: string;
  /** Retired codes for the same condition: clients read them as this code; servers never send them. */
  readonly aliases?: readonly string[];
}

export type ErrorCode = keyof typeof ErrorCatalogue;

export const ERROR_CODES = Object.keys(ErrorCatalogue) as ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ErrorCatalogue, value);
}

/** Every retired code, mapped to the code that replaced it. */
export const ERROR_CODE_ALIASES: ReadonlyMap<string, ErrorCode> = new Map(
  ERROR_CODES.flatMap((code) => {
    const entry: ErrorCatalogueEntry = ErrorCatalogue[code];
    return (entry.aliases ?? []).map((alias) => [alias, code] as const);
  }),
);

/**
 * The current code for `value`: itself when it is a code, the code that replaced it when it is
 * an alias, else undefined (not a string, or a code from a newer server).
 *
 * @example
 * canonicalErrorCode("invalid_variable_name"); // "invalid_secret_name"
 */
export function canonicalErrorCode(value: unknown): ErrorCode | undefined {
  if (isErrorCode(value)) return value;
  return typeof value === "string" ? ERROR_CODE_ALIASES.get(value) : undefined;
}

export function statusOf(code: ErrorCode): number {
  return ErrorCatalogue[code].status;
}

export interface HeptoraErrorOptions {
  /** Overrides the catalogue's default message. Never put a value, token or key in it. */
  message?: string;
  /** What the user can do about it. */
  hint?: string;
  /** Structured, non-secret details (e.g. field issues, suggested names). */
  details?: Record<string, unknown>;
  /** Seconds, for 429 and 503. */
  retryAfterSeconds?: number;
  cause?: unknown;
}

/** An error with a stable code. Thrown across the codebase; rendered by one handler per server. */
export class HeptoraError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, options: HeptoraErrorOptions = {}) {
    super(options.message ?? ErrorCatalogue[code].message, { cause: options.cause });
    this.name = "HeptoraError";
    this.code = code;
    this.status = ErrorCatalogue[code].status;
    this.hint = options.hint;
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  toBody(): ErrorBody {
    const error: ErrorBody["error"] = { code: this.code, message: this.message };
    if (this.hint !== undefined) error.hint = this.hint;
    if (this.details !== undefined) error.details = this.details;
    return { error };
  }
}

/** The JSON shape of every error response, on the platform and on the robot. */
export interface ErrorBody {
  error: {
    code: string;
    message: string;
    hint?: string;
    details?: Record<string, unknown>;
  };
}

export function isHeptoraError(value: unknown): value is HeptoraError {
  return value instanceof HeptoraError;
}
