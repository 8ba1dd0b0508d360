/**
 * The robot on a shared machine (issue 12, docs/adr/0073): a data dir, socket folder or key
 * folder that another user owns or can write to is refused at `heptora start`, with the path, the
 * owner or mode and what to do, before anything is read or written there; and the CLI sends no
 * token and no value to a socket in such a folder (a fake daemon there collects nothing).
 * Runs as root in CI: "another user" is uid 65534 (nobody).
 */
import assert from "node:assert/strict";
import { chmodSync, chownSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { cleanEnv, heptora } from "../support/cli.ts";
import { makeTempDir } from "../support/temp.ts";

const NOBODY = 65534;
const posix = process.platform !== "win32";
const temp = makeTempDir();
after(() => temp.remove());
let n = 0;
/** A fresh folder for one case, with its own key file path (in a private folder). */
function fresh(): { dataDir: string; env: NodeJS.ProcessEnv } {
  n += 1;
  const base = join(temp.path, `case${n}`);
  mkdirSync(base, { mode: 0o700 });
  return {
    dataDir: join(base, "data"),
    env: cleanEnv({ HEPTORA_KEY_FILE: join(base, "keys", "robot.key") }),
  };
}

describe("folders the robot will not use", { skip: !posix && "POSIX ownership and modes" }, () => {
  test("a data dir owned by another user is refused at start, untouched", async () => {
    const { dataDir, env } = fresh();
    mkdirSync(dataDir, { mode: 0o700 });
    chownSync(dataDir, NOBODY, NOBODY);
    const result = await heptora(["start", "--data-dir", dataDir], { env });
    assert.equal(result.code, 1);
    assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
    assert.match(result.stderr, new RegExp(`data dir ${dataDir} belongs to another user`));
    assert.match(result.stderr, /uid 65534/);
    assert.match(result.stderr, /chown .* && chmod 700/);
    assert.deepEqual(readdirSync(dataDir), [], "nothing was written there");
  });

  test("a data dir writable by others (0777) is refused at start, untouched", async () => {
    const { dataDir, env } = fresh();
    mkdirSync(dataDir);
    chmodSync(dataDir, 0o777);
    const result = await heptora(["start", "--data-dir", dataDir], { env });
    assert.equal(result.code, 1);
    assert.match(result.stderr, new RegExp(`data dir ${dataDir} can be written by other users`));
    assert.match(result.stderr, /mode 0777/);
    assert.match(result.stderr, /chmod 700/);
    assert.deepEqual(readdirSync(dataDir), []);
  });

  test("a folder above the data dir that others can write to (no sticky bit) is refused", async () => {
    const { dataDir, env } = fresh();
    const shared = join(dataDir, "..", "shared");
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    const inside = join(shared, "robot");
    const result = await heptora(["start", "--data-dir", inside], { env });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /The folder .*shared, above the robot's data dir/);
    assert.match(result.stderr, /chmod go-w/);
    assert.deepEqual(readdirSync(shared), [], "the data dir was not created");
  });

  test("a key file's folder owned by another user is refused before the key is written", async () => {
    const { dataDir } = fresh();
    const keys = join(dataDir, "..", "keys");
    mkdirSync(keys, { mode: 0o700 });
    chownSync(keys, NOBODY, NOBODY);
    const env = cleanEnv({ HEPTORA_KEY_FILE: join(keys, "robot.key") });
    const result = await heptora(["start", "--data-dir", dataDir], { env });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /key file's folder .*keys belongs to another user/);
    assert.deepEqual(readdirSync(keys), []);
  });

  test("the CLI sends no token and no value to a socket in someone else's folder", async () => {
    const { dataDir, env } = fresh();
    mkdirSync(dataDir, { mode: 0o700 });
    // A fake daemon: a socket and a token file, in a folder another user owns.
    const received: string[] = [];
    const fake = createServer((socket) => {
      socket.on("data", (chunk) => received.push(chunk.toString("utf8")));
      socket.end();
    });
    await new Promise<void>((resolve) => fake.listen(join(dataDir, "robot.sock"), resolve));
    writeFileSync(join(dataDir, "control.token"), "fake-daemon-token\n", { mode: 0o600 });
    chownSync(dataDir, NOBODY, NOBODY);
    try {
      const cli = (args: string[], input?: string) =>
        heptora(["--data-dir", dataDir, ...args], { env, ...(input ? { input } : {}) });
      const set = await cli(
        ["secrets", "set", "SAP_PASSWORD", "--value-stdin"],
        "Value-To-Steal-1",
      );
      assert.equal(set.code, 1);
      assert.match(set.stderr, /data dir .* belongs to another user/);
      const login = await cli(
        ["login", "--email", "ana@example.com", "--password-stdin"],
        "Password-To-Steal-1",
      );
      assert.equal(login.code, 1);
      assert.equal((await cli(["status"])).code, 1);
      assert.deepEqual(received, [], "nothing reached the fake daemon");
      // The same folder, back with its owner and private: the CLI talks to it again.
      chownSync(dataDir, process.getuid?.() ?? 0, process.getgid?.() ?? 0);
      await cli(["status"]);
      assert.ok(received.join("").includes("Bearer fake-daemon-token"), "control check");
    } finally {
      fake.close();
    }
  });
});
