import assert from "node:assert/strict";
import { test } from "node:test";
import {
  closestNames,
  didYouMean,
  invalidSecretName,
  invalidSecretNameMessage,
  isValidSecretName,
  SecretNameSchema,
  suggestFreeSecretName,
  suggestSecretName,
} from "../src/names.ts";

test("accepts names that follow the rule and refuses the rest", () => {
  for (const ok of ["SAP_USER", "A", "X9", `A${"B".repeat(63)}`]) assert.ok(isValidSecretName(ok));
  for (const bad of ["", "sap_user", "_SAP", "9A", "SAP-USER", `A${"B".repeat(64)}`]) {
    assert.ok(!isValidSecretName(bad), bad);
  }
});

test("suggests the fixed name for a near miss", () => {
  assert.equal(suggestSecretName("sap password"), "SAP_PASSWORD");
  assert.equal(suggestSecretName("sapPassword"), "SAP_PASSWORD");
  assert.equal(suggestSecretName("  db-host.name "), "DB_HOST_NAME");
  assert.equal(suggestSecretName("2fa code"), "V_2FA_CODE");
  assert.equal(suggestSecretName("clé"), "CLE");
  assert.equal(suggestSecretName("!!!"), undefined);
});

test("the schema's message quotes the input and suggests the fix", () => {
  const result = SecretNameSchema.safeParse("sap password");
  assert.equal(result.success, false);
  assert.match(
    result.error?.issues[0]?.message ?? "",
    /'sap password'.*Did you mean 'SAP_PASSWORD'\?/,
  );
  assert.equal(SecretNameSchema.parse("  SAP_USER "), "SAP_USER");
  assert.match(invalidSecretNameMessage("***"), /not a valid variable name/);
});

test("finds close names for a typo, best first", () => {
  const declared = ["SAP_USER", "SAP_PASSWORD", "DB_HOST"];
  assert.deepEqual(closestNames("SAP_USR", declared), ["SAP_USER"]);
  assert.deepEqual(closestNames("sap_user", declared), ["SAP_USER"]);
  assert.deepEqual(closestNames("SALESFORCE_TOKEN", declared), []);
  assert.equal(didYouMean(["A", "B"]), "Did you mean 'A' or 'B'?");
  assert.equal(didYouMean([]), undefined);
});

test("invalidSecretName is the one error for a bad name, with the suggestion", () => {
  const error = invalidSecretName("sap password");
  assert.equal(error.code, "invalid_secret_name");
  assert.equal(error.status, 400);
  assert.match(error.message, /Did you mean 'SAP_PASSWORD'\?/);
  assert.equal(invalidSecretName(42).code, "invalid_secret_name");
});

test("never suggests a name that is taken", () => {
  assert.equal(suggestFreeSecretName("sap password", ["SAP_USER"]), "SAP_PASSWORD");
  assert.equal(suggestFreeSecretName("sap password", ["SAP_PASSWORD"]), undefined);
  assert.doesNotMatch(invalidSecretNameMessage("sap password", ["SAP_PASSWORD"]), /Did you mean/);
});
