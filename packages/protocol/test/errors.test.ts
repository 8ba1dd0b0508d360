import assert from "node:assert/strict";
import { test } from "node:test";
import {
  canonicalErrorCode,
  ERROR_CODE_ALIASES,
  ERROR_CODES,
  ErrorCatalogue,
  type ErrorCatalogueEntry,
  HeptoraError,
} from "../src/errors.ts";

test("an alias is never a code of its own, and names one code only", () => {
  for (const [alias, code] of ERROR_CODE_ALIASES) {
    assert.ok(!ERROR_CODES.includes(alias as never), `${alias} is both a code and an alias`);
    assert.ok(ERROR_CODES.includes(code));
  }
  const all = ERROR_CODES.flatMap((code) => {
    const entry: ErrorCatalogueEntry = ErrorCatalogue[code];
    return entry.aliases ?? [];
  });
  assert.equal(new Set(all).size, all.length, "an alias is listed twice");
});

test("canonicalErrorCode reads codes and aliases, and nothing else", () => {
  assert.equal(canonicalErrorCode("vault_locked"), "vault_locked");
  assert.equal(canonicalErrorCode("invalid_variable_name"), "invalid_secret_name");
  assert.equal(canonicalErrorCode("invalid_name"), "invalid_secret_name");
  assert.equal(canonicalErrorCode("audit_chain_broken"), "vault_integrity");
  assert.equal(canonicalErrorCode("from_a_newer_server"), undefined);
  assert.equal(canonicalErrorCode(42), undefined);
  assert.equal(canonicalErrorCode("toString"), undefined);
});

test("every code has a status and a message written as a sentence", () => {
  for (const code of ERROR_CODES) {
    const error = new HeptoraError(code);
    assert.ok(error.status >= 400 && error.status < 600, code);
    assert.match(error.message, /^[A-Z].*[.!?]$/, code);
  }
});
