/** docs/errors.md is generated from the error catalogue: this fails when the two differ. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { ERRORS_DOC_COMMAND, ERRORS_DOC_PATH, renderErrorsDoc } from "../scripts/errors-doc.ts";

test("docs/errors.md is the catalogue as rendered", () => {
  let written = "";
  try {
    written = readFileSync(ERRORS_DOC_PATH, "utf8");
  } catch {
    assert.fail(`docs/errors.md is missing: run \`${ERRORS_DOC_COMMAND}\` to write it.`);
  }
  assert.ok(
    written === renderErrorsDoc(),
    `docs/errors.md differs from the error catalogue: run \`${ERRORS_DOC_COMMAND}\` and commit the result.`,
  );
});
