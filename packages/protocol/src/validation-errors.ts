/**
 * The one rendering of a validation failure, for every server (the platform's routes and error
 * handler, the robot's local API and window): `validation_failed` with the message
 * `The request is not valid. field: message (and N more)` and `details.issues`, a bounded list of
 * `{ path, message }`. An issue may name a more precise code instead: a schema's refinement marks
 * it (`issueCode`, as SecretNameSchema does with `invalid_secret_name`), or a route maps a body
 * field to a code (`issueCodes`, e.g. `{ password: "weak_password" }`). Then the message is the
 * issue's own, which our schemas write for the user and never fill with the value sent.
 *
 * @example
 * const result = CreateProcessRequestSchema.safeParse(body);
 * if (!result.success) throw validationFailed(result.error.issues, { where: "body" });
 */
import type { z } from "zod";
import { quoteInput, safeEcho } from "./echo.ts";
import { type ErrorCode, HeptoraError, isErrorCode } from "./errors.ts";

/** At most this many issues are listed in `details.issues`; the message counts them all. */
export const MAX_LISTED_ISSUES = 20;

/** Which part of the request failed: named in the message when the issue has no field path. */
export type RequestPart = "body" | "query" | "path";

/** One entry of `details.issues`: a dotted field path ("" for the whole part) and a message. */
export interface ValidationIssue {
  path: string;
  message: string;
}

export interface ValidationFailedOptions {
  /** Default "body" (whose name the message leaves out). */
  where?: RequestPart;
  /** A first issue on this top-level field answers with that code instead of validation_failed. */
  issueCodes?: Readonly<Record<string, ErrorCode>> | undefined;
}

const PARAM = "heptoraCode";

/**
 * Refinement options that mark the refinement's issue with a code of its own.
 *
 * @example
 * z.string().refine(isValidSecretName, { error: "...", ...issueCode("invalid_secret_name") });
 */
export function issueCode(code: ErrorCode): { params: Record<string, ErrorCode> } {
  return { params: { [PARAM]: code } };
}

/** A field path longer than this (a deep or odd key sent by the caller) is cut. */
const MAX_PATH_LENGTH = 200;

/**
 * The issue's message. Our schemas write theirs without the value sent; zod's message for
 * unknown keys quotes them, so it is rewritten here with the keys quoted safely (bounded, no
 * control characters).
 */
function issueMessage(issue: z.core.$ZodIssue, where: RequestPart): string {
  if (issue.code !== "unrecognized_keys") return issue.message;
  const what = where === "query" ? "query parameter" : "field";
  const keys = issue.keys.slice(0, 5).map((key) => quoteInput(key));
  const more = issue.keys.length > 5 ? ` and ${issue.keys.length - 5} more` : "";
  return issue.keys.length === 1
    ? `Unknown ${what} ${keys[0]}: remove it.`
    : `Unknown ${what}s ${keys.join(", ")}${more}: remove them.`;
}

function codeOf(
  issue: z.core.$ZodIssue,
  issueCodes: ValidationFailedOptions["issueCodes"],
): ErrorCode | undefined {
  if (issue.code === "custom") {
    const marked = issue.params?.[PARAM];
    if (isErrorCode(marked)) return marked;
  }
  const field = issue.path[0];
  return typeof field === "string" ? issueCodes?.[field] : undefined;
}

/** The error for these issues (at least one expected; none reads as a bare "not valid"). */
export function validationFailed(
  issues: readonly z.core.$ZodIssue[],
  options: ValidationFailedOptions = {},
): HeptoraError {
  const where = options.where ?? "body";
  const listed: ValidationIssue[] = issues.slice(0, MAX_LISTED_ISSUES).map((issue) => ({
    path: safeEcho(issue.path.map(String).join("."), MAX_PATH_LENGTH),
    message: issueMessage(issue, where),
  }));
  const first = issues[0];
  const head = listed[0];
  if (first === undefined || head === undefined) {
    return new HeptoraError("validation_failed", { details: { issues: [] } });
  }
  const special = codeOf(first, options.issueCodes);
  if (special !== undefined) {
    return new HeptoraError(special, {
      message: head.message,
      details: { field: head.path, issues: listed },
    });
  }
  const location = head.path !== "" ? `${head.path}: ` : where === "body" ? "" : `${where}: `;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return new HeptoraError("validation_failed", {
    message: `The request is not valid. ${location}${head.message}${more}`,
    details: { issues: listed },
  });
}

/** The same, from a thrown ZodError (e.g. a handler that parsed something itself). */
export function fromZodError(
  error: z.ZodError,
  options: ValidationFailedOptions = {},
): HeptoraError {
  return validationFailed(error.issues, options);
}
