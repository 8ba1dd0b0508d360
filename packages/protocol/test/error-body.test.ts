import assert from "node:assert/strict";
import { test } from "node:test";
import { parseErrorBody, parseErrorText, retryAfterSeconds } from "../src/error-body.ts";

test("reads code, message, hint and details of an error answer", () => {
  assert.deepEqual(
    parseErrorBody({
      error: { code: "vault_locked", message: "Locked.", hint: "Unlock it.", details: { a: 1 } },
    }),
    { code: "vault_locked", message: "Locked.", hint: "Unlock it.", details: { a: 1 } },
  );
});

test("keeps a code it does not know (a newer server) and drops fields of the wrong type", () => {
  assert.deepEqual(parseErrorBody({ error: { code: "new_code", message: "M", hint: 3 } }), {
    code: "new_code",
    message: "M",
  });
});

test("reads a retired code as the code that replaced it", () => {
  assert.equal(
    parseErrorBody({ error: { code: "invalid_variable_name", message: "M" } })?.code,
    "invalid_secret_name",
  );
  assert.equal(
    parseErrorText('{"error":{"code":"invalid_name","message":"m"}}')?.code,
    "invalid_secret_name",
  );
});

test("answers undefined for anything that is not an error answer", () => {
  for (const body of [null, "text", [], {}, { error: "x" }, { error: { code: "a" } }]) {
    assert.equal(parseErrorBody(body), undefined);
  }
  assert.equal(parseErrorText("<html>502 Bad Gateway</html>"), undefined);
  assert.equal(parseErrorText('{"error":{"code":"c","message":"m"}}')?.code, "c");
});

test("reads Retry-After seconds only when positive", () => {
  assert.equal(retryAfterSeconds("30"), 30);
  assert.equal(retryAfterSeconds("0"), undefined);
  assert.equal(retryAfterSeconds(null), undefined);
  assert.equal(retryAfterSeconds("soon"), undefined);
});
