import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { associatedData, openSealed, SEAL_OVERHEAD, seal } from "../../src/crypto/aead.ts";
import { randomKey } from "../../src/crypto/kdf.ts";

describe("aead", () => {
  const key = randomKey();
  const aad = associatedData("secret", "vault-1", "SAP_USER", "1");

  it("opens what it sealed", () => {
    const blob = seal(key, Buffer.from("hunter2"), aad);
    assert.equal(blob.length, SEAL_OVERHEAD + 7);
    assert.equal(openSealed(key, blob, aad)?.toString(), "hunter2");
  });

  it("uses a fresh nonce for every seal", () => {
    const a = seal(key, Buffer.from("same"), aad);
    const b = seal(key, Buffer.from("same"), aad);
    assert.notDeepEqual(a, b);
  });

  it("refuses every single flipped bit of the blob", () => {
    const blob = seal(key, Buffer.from("value"), aad);
    for (let i = 0; i < blob.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const copy = Buffer.from(blob);
        copy[i] = (copy[i] ?? 0) ^ (1 << bit);
        assert.equal(openSealed(key, copy, aad), undefined, `byte ${i} bit ${bit}`);
      }
    }
  });

  it("refuses a truncated or extended blob", () => {
    const blob = seal(key, Buffer.from("value"), aad);
    for (let n = 0; n < blob.length; n++) {
      assert.equal(openSealed(key, blob.subarray(0, n), aad), undefined);
    }
    assert.equal(openSealed(key, Buffer.concat([blob, Buffer.of(0)]), aad), undefined);
  });

  it("refuses a blob moved to another place, purpose or vault", () => {
    const blob = seal(key, Buffer.from("value"), aad);
    const elsewhere = [
      associatedData("secret", "vault-1", "SAP_USER", "2"),
      associatedData("secret", "vault-1", "SAP_PASSWORD", "1"),
      associatedData("secret", "vault-2", "SAP_USER", "1"),
      associatedData("setting", "vault-1", "SAP_USER", "1"),
    ];
    for (const other of elsewhere) assert.equal(openSealed(key, blob, other), undefined);
  });

  it("refuses the wrong key", () => {
    const blob = seal(key, Buffer.from("value"), aad);
    assert.equal(openSealed(randomKey(), blob, aad), undefined);
  });

  it("length-prefixes associated data so field boundaries matter", () => {
    assert.notDeepEqual(associatedData("p", "AB", "C"), associatedData("p", "A", "BC"));
  });

  it("seals empty and large values", () => {
    assert.equal(openSealed(key, seal(key, Buffer.alloc(0), aad), aad)?.length, 0);
    const big = randomBytes(256 * 1024);
    assert.deepEqual(openSealed(key, seal(key, big, aad), aad), big);
  });
});
