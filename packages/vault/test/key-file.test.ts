import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { randomKey } from "../src/crypto/kdf.ts";
import { parseKeyFile, readKeyFile, setAsideKeyFile, writeKeyFile } from "../src/key-file.ts";

describe("key file", () => {
  const root = mkdtempSync(join(tmpdir(), "heptora-keyfile-"));
  after(() => rmSync(root, { recursive: true, force: true }));

  it("writes a 0600 file in a 0700 directory and reads it back", () => {
    const path = join(root, "keys", "deep", "a.key");
    const key = randomKey();
    writeKeyFile(path, { vaultId: "v", slotId: "s", key });
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(statSync(join(root, "keys", "deep")).mode & 0o777, 0o700);
    const read = readKeyFile(path);
    assert.equal(read.status, "ok");
    if (read.status === "ok") {
      assert.deepEqual(read.contents.key, key);
      assert.equal(read.contents.vaultId, "v");
      assert.equal(read.contents.slotId, "s");
    }
  });

  it("reports a missing or damaged file", () => {
    assert.equal(readKeyFile(join(root, "nope.key")).status, "missing");
    const path = join(root, "damaged.key");
    writeKeyFile(path, { vaultId: "v", slotId: "s", key: randomKey() });
    const text = readFileSync(path, "utf8");
    const document = JSON.parse(text) as { key: string };
    const flipped = document.key.startsWith("A")
      ? `B${document.key.slice(1)}`
      : `A${document.key.slice(1)}`;
    writeFileSync(path, text.replace(document.key, flipped));
    assert.equal(readKeyFile(path).status, "damaged");
    assert.equal(parseKeyFile("not json"), undefined);
  });

  it("sets an old file aside instead of deleting it", () => {
    const path = join(root, "old.key");
    writeKeyFile(path, { vaultId: "v", slotId: "s", key: randomKey() });
    const moved = setAsideKeyFile(path, new Date("2025-01-02T03:04:05.678Z"));
    assert.equal(moved, `${path}.replaced-2025-01-02T03-04-05-678Z`);
    assert.equal(readKeyFile(path).status, "missing");
    assert.equal(setAsideKeyFile(path, new Date()), undefined);
  });
});
