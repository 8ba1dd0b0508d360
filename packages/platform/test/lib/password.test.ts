import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hashPassword, verifyPassword } from "../../src/lib/password.ts";

describe("password hashing", () => {
  it("stores Argon2id with its parameters and verifies only the right password", async () => {
    const hash = await hashPassword("correct horse battery staple");
    assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    assert.equal(await verifyPassword("correct horse battery staple", hash), true);
    assert.equal(await verifyPassword("correct horse battery stapler", hash), false);
    assert.equal(await verifyPassword("anything", "$2b$10$not-an-argon2-hash"), false);
    assert.notEqual(await hashPassword("correct horse battery staple"), hash);
  });

  it("does not block the event loop while hashing", async () => {
    let ticked = false;
    const hashing = hashPassword("correct horse battery staple");
    setImmediate(() => {
      ticked = true;
    });
    await hashing;
    assert.equal(ticked, true);
  });
});
