/**
 * `heptora vault rotate-key`, `vault backup` and `vault restore` against a real daemon
 * (docs/adr/0080): a rotation keeps every value, the history, the run records and a verifying
 * audit chain; a daemon killed with SIGKILL at every step of a rotation (and at random moments
 * of a large one) starts again with every value intact; a backup restores onto a new data dir
 * whose robot serves the values; a spoiled archive, a wrong passphrase or a data dir in use
 * restore nothing.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { openVault } from "@heptora/vault";
import { cleanEnv, heptora, type RunningDaemon, startDaemon } from "../support/cli.ts";
import { type FakePlatform, startFakePlatform } from "../support/fake-platform.ts";
import { startSecretService } from "../support/secret-service.ts";
import { ANA } from "../support/service.ts";
import { makeTempDir, type TempDir } from "../support/temp.ts";

const repoRoot = join(import.meta.dirname, "..", "..", "..", "..");
const VALUES: Record<string, string> = {
  SAP_USER: "ana.lopez",
  SAP_PASSWORD: "Sup3r-S3cret-Pass!",
  API_TOKEN: "tok_8c1f2e0b9a7d",
};
const BACKUP_PASSPHRASE = "a long backup passphrase";
/** The steps of a rotation (RotateKeyOptions.onStep) for a vault of one chunk of values. */
const STEPS = [
  "begin",
  "values",
  "sealed",
  "ledger",
  "audit",
  "slots",
  "checkpoint-next",
  "keyfile-next",
  "commit",
  "checkpoint-swapped",
  "keyfile-swapped",
];

