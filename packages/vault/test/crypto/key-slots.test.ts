import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deriveFromPassphrase, newArgon2idParams, randomKey } from "../../src/crypto/kdf.ts";
import {
  checkRecoveryKey,
  type KeySlotMeta,
  newRecoveryKey,
  parseRecoveryKey,
  randomId,
  recoveryKek,
  unwrapDataKey,
  wrapDataKey,
} from "../../src/crypto/key-slots.ts";

const meta: KeySlotMeta = {
  id: "slot-1",
  kind: "keyfile",
  kdf: '{"kdf":"none"}',
  createdAt: "2025-01-01T00:00:00.000Z",
  label: null,
};

describe("key slots", () => {
  it("unwraps the data key with the slot's key", () => {
    const kek = randomKey();
    const dek = randomKey();
    const slot = wrapDataKey(kek, dek, "vault-1", meta);
    assert.deepEqual(unwrapDataKey(kek, "vault-1", slot), dek);
  });

  it("refuses another key, another vault, or any edited column", () => {
    const kek = randomKey();
    const slot = wrapDataKey(kek, randomKey(), "vault-1", meta);
    assert.equal(unwrapDataKey(randomKey(), "vault-1", slot), undefined);
    assert.equal(unwrapDataKey(kek, "vault-2", slot), undefined);
    const edits: Partial<KeySlotMeta>[] = [
      { id: "slot-2" },
      { kind: "passphrase" },
      { kdf: '{"kdf":"argon2id"}' },
      { createdAt: "2025-01-01T00:00:00.001Z" },
      { label: "laptop" },
    ];
    for (const edit of edits) {
      assert.equal(unwrapDataKey(kek, "vault-1", { ...slot, ...edit }), undefined);
    }
  });

  it("round-trips a recovery key as a person would type it", () => {
    const { text, bytes } = newRecoveryKey();
    assert.match(text, /^([0-9A-HJKMNP-TV-Z]{7}-){7}[0-9A-HJKMNP-TV-Z]{7}$/);
    assert.equal(bytes.length, 32, "256 random bits");
    assert.deepEqual(parseRecoveryKey(text), bytes);
    assert.deepEqual(parseRecoveryKey(` ${text.toLowerCase().replace(/-/g, " ")} `), bytes);
    assert.equal(parseRecoveryKey(text.slice(1)), undefined);
    assert.equal(parseRecoveryKey(`${text.slice(0, -1)}U`), undefined);
    assert.deepEqual(recoveryKek(bytes, "s"), recoveryKek(parseRecoveryKey(text) ?? bytes, "s"));
  });

  it("tells a mistyped recovery key (checksum) from one that is not a recovery key", () => {
    const { text } = newRecoveryKey();
    const first = text[0] === "A" ? "B" : "A";
    assert.deepEqual(checkRecoveryKey(`${first}${text.slice(1)}`), { status: "mistyped" });
    assert.deepEqual(checkRecoveryKey("AAAAA-BBBBB"), { status: "malformed" });
    assert.equal(checkRecoveryKey(text).status, "ok");
  });

  it("derives the same passphrase key from the same parameters only", () => {
    const cheap = { memory: 1024, passes: 1, parallelism: 1 };
    const params = newArgon2idParams(cheap);
    const a = deriveFromPassphrase("correct horse", params);
    assert.deepEqual(deriveFromPassphrase("correct horse", params), a);
    assert.notDeepEqual(deriveFromPassphrase("correct horsf", params), a);
    assert.notDeepEqual(deriveFromPassphrase("correct horse", newArgon2idParams(cheap)), a);
  });
});

describe("ids", () => {
  it("never start with a dash, so `heptora vault slots remove ID` never reads one as an option", () => {
    // Before, 1 id in 32 started with `-` or `_` (base64url); 2,000 draws would have found one.
    const ids = Array.from({ length: 2000 }, () => randomId());
    for (const id of ids) assert.match(id, /^[A-Za-z0-9][A-Za-z0-9_-]{21}$/);
    assert.equal(new Set(ids).size, ids.length);
  });
});
