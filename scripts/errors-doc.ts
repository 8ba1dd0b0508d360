/**
 * `npm run docs:errors`: writes docs/errors.md, the catalogue of error codes, from
 * packages/protocol/src/errors.ts (and the SDKs' own codes). test/errors-doc.test.ts fails when
 * the file differs from what this renders, so the catalogue and its documentation cannot drift.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ERROR_CODES, ErrorCatalogue, type ErrorCatalogueEntry } from "@heptora/protocol";
import { SdkErrorCodes } from "@heptora/sdk";

export const ERRORS_DOC_PATH = join(import.meta.dirname, "..", "docs", "errors.md");
export const ERRORS_DOC_COMMAND = "npm run docs:errors";

function cell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

/** The text of docs/errors.md. */
export function renderErrorsDoc(): string {
  const rows = ERROR_CODES.map((code) => {
    const entry: ErrorCatalogueEntry = ErrorCatalogue[code];
    const aliases = (entry.aliases ?? []).map((alias) => `\`${alias}\``).join(", ");
    return `| \`${code}\` | ${entry.status} | ${cell(entry.message)} | ${aliases} |`;
  });
  const sdkOnly = Object.values(SdkErrorCodes)
    .filter((code) => !(ERROR_CODES as readonly string[]).includes(code))
    .map((code) => `- \`${code}\``);
  return [
    "# Error codes",
    "",
    `<!-- Generated from packages/protocol/src/errors.ts by \`${ERRORS_DOC_COMMAND}\`. Do not edit. -->`,
    "",
    "Every error a user can see, from the platform API, the robot's local API and window, the",
    "`heptora` CLI and both SDKs, has one stable code. Every server answers",
    '`{ "error": { "code", "message", "hint"?, "details"? } }` with the HTTP status below; clients',
    "read it with `parseErrorBody` from `@heptora/protocol`. Compare codes, never message text: the",
    "message is the default one below unless the server says something more precise (it may quote",
    "a name, never a secret value, a token or a password).",
    "",
    "- **One code per condition.** A bad secret name is `invalid_secret_name` whoever refuses it.",
    "- **Aliases.** A code that was retired in favour of another is listed as its alias. Servers",
    "  never send an alias; `parseErrorBody` (and so every client) reads one as the current code, so",
    "  a script that still compares the old code against an older server keeps working. Compare",
    "  the current code in new code; an alias is removed at the earliest in the next major version.",
    "- **Validation.** A request that breaks a schema is `validation_failed` with the message",
    "  `The request is not valid. field: message (and N more)` and `details.issues`, a list of",
    "  `{ path, message }`; a field with a code of its own (a secret name, a new password) answers",
    "  with that code and the field's own message.",
    "- **Kept apart on purpose.** `process_not_found` (the platform has no such process) and",
    "  `process_not_assigned` (the robot has no such process assigned: it cannot know whether one",
    "  exists elsewhere); `unauthenticated` (never signed in) and `session_expired` (signed in, and",
    "  the session ended); `invalid_robot_token` (the platform refused the robot's sign-in) and",
    "  `robot_not_signed_in` (the robot has none); `validation_failed` and `weak_password` (the one",
    "  that tells a person to choose another password).",
    "",
    "| Code | HTTP | Default message | Aliases (retired codes) |",
    "| --- | --- | --- | --- |",
    ...rows,
    "",
    "## Codes only the SDKs raise",
    "",
    "These never cross the wire: the SDK raises them itself, before or instead of an answer from",
    "the robot (see the SDKs' READMEs).",
    "",
    ...sdkOnly,
    "",
  ].join("\n");
}

if (import.meta.main) {
  writeFileSync(ERRORS_DOC_PATH, renderErrorsDoc());
  console.log(`Wrote ${ERRORS_DOC_PATH}.`);
}