describe("heptora vault rotate-key, backup and restore", () => {
  let platform: FakePlatform;
  before(async () => {
    platform = await startFakePlatform();
    platform.addUser(ANA.email, ANA.password);
    platform.addProcess({
      name: "Invoice Processing",
      variables: Object.keys(VALUES).map((name) => ({ name })),
      assignees: [ANA.email],
    });
  });
  after(async () => {
    await platform.close();
  });

  /** A robot with its own data dir and key file, signed in as Ana. */
  const robot = (temp: TempDir = makeTempDir(), extraEnv: Record<string, string> = {}) => {
    const env = cleanEnv({
      HEPTORA_KEY_FILE: temp.keyFile,
      HEPTORA_PLATFORM_URL: platform.url,
      ...extraEnv,
    });
    let daemon: RunningDaemon | undefined;
    const self = {
      temp,
      env,
      cli: (args: string[], input?: string) =>
        heptora(["--data-dir", temp.dataDir, ...args], {
          env,
          cwd: repoRoot,
          ...(input === undefined ? {} : { input }),
        }),
      async start(extra: Record<string, string> = {}) {
        daemon = await startDaemon({ dataDir: temp.dataDir, env: { ...env, ...extra } });
        return daemon;
      },
      get daemon() {
        return daemon;
      },
      async stop() {
        await daemon?.stop();
        daemon = undefined;
      },
      async ok(args: string[], input?: string) {
        const result = await self.cli(args, input);
        assert.equal(result.code, 0, `heptora ${args.join(" ")}: ${result.stderr}`);
        return result;
      },
      async login() {
        await self.ok(["login", "--email", ANA.email, "--password-stdin"], `${ANA.password}\n`);
      },
      async expectValues(values: Record<string, string> = VALUES) {
        for (const [name, value] of Object.entries(values)) {
          const got = await self.ok(["secrets", "get", name, "--no-newline"]);
          assert.equal(got.stdout, value, name);
        }
        const verify = await self.cli(["audit", "verify"]);
        assert.equal(verify.code, 0, `audit verify: ${verify.stdout} ${verify.stderr}`);
        const status = JSON.parse((await self.ok(["status", "--json"])).stdout) as {
          integrity: { ok: boolean; problems: string[] };
        };
        assert.deepEqual(status.integrity.problems, []);
      },
      async rotations(): Promise<number> {
        const listed = await self.ok(["audit", "list", "--type", "vault.key_rotated", "--json"]);
        return (JSON.parse(listed.stdout) as { entries: unknown[] }).entries.length;
      },
      async cleanup() {
        await self.stop();
        temp.remove();
      },
    };
    return self;
  };

  const seeded = async (r = robot()) => {
    await r.start();
    await r.login();
    for (const [name, value] of Object.entries(VALUES)) {
      await r.ok(["secrets", "set", name, "--value-stdin"], `${value}-old`);
      await r.ok(["secrets", "set", name, "--value-stdin"], value);
    }
    return r;
  };

  test("rotate-key re-seals values, history and run records; the audit chain verifies across it", async () => {
    const r = await seeded();
    try {
      const run = await r.cli([
        "run",
        "Invoice Processing",
        "--",
        process.execPath,
        "-e",
        "console.log('hello')",
      ]);
      assert.equal(run.code, 0, run.stderr);
      const keyFileBefore = readFileSync(r.temp.keyFile, "utf8");

      const rotated = await r.ok(["vault", "rotate-key"]);
      assert.match(
        rotated.stdout,
        /data key was rotated: 3 values of 1 person \(6 kept versions\)/,
      );
      assert.match(rotated.stdout, /\(keyfile\)/);
      assert.match(rotated.stderr, /Re-sealing values: 6 \/ 6 \(100%\)/);
      for (const value of Object.values(VALUES)) {
        assert.equal(rotated.stdout.includes(value), false);
        assert.equal(rotated.stderr.includes(value), false);
      }
      assert.notEqual(readFileSync(r.temp.keyFile, "utf8"), keyFileBefore);
      // The daemon's log says it happened, and carries no value.
      assert.match(r.daemon?.stderr ?? "", /data key was rotated/);
      for (const value of Object.values(VALUES)) {
        assert.equal(r.daemon?.stderr.includes(value), false, "a value in the daemon's log");
      }

      await r.expectValues();
      const history = JSON.parse(
        (await r.ok(["secrets", "history", "SAP_PASSWORD", "--json"])).stdout,
      );
      assert.equal(history.versions.length, 2);
      const runs = JSON.parse((await r.ok(["runs", "list", "--json"])).stdout) as {
        runs: { runId: string }[];
      };
      const shown = await r.ok(["runs", "show", runs.runs[0]?.runId as string, "--json"]);
      assert.deepEqual(JSON.parse(shown.stdout).command.slice(1), ["-e", "console.log('hello')"]);
      assert.equal(await r.rotations(), 1);

      // Restarted from disk: the new key file opens it, nothing reports tampering.
      await r.stop();
      const daemon = await r.start();
      assert.doesNotMatch(daemon.stdout, /TAMPERING/);
      await r.expectValues();
    } finally {
      await r.cleanup();
    }
  });

  /** Kills a rotation at each of its steps; after each, a restart opens the vault with every value. */
  const killAtEveryStep = async (
    r: Awaited<ReturnType<typeof seeded>>,
    afterEach: (step: string) => Promise<void> = async () => {},
  ) => {
    let expected = await r.rotations();
    await r.stop();
    for (const [index, step] of STEPS.entries()) {
      const daemon = await r.start({ HEPTORA_TEST_ROTATION_KILL_AT: String(index + 1) });
      const rotation = await r.cli(["vault", "rotate-key"]);
      assert.notEqual(rotation.code, 0, `the daemon was to die at '${step}'`);
      await daemon.kill9(); // already dead: waits for its exit
      assert.equal(daemon.child.signalCode, "SIGKILL", step);
      await r.stop();

      const restarted = await r.start();
      assert.doesNotMatch(restarted.stdout, /TAMPERING/, step);
      await r.expectValues();
      await afterEach(step);
      if (index >= STEPS.indexOf("commit")) expected++;
      assert.equal(await r.rotations(), expected, `rotations after a kill at '${step}'`);
      // After COMMIT the new key file was swapped in (at the restart if need be); before it, a
      // leftover `.next` opens nothing and the next rotation removes it.
      if (index >= STEPS.indexOf("commit")) {
        assert.equal(existsSync(`${r.temp.keyFile}.next`), false, step);
      }
      await r.stop();
    }
    // And the vault still rotates after all that.
    await r.start();
    await r.ok(["vault", "rotate-key"]);
    await r.expectValues();
    assert.equal(existsSync(`${r.temp.keyFile}.next`), false);
    assert.equal(existsSync(`${r.temp.keyFile}.checkpoint.next`), false);
  };

  test("a rotation killed with SIGKILL at every step leaves a vault that opens with every value", async () => {
    const r = await seeded();
    try {
      await killAtEveryStep(r);
    } finally {
      await r.cleanup();
    }
  });

  test(
    "a rotation killed at every step of a vault whose slot is the OS keychain opens with the old or the new keychain entry",
    {
      skip: process.platform !== "linux" && "Linux's Secret Service",
    },
    async () => {
      const temp = makeTempDir();
      const bus = await startSecretService(join(temp.path, "keyring-home"));
      const r = await seeded(robot(temp, { DBUS_SESSION_BUS_ADDRESS: bus.address }));
      const keychainStatus = async () =>
        JSON.parse((await r.ok(["vault", "status", "--json"])).stdout) as {
          unlockedWith: string;
          slots: { id: string; kind: string }[];
        };
      try {
        const before = await keychainStatus();
        assert.equal(before.unlockedWith, "os-keychain");
        assert.equal(existsSync(temp.keyFile), false, "a keychain vault has no key file");
        const rotated = await r.ok(["vault", "rotate-key"]);
        assert.match(rotated.stdout, /\(os-keychain\)/);
        const once = await keychainStatus();
        assert.equal(once.unlockedWith, "os-keychain");
        assert.notEqual(once.slots[0]?.id, before.slots[0]?.id, "the slot has a new id and entry");
        // The unlocking slot is the new one (a removal of it is what the window offers).
        let lastId = once.slots[0]?.id;
        await killAtEveryStep(r, async (step) => {
          const status = await keychainStatus();
          assert.equal(status.unlockedWith, "os-keychain", step);
          assert.deepEqual(
            status.slots.map((s) => s.kind),
            ["os-keychain"],
            step,
          );
          const id = status.slots[0]?.id;
          if (STEPS.indexOf(step) >= STEPS.indexOf("commit")) assert.notEqual(id, lastId, step);
          else assert.equal(id, lastId, step);
          lastId = id;
        });
        assert.equal(existsSync(temp.keyFile), false, "no key file was ever written");

        // Restored onto a new data dir on a machine whose OS keychain answers: the new slot is
        // the keychain's, as a new vault's would be.
        const archive = join(temp.path, "robot.heptora-backup");
        await r.ok(["vault", "backup", archive, "--passphrase-stdin"], BACKUP_PASSPHRASE);
        const target = robot(makeTempDir(), { DBUS_SESSION_BUS_ADDRESS: bus.address });
        try {
          const restored = await target.ok(
            ["vault", "restore", archive, "--passphrase-stdin"],
            BACKUP_PASSPHRASE,
          );
          assert.match(restored.stdout, /Its new key is kept in this machine's OS keychain/);
          assert.equal(existsSync(target.temp.keyFile), false);
          const daemon = await target.start();
          assert.doesNotMatch(daemon.stdout, /TAMPERING/);
          await target.expectValues();
          const status = JSON.parse((await target.ok(["vault", "status", "--json"])).stdout) as {
            unlockedWith: string;
            slots: { kind: string }[];
          };
          assert.equal(status.unlockedWith, "os-keychain");
          assert.deepEqual(
            status.slots.map((s) => s.kind),
            ["os-keychain"],
          );
        } finally {
          await target.cleanup();
        }
      } finally {
        await r.cleanup();
        await bus.stop();
      }
    },
  );

  test("a locked robot refuses rotate-key and backup; a vault with only a passphrase rotates with --passphrase-stdin", async () => {
    const r = await seeded();
    const passphrase = "the vault's long passphrase";
    try {
      await r.ok(["vault", "slots", "add", "passphrase", "--passphrase-stdin"], `${passphrase}\n`);
      const slots = JSON.parse((await r.ok(["vault", "slots", "list", "--json"])).stdout) as {
        slots: { id: string; kind: string }[];
      };
      const keyfile = slots.slots.find((s) => s.kind === "keyfile");
      await r.ok(["vault", "slots", "remove", keyfile?.id as string]);
      await r.ok(["lock"]);

      const rotate = await r.cli(["vault", "rotate-key", "--passphrase-stdin"], `${passphrase}\n`);
      assert.notEqual(rotate.code, 0);
      assert.match(rotate.stderr, /vault is locked/i);
      const archive = join(r.temp.path, "locked.hbak");
      const backup = await r.cli(
        ["vault", "backup", archive, "--passphrase-stdin"],
        `${BACKUP_PASSPHRASE}\n`,
      );
      assert.notEqual(backup.code, 0);
      assert.match(backup.stderr, /vault is locked/i);
      assert.equal(existsSync(archive), false);

      await r.ok(["unlock", "--passphrase-stdin"], `${passphrase}\n`);
      const without = await r.cli(["vault", "rotate-key"]);
      assert.notEqual(without.code, 0);
      assert.match(without.stderr, /No key slot of this vault can take the new data key/);
      assert.equal(await r.rotations(), 0, "a refused rotation changes nothing");

      const rotated = await r.ok(["vault", "rotate-key", "--passphrase-stdin"], `${passphrase}\n`);
      assert.match(rotated.stdout, /\(passphrase\)/);
      assert.equal(rotated.stdout.includes(passphrase), false);
      assert.equal(r.daemon?.stderr.includes(passphrase), false, "the passphrase in the log");
      await r.expectValues();

      // Restarted: locked (a passphrase opens it), and the same passphrase unlocks the new key.
      await r.stop();
      const daemon = await r.start();
      assert.match(daemon.stdout, /The vault is locked/);
      await r.ok(["unlock", "--passphrase-stdin"], `${passphrase}\n`);
      await r.expectValues();
      assert.equal(await r.rotations(), 1);
    } finally {
      await r.cleanup();
    }
  });

  test("a large rotation killed at random moments never loses the vault", async () => {
    const r = robot();
    const names = Array.from({ length: 20_000 }, (_, i) => `BULK_${i}`);
    try {
      const seed = openVault({ dataDir: r.temp.dataDir, keyFile: r.temp.keyFile });
      seed.setSecrets(
        ANA.email,
        names.map((name, i) => ({ name, value: `bulk-value-${i}` })),
      );
      seed.close();
      for (let round = 0; round < 3; round++) {
        const daemon = await r.start();
        const { spawn } = await import("node:child_process");
        const { HEPTORA_BIN } = await import("../support/cli.ts");
        const child = spawn(
          process.execPath,
          [HEPTORA_BIN, "--data-dir", r.temp.dataDir, "vault", "rotate-key"],
          { env: r.env, stdio: ["ignore", "pipe", "pipe"] },
        );
        // Killed once the rotation is under way, a random moment later.
        await new Promise<void>((resolve) => {
          child.stderr.once("data", () => resolve());
          child.once("exit", () => resolve());
        });
        await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 400)));
        await daemon.kill9();
        await new Promise((resolve) => child.once("close", resolve));
        await r.stop();

        const vault = openVault({ dataDir: r.temp.dataDir, keyFile: r.temp.keyFile });
        try {
          for (const [i, name] of names.entries()) {
            assert.equal(vault.getSecret(ANA.email, name)?.value, `bulk-value-${i}`, name);
          }
          assert.deepEqual(vault.verifyAudit().problems, [], `round ${round}`);
          assert.deepEqual(vault.integrity().problems, [], `round ${round}`);
        } finally {
          vault.close();
        }
      }
    } finally {
      await r.cleanup();
    }
  });

  test("backup, then restore onto a new data dir whose robot serves the values", async () => {
    const r = await seeded();
    const target = robot();
    try {
      const archive = join(r.temp.path, "robot.heptora-backup");
      const short = await r.cli(["vault", "backup", archive, "--passphrase-stdin"], "short");
      assert.equal(short.code, 2);
      assert.match(short.stderr, /8 to 1024 characters: nothing was written/);
      assert.equal(existsSync(archive), false);
      const nowhere = await r.cli(
        ["vault", "backup", join(r.temp.path, "no-such-folder", "x"), "--passphrase-stdin"],
        BACKUP_PASSPHRASE,
      );
      assert.equal(nowhere.code, 1);
      assert.match(
        nowhere.stderr,
        /Cannot write the backup archive .*no-such-folder.*nothing was written/,
      );
      const backup = await r.ok(
        ["vault", "backup", archive, "--passphrase-stdin"],
        BACKUP_PASSPHRASE,
      );
      assert.match(backup.stdout, /Backup written to .*: 3 values of 1 person \(6 kept versions\)/);
      const bytes = readFileSync(archive);
      for (const value of Object.values(VALUES)) assert.equal(bytes.includes(value), false);
      for (const secret of [...Object.values(VALUES), BACKUP_PASSPHRASE]) {
        assert.equal(r.daemon?.stderr.includes(secret), false, "a secret in the daemon's log");
        assert.equal(backup.stdout.includes(secret), false);
      }

      // Refused while a robot runs on the data dir, and on a data dir that has a vault.
      const busy = await r.cli(
        ["vault", "restore", archive, "--passphrase-stdin"],
        BACKUP_PASSPHRASE,
      );
      assert.equal(busy.code, 1);
      assert.match(busy.stderr, /A robot is running on .*: nothing was restored/);
      await r.stop();
      const occupied = await r.cli(
        ["vault", "restore", archive, "--passphrase-stdin"],
        BACKUP_PASSPHRASE,
      );
      assert.equal(occupied.code, 1);
      assert.match(occupied.stderr, /already holds a vault: nothing was restored/);

      // A wrong passphrase, a flipped byte, a cut archive: nothing written on the new data dir.
      const spoiled = join(target.temp.path, "spoiled");
      const flipped = Buffer.from(bytes);
      flipped[Math.floor(bytes.length / 2)] = (flipped[Math.floor(bytes.length / 2)] as number) ^ 1;
      for (const [content, passphrase, message] of [
        [bytes, "not the passphrase at all", /passphrase does not open this backup/],
        [flipped, BACKUP_PASSPHRASE, /damaged, cut short or was changed/],
        [
          bytes.subarray(0, bytes.length - 100),
          BACKUP_PASSPHRASE,
          /damaged, cut short or was changed/,
        ],
      ] as const) {
        writeFileSync(spoiled, content);
        const refused = await target.cli(
          ["vault", "restore", spoiled, "--passphrase-stdin"],
          passphrase,
        );
        assert.equal(refused.code, 1, refused.stdout);
        assert.match(refused.stderr, message);
        assert.equal(existsSync(join(target.temp.dataDir, "vault.db")), false);
        assert.equal(existsSync(target.temp.keyFile), false);
      }

      const restored = await target.ok(
        ["vault", "restore", archive, "--passphrase-stdin"],
        BACKUP_PASSPHRASE,
      );
      assert.match(
        restored.stdout,
        /Restored vault .* into .*: 3 values of 1 person \(6 kept versions\), \d+ audit entries/,
      );
      // No OS keychain answers here: a key file, with the warning a new vault's key file gets.
      assert.match(restored.stdout, /Its new key file: .*robot\.key \(no OS keychain here: /);
      assert.match(restored.stdout, /Warning: the vault key is protected by file permissions only/);
      await target.start();
      await target.expectValues();
      const restoredEntries = await target.ok([
        "audit",
        "list",
        "--type",
        "vault.restored",
        "--json",
      ]);
      assert.equal(
        (JSON.parse(restoredEntries.stdout) as { entries: unknown[] }).entries.length,
        1,
      );
    } finally {
      await r.cleanup();
      await target.cleanup();
    }
  });
});
