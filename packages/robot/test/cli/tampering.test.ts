/**
 * Tampering with the vault file as someone who can write it but has no key (issue 12, docs/adr/
 * 0074), seen through the public faces: `heptora secrets get`, a run's `getSecret` (SDK),
 * `heptora audit verify`, `heptora status --json`, `heptora start`'s output and the status report
 * the platform receives. Every attack puts back older GENUINE rows or files, copied from an
 * earlier state of the same vault, so each row still authenticates on its own.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { copyFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { after, before, describe, test } from "node:test";
import { cleanEnv, HEPTORA_BIN, heptora, type RunningDaemon, startDaemon } from "../support/cli.ts";
import { type FakePlatform, startFakePlatform } from "../support/fake-platform.ts";
import { ANA } from "../support/service.ts";
import { makeTempDir, type TempDir } from "../support/temp.ts";

const repoRoot = join(import.meta.dirname, "..", "..", "..", "..");
const OLD = "0ld-Passw0rd-replaced-in-March";
const NEW = "N3w-Passw0rd-current-one";

type Row = Record<string, unknown>;
interface StatusJson {
  integrity: { ok: boolean; problems: string[] };
}

describe("tampering with the vault file, through the CLI, the SDK and the platform report", () => {
  let temp: TempDir;
  let platform: FakePlatform;
  let env: NodeJS.ProcessEnv;
  let daemon: RunningDaemon | undefined;
  const dbPath = () => join(temp.dataDir, "vault.db");
  const cli = (args: string[], input?: string) =>
    heptora(["--data-dir", temp.dataDir, ...args], {
      env,
      cwd: repoRoot,
      ...(input === undefined ? {} : { input }),
    });
  const start = async () => {
    daemon = await startDaemon({ dataDir: temp.dataDir, env });
    return daemon;
  };
  const stop = async () => {
    await daemon?.stop();
    daemon = undefined;
  };
  const raw = (work: (db: DatabaseSync) => void) => {
    const db = new DatabaseSync(dbPath(), { timeout: 10_000 });
    try {
      work(db);
    } finally {
      db.close();
    }
  };
  const status = async (): Promise<StatusJson> => {
    const result = await cli(["status", "--json"]);
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as StatusJson;
  };
  const setPassword = async (value: string) => {
    const set = await cli(["secrets", "set", "SAP_PASSWORD", "--value-stdin"], value);
    assert.equal(set.code, 0, set.stderr);
  };

  before(async () => {
    platform = await startFakePlatform();
    platform.addUser(ANA.email, ANA.password);
    platform.addProcess({
      name: "Invoice Processing",
      variables: [{ name: "SAP_USER" }, { name: "SAP_PASSWORD" }],
      assignees: [ANA.email],
    });
  });
  after(async () => {
    await platform.close();
  });

  const fresh = async () => {
    temp = makeTempDir();
    env = cleanEnv({ HEPTORA_KEY_FILE: temp.keyFile, HEPTORA_PLATFORM_URL: platform.url });
    await start();
    const login = await cli(
      ["login", "--email", ANA.email, "--password-stdin"],
      `${ANA.password}\n`,
    );
    assert.equal(login.code, 0, login.stderr);
  };
  const cleanup = async () => {
    await stop();
    temp.remove();
  };

  test("a current version rolled back to an older genuine row is refused by secrets get and the SDK, audited, and shown in status", async () => {
    await fresh();
    try {
      await setPassword(OLD);
      let older: Row = {};
      raw((db) => {
        older = db.prepare("SELECT * FROM secrets WHERE name = 'SAP_PASSWORD'").get() as Row;
      });
      await setPassword(NEW);
      assert.equal((await status()).integrity.ok, true);
      // A run started before the tampering asks for the value after it (stdin says when).
      const script = [
        'import { getSecret } from "@heptora/sdk";',
        'process.stdout.write("ready\\n");',
        "for await (const chunk of process.stdin) if (String(chunk).includes('go')) break;",
        'try { await getSecret("SAP_PASSWORD"); process.stdout.write("served\\n"); }',
        'catch (error) { process.stdout.write("refused: " + error.message + "\\n"); }',
        "process.exit(0);",
      ].join("\n");
      const child = spawn(
        process.execPath,
        [
          HEPTORA_BIN,
          "--data-dir",
          temp.dataDir,
          "run",
          "Invoice Processing",
          // Only SAP_PASSWORD is set: the pre-run check would stop the run before it starts.
          "--allow-missing",
          "--",
          process.execPath,
          "--input-type=module",
          "-e",
          script,
        ],
        { env, cwd: repoRoot, stdio: ["pipe", "pipe", "pipe"] },
      );
      let runOut = "";
      const ready = new Promise<void>((resolve) => {
        child.stdout.on("data", (chunk: Buffer) => {
          runOut += chunk.toString("utf8");
          if (runOut.includes("ready")) resolve();
        });
      });
      const exited = once(child, "close");
      // A run that ends before it is ready fails the test at once, with what it said.
      await Promise.race([
        ready,
        exited.then(() => assert.fail(`the run ended before it was ready: ${runOut}`)),
      ]);
      // Put the older row back while the robot runs: version 1 is still kept as history.
      raw((db) => {
        db.prepare(
          `UPDATE secrets SET current_version = ?, latest_version = ?, updated_at = ?, gen = ?,
             mac = ? WHERE name = 'SAP_PASSWORD'`,
        ).run(
          older.current_version as number,
          older.latest_version as number,
          older.updated_at as string,
          older.gen as number,
          older.mac as string,
        );
      });

      const get = await cli(["secrets", "get", "SAP_PASSWORD"]);
      assert.notEqual(get.code, 0);
      assert.match(get.stderr, /integrity check/);
      assert.match(get.stderr, /'SAP_PASSWORD'/);
      for (const output of [get.stdout, get.stderr]) {
        assert.equal(output.includes(OLD) || output.includes(NEW), false);
      }

      child.stdin.end("go\n");
      await exited;
      assert.match(runOut, /refused: .*integrity check.*'SAP_PASSWORD'/);
      assert.equal(runOut.includes(OLD) || runOut.includes(NEW), false);

      const list = await cli(["audit", "list", "--json", "--limit", "50"]);
      const entries = (JSON.parse(list.stdout) as { entries: Row[] }).entries;
      const refused = entries.filter((e) => e.type === "secret.read_refused");
      assert.ok(refused.length >= 2, list.stdout);
      assert.ok(refused.every((e) => e.name === "SAP_PASSWORD"));
      assert.equal(list.stdout.includes(OLD), false);

      const report = await status();
      assert.equal(report.integrity.ok, false);
      assert.match(report.integrity.problems.join(" "), /older state/);
      const table = await cli(["status"]);
      assert.match(table.stdout, /Integrity: +FAILED/);
    } finally {
      await cleanup();
    }
  });

  test("an unset value brought back from an older row is refused after a restart too", async () => {
    await fresh();
    try {
      await setPassword(OLD);
      let older: Row = {};
      raw((db) => {
        older = db.prepare("SELECT * FROM secrets WHERE name = 'SAP_PASSWORD'").get() as Row;
      });
      const unset = await cli(["secrets", "unset", "SAP_PASSWORD"]);
      assert.equal(unset.code, 0, unset.stderr);
      await stop();
      raw((db) => {
        db.prepare(
          "UPDATE secrets SET current_version = ?, updated_at = ?, gen = ?, mac = ? WHERE name = 'SAP_PASSWORD'",
        ).run(
          older.current_version as number,
          older.updated_at as string,
          older.gen as number,
          older.mac as string,
        );
      });
      const restarted = await start();
      assert.match(restarted.stdout, /TAMPERING DETECTED: .*older state/);
      const get = await cli(["secrets", "get", "SAP_PASSWORD"]);
      assert.notEqual(get.code, 0);
      assert.match(get.stderr, /integrity check.*'SAP_PASSWORD'/);
      assert.equal(get.stdout.includes(OLD) || get.stderr.includes(OLD), false);
    } finally {
      await cleanup();
    }
  });

  test("an old audit head put back after later entries were deleted: start, audit verify and status say so", async () => {
    await fresh();
    try {
      await stop();
      let head: Row = {};
      let seq = 0;
      raw((db) => {
        head = db.prepare("SELECT seq, mac, seal FROM audit_head").get() as Row;
        seq = head.seq as number;
      });
      await start();
      await setPassword(NEW);
      const reveal = await cli(["secrets", "get", "SAP_PASSWORD"]);
      assert.equal(reveal.code, 0, reveal.stderr);
      await stop();
      raw((db) => {
        db.prepare("DELETE FROM audit WHERE seq > ?").run(seq);
        db.prepare("UPDATE audit_head SET seq = ?, mac = ?, seal = ?").run(
          seq,
          head.mac as string,
          head.seal as string,
        );
      });

      const restarted = await start();
      assert.match(restarted.stdout, /TAMPERING DETECTED: .*audit log was cut/);
      const verify = await cli(["audit", "verify"]);
      assert.notEqual(verify.code, 0);
      assert.match(
        verify.stdout + verify.stderr,
        new RegExp(`Entries ${seq + 1} to \\d+ were removed and an older audit head put back`),
      );
      const report = await status();
      assert.equal(report.integrity.ok, false);
      assert.match(report.integrity.problems.join(" "), /audit log/);
    } finally {
      await cleanup();
    }
  });

  test("a whole vault file restored from an older copy is said at start, in status and to the platform", async () => {
    await fresh();
    try {
      await setPassword(OLD);
      await stop();
      const copy = join(temp.path, "vault-older.db");
      copyFileSync(dbPath(), copy);
      await start();
      await setPassword(NEW);
      const sync = await cli(["sync"]);
      assert.equal(sync.code, 0, sync.stderr);
      await stop();
      const before = platform.statusReports.at(-1)?.body as {
        audit: { seq: number; head: string };
      };
      for (const suffix of ["-wal", "-shm"]) rmSync(dbPath() + suffix, { force: true });
      copyFileSync(copy, dbPath());

      const restarted = await start();
      assert.match(restarted.stdout, /TAMPERING DETECTED: .*restored from an older copy/);
      const report = await status();
      assert.equal(report.integrity.ok, false);
      assert.match(report.integrity.problems.join(" "), /restored from an older copy/);
      // The platform gets the checkpoint with the next report: behind the one before.
      const sync2 = await cli(["sync"]);
      assert.equal(sync2.code, 0, sync2.stderr);
      const after = platform.statusReports.at(-1)?.body as { audit: { seq: number; head: string } };
      // Behind, or at the same entry with another hash: the platform flags both.
      assert.ok(after.audit.seq <= before.audit.seq, JSON.stringify({ before, after }));
      assert.notEqual(after.audit.head, before.audit.head);
      assert.equal(JSON.stringify(platform.statusReports).includes(OLD), false);
    } finally {
      await cleanup();
    }
  });

  test("a deleted vault file is said at start and in status", async () => {
    await fresh();
    try {
      await setPassword(OLD);
      await stop();
      for (const suffix of ["", "-wal", "-shm"]) rmSync(dbPath() + suffix, { force: true });
      const restarted = await start();
      assert.match(restarted.stdout, /TAMPERING DETECTED: The vault file was deleted or replaced/);
      const report = await status();
      assert.equal(report.integrity.ok, false);
      assert.match(report.integrity.problems.join(" "), /deleted or replaced/);
    } finally {
      await cleanup();
    }
  });

  test("a broken audit chain is found at start and shown by status, not only by audit verify", async () => {
    await fresh();
    try {
      await setPassword(NEW);
      await stop();
      raw((db) => {
        db.exec(
          "UPDATE audit SET entry = replace(entry, 'secret.set', 'secret.sat') WHERE type = 'secret.set'",
        );
      });
      const restarted = await start();
      assert.match(
        restarted.stdout,
        /TAMPERING DETECTED: The audit log is broken: Entry \d+ was changed/,
      );
      const report = await status();
      assert.equal(report.integrity.ok, false);
      assert.match(
        report.integrity.problems.join(" "),
        /The audit log is broken: Entry \d+ was changed/,
      );
      const table = await cli(["status"]);
      assert.match(table.stdout, /TAMPERING: +The audit log is broken/);
    } finally {
      await cleanup();
    }
  });
});
