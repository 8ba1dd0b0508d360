import assert from "node:assert/strict";
import { test } from "node:test";
import { invalidSecretNameMessage, isValidSecretName, suggestSecretName } from "@heptora/protocol";
import { assertSecretName, suggestName } from "../src/names.ts";

// The SDK keeps its own copy of the rule (no runtime dependency); these keep it in step.
const samples = [
  "SAP_USER",
  "sap password",
  "sapPassword",
  "2fa-code",
  "Crème brûlée",
  "___",
  "",
  "A",
  `A${"B".repeat(63)}`,
  `A${"B".repeat(64)}`,
  "SAP_USER\n",
  "x".repeat(300),
];

test("the SDK's name rule and suggestions agree with @heptora/protocol", () => {
  for (const sample of samples) {
    assert.equal(suggestName(sample), suggestSecretName(sample), `suggestion for ${sample}`);
    let valid = true;
    try {
      assertSecretName(sample);
    } catch {
      valid = false;
    }
    assert.equal(valid, isValidSecretName(sample), `validity of ${JSON.stringify(sample)}`);
  }
});

test("the SDK's message follows the protocol's wording, naming a secret", () => {
  for (const sample of ["sap password", "___", "x".repeat(300)]) {
    let message = "";
    try {
      assertSecretName(sample);
    } catch (error) {
      message = (error as Error).message;
    }
    assert.equal(message, invalidSecretNameMessage(sample).replace("variable name", "secret name"));
  }
});
