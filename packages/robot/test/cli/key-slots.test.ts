/**
 * Key slots through the CLI against a real daemon (issue 14, docs/adr/0078): a new robot without
 * an OS keychain falls back to a key file (with the warning); a person signed in adds a
 * passphrase and a recovery key and removes the key file; the robot then starts LOCKED (reads and
 * runs get vault_locked) until `heptora unlock`; `heptora lock`; wrong passphrases are rate
 * limited across a restart and audited at the next unlock; a mistyped recovery key is told apart;
 * HEPTORA_VAULT_PASSPHRASE_FILE unlocks an unattended robot, and a file others can read is
 * refused; the idle auto-lock. No passphrase or recovery key ever reaches an output or a log.
 */
import assert from "node:assert/strict";
import { chmodSync, existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { cleanEnv, heptora, type RunningDaemon, startDaemon } from "../support/cli.ts";
import { type FakePlatform, startFakePlatform } from "../support/fake-platform.ts";
import { ANA } from "../support/service.ts";
import { makeTempDir, type TempDir } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";

const PASSPHRASE = "plum-orbit-Kestrel-93";
const WRONG = "plum-orbit-kestrel-93";

describe("key slots, lock and unlock through the CLI", () => {
  let temp: TempDir;
  let platform: FakePlatform;
  let daemon: RunningDaemon;
  let env: NodeJS.ProcessEnv;
  let recoveryKey = "";
  const outputs: string[] = [];
  const cli = async (args: string[], input?: string, extraEnv: NodeJS.ProcessEnv = {}) => {
    const result = await heptora(["--data-dir", temp.dataDir, ...args], {
      env: { ...env, ...extraEnv },
      ...(input === undefined ? {} : { input }),
    });
    outputs.push(result.stdout, result.stderr);
    return result;
  };
  const json = async (args: string[]) => {
    const result = await cli([...args, "--json"]);
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout);
  };
  const restart = async (extraEnv: NodeJS.ProcessEnv = {}) => {
    await daemon.stop();
    outputs.push(daemon.stdout, daemon.stderr);
    daemon = await startDaemon({ dataDir: temp.dataDir, env: { ...env, ...extraEnv } });
  };

  before(async () => {
    temp = makeTempDir();
    platform = await startFakePlatform();
    platform.addUser(ANA.email, ANA.password);
    platform.addProcess({
      name: "Invoice Processing",
      variables: [{ name: "SAP_USER" }],
      assignees: [ANA.email],
    });
    // No session bus in the test's environment: no OS keychain can answer.
    env = cleanEnv({ HEPTORA_KEY_FILE: temp.keyFile, HEPTORA_PLATFORM_URL: platform.url });
    daemon = await startDaemon({ dataDir: temp.dataDir, env });
  });
  after(async () => {
    await daemon.stop();
    await platform.close();
    temp.remove();
  });

  test("without an OS keychain a new robot's key is in a key file, and vault status warns", async () => {
    assert.match(daemon.stderr, /No OS keychain here .*a key file protects the new vault/);
    assert.ok(existsSync(temp.keyFile));
    const status = await cli(["vault", "status"]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /^Vault: +unlocked \(opened with its key file slot\)$/m);
    assert.match(status.stdout, /^Key slots: +1 \(1 key file\)$/m);
    assert.match(status.stdout, /^Auto-lock: +off$/m);
    assert.match(status.stderr, /Warning: The vault key is protected by file permissions only/);
    const asJson = await json(["vault", "status"]);
    assert.equal(asJson.locked, false);
    assert.deepEqual(
      asJson.slots.map((s: { kind: string }) => s.kind),
      ["keyfile"],
    );
    assert.match(asJson.warning, /file permissions only/);
  });

  test("slots change only for a person signed in; lock is refused while nothing could unlock", async () => {
    const add = await cli(["vault", "slots", "add", "recovery"]);
    assert.equal(add.code, 1);
    assert.match(add.stderr, /Sign in before changing the vault's key slots/);
    const lock = await cli(["lock"]);
    assert.equal(lock.code, 1);
    assert.match(lock.stderr, /no passphrase or recovery key, so nothing could unlock it again/);
    const login = await cli(
      ["login", "--email", ANA.email, "--password-stdin"],
      `${ANA.password}\n`,
    );
    assert.equal(login.code, 0, login.stderr);
    const set = await cli(["secrets", "set", "SAP_USER", "--value-stdin"], "ana-sap-user");
    assert.equal(set.code, 0, set.stderr);
  });

  test("a passphrase from stdin and a recovery key shown once; slots list one a line", async () => {
    const short = await cli(["vault", "slots", "add", "passphrase", "--passphrase-stdin"], "short");
    assert.equal(short.code, 1);
    assert.match(short.stderr, /8 to 1024 characters/);
    const noTerminal = await cli(["vault", "slots", "add", "passphrase"]);
    assert.equal(noTerminal.code, 2);
    assert.match(noTerminal.stderr, /--passphrase-stdin/);
    const added = await cli(
      ["vault", "slots", "add", "passphrase", "--passphrase-stdin"],
      `${PASSPHRASE}\n`,
    );
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /^Added a passphrase slot: \S+$/m);
    const recovery = await cli(["vault", "slots", "add", "recovery"]);
    assert.equal(recovery.code, 0, recovery.stderr);
    const key = recovery.stdout.match(
      /^ {4}((?:[0-9A-HJKMNP-TV-Z]{7}-){7}[0-9A-HJKMNP-TV-Z]{7})$/m,
    );
    assert.ok(key, recovery.stdout);
    recoveryKey = key[1] as string;
    assert.match(recovery.stdout, /Write this recovery key down now .* shown only once/);
    const list = await cli(["vault", "slots", "list"]);
    assert.equal(list.code, 0, list.stderr);
    const lines = list.stdout.trim().split("\n");
    assert.equal(lines.length, 3);
    assert.deepEqual(
      lines.map((line) => line.split(/\s+/)[1]),
      ["keyfile", "passphrase", "recovery"],
    );
    const listed = await json(["vault", "slots", "list"]);
    assert.deepEqual(listed.slots[1].argon2id, { memoryKiB: 65536, passes: 3 });
    assert.ok(!JSON.stringify(listed).includes(recoveryKey), "the recovery key is not kept");
  });

  test("removing the key-file slot deletes the key file; the last slot is never removed", async () => {
    const { slots } = await json(["vault", "slots", "list"]);
    const keyfile = slots.find((s: { kind: string }) => s.kind === "keyfile");
    const removed = await cli(["vault", "slots", "remove", keyfile.id]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.match(removed.stdout, /Removed the key file slot .*\nThe key file was deleted\./);
    assert.equal(existsSync(temp.keyFile), false);
    const unknown = await cli(["vault", "slots", "remove", "no-such-slot"]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no key slot 'no-such-slot'.*slots list/);
    const status = await json(["vault", "status"]);
    assert.equal(status.warning, null, "no key file, no warning");
  });

  test("with only a passphrase and a recovery key the robot starts locked until heptora unlock", async () => {
    await restart();
    assert.match(daemon.stdout, /The vault is locked .*Unlock it with: heptora unlock/);
    const status = await cli(["vault", "status"]);
    assert.match(status.stdout, /^Vault: +locked/m);
    assert.match(status.stdout, /^Key slots: +2 \(1 passphrase, 1 recovery key\)$/m);
    const read = await cli(["secrets", "get", "SAP_USER"]);
    assert.equal(read.code, 1);
    assert.match(read.stderr, /The vault is locked/);
    const run = await cli(["run", "Invoice Processing", "--", process.execPath, "-e", "0"]);
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /The vault is locked/);
    const wrong = await cli(["unlock", "--passphrase-stdin"], `${WRONG}\n`);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /The passphrase is not correct/);
    const unlocked = await cli(["unlock", "--passphrase-stdin"], `${PASSPHRASE}\n`);
    assert.equal(unlocked.code, 0, unlocked.stderr);
    assert.match(unlocked.stdout, /The vault is unlocked \(with its passphrase slot\)/);
    const value = await cli(["secrets", "get", "SAP_USER"]);
    assert.equal(value.code, 0, value.stderr);
    assert.match(value.stdout, /ana-sap-user/);
  });

  test("heptora lock, then a mistyped recovery key is told apart, and the right one unlocks", async () => {
    const lock = await cli(["lock"]);
    assert.equal(lock.code, 0, lock.stderr);
    assert.equal((await json(["vault", "status"])).locked, true);
    assert.match((await cli(["secrets", "get", "SAP_USER"])).stderr, /The vault is locked/);
    const last = recoveryKey.endsWith("0") ? "1" : "0";
    const typo = await cli(
      ["unlock", "--recovery-key-stdin"],
      `${recoveryKey.slice(0, -1)}${last}\n`,
    );
    assert.equal(typo.code, 1);
    assert.match(typo.stderr, /has a typo.*Check it against the copy you wrote down/);
    const right = await cli(["unlock", "--recovery-key-stdin"], `${recoveryKey.toLowerCase()}\n`);
    assert.equal(right.code, 0, right.stderr);
    assert.match(right.stdout, /with its recovery key slot/);
  });

  test("wrong passphrases wait longer after 3 tries, across a restart, and are audited", async () => {
    assert.equal((await cli(["lock"])).code, 0);
    for (let i = 0; i < 3; i += 1) {
      const wrong = await cli(["unlock", "--passphrase-stdin"], `${WRONG}\n`);
      assert.match(wrong.stderr, /not correct/);
    }
    const waiting = await cli(["unlock", "--passphrase-stdin"], `${PASSPHRASE}\n`);
    assert.equal(waiting.code, 1);
    assert.match(waiting.stderr, /Too many wrong passphrases or recovery keys: wait \d+ seconds?/);
    await restart();
    const status = await json(["vault", "status"]);
    assert.equal(status.locked, true);
    assert.ok(status.failedUnlocks >= 3, JSON.stringify(status));
    // The wait is a few seconds: try the right passphrase until it is over.
    await waitFor(
      async () => (await cli(["unlock", "--passphrase-stdin"], `${PASSPHRASE}\n`)).code === 0,
      "the unlock to be allowed again",
      60_000,
    );
    const failed = await json(["audit", "list", "--type", "vault.unlock_failed"]);
    assert.ok(failed.entries.length >= 4, JSON.stringify(failed));
    assert.ok(failed.entries.every((e: { outcome: string }) => e.outcome === "failed"));
    const locks = await json(["audit", "list", "--type", "lock"]);
    assert.ok(locks.entries.length >= 2);
    const unlocks = await json(["audit", "list", "--type", "unlock"]);
    assert.ok(unlocks.entries.some((e: { actor: string }) => e.actor === "cli"));
    assert.equal((await json(["vault", "status"])).failedUnlocks, 0);
  });

  test("HEPTORA_VAULT_PASSPHRASE_FILE: refused when others can read it, else unlocks at start", async () => {
    const file = join(temp.path, "vault-passphrase");
    writeFileSync(file, `${PASSPHRASE}\n`, { mode: 0o644 });
    chmodSync(file, 0o644);
    await daemon.stop();
    outputs.push(daemon.stdout, daemon.stderr);
    const refused = await heptora(["start", "--data-dir", temp.dataDir], {
      env: { ...env, HEPTORA_VAULT_PASSPHRASE_FILE: file },
    });
    outputs.push(refused.stdout, refused.stderr);
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /passphrase file .* can be read or changed by other users \(mode 0644\).*chmod 600/,
    );
    chmodSync(file, 0o600);
    daemon = await startDaemon({
      dataDir: temp.dataDir,
      env: { ...env, HEPTORA_VAULT_PASSPHRASE_FILE: file, HEPTORA_AUTO_LOCK_MINUTES: "0.03" },
    });
    const status = await json(["vault", "status"]);
    assert.equal(status.unlockedWith, "passphrase");
    assert.equal(status.autoLockMinutes, 0.03);
    // Nothing uses the vault: the auto-lock comes after 1.8 s (vault status is not a use).
    await waitFor(
      async () => (await json(["vault", "status"])).locked,
      "the idle auto-lock",
      30_000,
    );
    const after = await json(["vault", "status"]);
    assert.match(after.lockedReason, /without use/);
    assert.match(daemon.stderr, /Locked the vault after 0\.03 minute\(s\) without use/);
  });

  test("no passphrase or recovery key ever reached an output or the daemon's log", async () => {
    outputs.push(daemon.stdout, daemon.stderr);
    const all = outputs.join("\n");
    assert.ok(!all.includes(PASSPHRASE), "the passphrase");
    assert.ok(!all.includes(WRONG), "a wrong passphrase");
    const shown = outputs.filter((text) => text.includes(recoveryKey)).length;
    assert.equal(shown, 1, "the recovery key was printed once, when it was made");
  });
});
