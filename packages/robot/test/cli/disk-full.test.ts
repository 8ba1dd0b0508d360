/**
 * A full disk (issue 12, docs/adr/0073): the robot's data dir on a small tmpfs that the test fills
 * up, so SQLite really answers SQLITE_FULL. A change then says "the disk is full" with what to do,
 * changes nothing, and loses nothing acknowledged before: after space is freed, and after a
 * restart, every value saved before is there. Needs root (mount), as the CI runs.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { cleanEnv, heptora, type RunningDaemon, startDaemon } from "../support/cli.ts";
import { type FakePlatform, startFakePlatform } from "../support/fake-platform.ts";
import { ANA } from "../support/service.ts";
import { makeTempDir, type TempDir } from "../support/temp.ts";

describe("a full disk under the data dir", () => {
  let temp: TempDir;
  let mountPoint: string;
  let dataDir: string;
  let platform: FakePlatform;
  let daemon: RunningDaemon;
  let env: NodeJS.ProcessEnv;
  const cli = (args: string[], input?: string) =>
    heptora(["--data-dir", dataDir, ...args], { env, ...(input ? { input } : {}) });
  const filler = () => join(mountPoint, "filler");

  /** Takes every free byte of the small disk. */
  function fillTheDisk(): void {
    try {
      writeFileSync(filler(), Buffer.alloc(8 * 1024 * 1024));
    } catch (error) {
      assert.equal((error as NodeJS.ErrnoException).code, "ENOSPC");
    }
  }

  before(async () => {
    temp = makeTempDir();
    mountPoint = join(temp.path, "small-disk");
    mkdirSync(mountPoint, { mode: 0o700 });
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=1536k,mode=0700", "tmpfs", mountPoint]);
    dataDir = join(mountPoint, "data");
    platform = await startFakePlatform();
    platform.addUser(ANA.email, ANA.password);
    platform.addProcess({
      name: "Invoice Processing",
      variables: [{ name: "SAP_USER" }, { name: "SAP_PASSWORD" }],
      assignees: [ANA.email],
    });
    env = cleanEnv({ HEPTORA_KEY_FILE: temp.keyFile, HEPTORA_PLATFORM_URL: platform.url });
    daemon = await startDaemon({ dataDir, env });
    const login = await cli(["login", "--email", ANA.email, "--password-stdin"], ANA.password);
    assert.equal(login.code, 0, login.stderr);
  });
  after(async () => {
    await daemon?.stop();
    await platform?.close();
    try {
      execFileSync("umount", [mountPoint]);
    } finally {
      temp.remove();
    }
  });

  test("a change says the disk is full, changes nothing, and loses nothing saved before", async () => {
    const saved = await cli(["secrets", "set", "SAP_USER", "--value-stdin"], "saved-before-full");
    assert.equal(saved.code, 0, saved.stderr);

    fillTheDisk();
    const big = "x".repeat(60_000);
    const refused = await cli(["secrets", "set", "SAP_PASSWORD", "--value-stdin"], big);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^The disk is full: nothing was changed\. Free some space/);
    assert.ok(!refused.stderr.includes(big.slice(0, 40)), "no value in the message");
    assert.match(daemon.stderr, /the disk is full/);
    assert.doesNotMatch(daemon.stderr, /internal error/);

    rmSync(filler());
    const list = await cli(["secrets", "list", "--json"]);
    const names = JSON.parse(list.stdout) as {
      processes: { variables: { name: string; set: boolean }[] }[];
    };
    const set = Object.fromEntries(
      (names.processes[0]?.variables ?? []).map((v) => [v.name, v.set]),
    );
    assert.deepEqual(
      set,
      { SAP_USER: true, SAP_PASSWORD: false },
      "the refused change did not happen",
    );
    const before = await cli(["secrets", "get", "SAP_USER", "--no-newline"]);
    assert.equal(before.stdout, "saved-before-full");
    const retry = await cli(["secrets", "set", "SAP_PASSWORD", "--value-stdin"], "after-space");
    assert.equal(retry.code, 0, retry.stderr);

    await daemon.stop();
    daemon = await startDaemon({ dataDir, env });
    assert.equal(
      (await cli(["secrets", "get", "SAP_USER", "--no-newline"])).stdout,
      "saved-before-full",
    );
    assert.equal(
      (await cli(["secrets", "get", "SAP_PASSWORD", "--no-newline"])).stdout,
      "after-space",
    );
    assert.equal((await cli(["audit", "verify"])).code, 0, "the audit chain is intact");
  });
});
