import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { SecretNameSchema } from "../src/names.ts";
import { fromZodError, MAX_LISTED_ISSUES, validationFailed } from "../src/validation-errors.ts";

const Body = z.strictObject({ name: SecretNameSchema, count: z.number(), password: z.string() });

function issuesOf(value: unknown): z.core.$ZodIssue[] {
  const result = Body.safeParse(value);
  assert.ok(!result.success);
  return result.error.issues;
}

test("names the first field, counts the rest and lists every issue", () => {
  const error = validationFailed(issuesOf({ name: "SAP_USER", count: "1", extra: 1 }));
  assert.equal(error.code, "validation_failed");
  assert.equal(error.status, 400);
  assert.match(error.message, /^The request is not valid\. count: .+ \(and 2 more\)$/);
  assert.deepEqual(
    (error.details?.issues as { path: string }[]).map((i) => i.path),
    ["count", "password", ""],
  );
});

test("names the request part when the issue has no field", () => {
  const error = validationFailed(issuesOf(3), { where: "query" });
  assert.match(error.message, /^The request is not valid\. query: /);
  assert.doesNotMatch(validationFailed(issuesOf(3)).message, /body:/);
});

test("a bad secret name answers invalid_secret_name on every server, with the suggestion", () => {
  const error = validationFailed(issuesOf({ name: "sap password", count: 1, password: "x" }));
  assert.equal(error.code, "invalid_secret_name");
  assert.match(error.message, /Did you mean 'SAP_PASSWORD'\?/);
  assert.equal(error.details?.field, "name");
});

test("a route may map a field to a code of its own", () => {
  const error = validationFailed(issuesOf({ name: "A", count: 1, password: 3 }), {
    issueCodes: { password: "weak_password" },
  });
  assert.equal(error.code, "weak_password");
  assert.equal(error.status, 400);
});

test("fromZodError renders a thrown ZodError the same way, listing a bounded number of issues", () => {
  const Many = z.array(z.number());
  const thrown = (() => {
    try {
      Many.parse(Array.from({ length: 50 }, () => "x"));
    } catch (error) {
      return error as z.ZodError;
    }
    assert.fail("expected a ZodError");
  })();
  const error = fromZodError(thrown);
  assert.equal(error.code, "validation_failed");
  assert.match(error.message, /^The request is not valid\. 0: .+ \(and 49 more\)$/);
  assert.equal((error.details?.issues as unknown[]).length, MAX_LISTED_ISSUES);
});

test("never quotes a value that failed a bound", () => {
  const Value = z.strictObject({ value: z.string().max(3, { error: "The value is too long." }) });
  const result = Value.safeParse({ value: "s3cr3t-value" });
  assert.ok(!result.success);
  assert.doesNotMatch(JSON.stringify(validationFailed(result.error.issues).toBody()), /s3cr3t/);
});
