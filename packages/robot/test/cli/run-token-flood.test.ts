/**
 * A flood of bad run-token guesses against the daemon's socket (issue 12, docs/adr/0071): every
 * guess is still refused with 401, but the audit chain gets a bounded number of entries that
 * say how many there were, and `heptora audit verify` still passes.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { socketRequest } from "../../src/lib/socket-request.ts";
import { cleanEnv, heptora, type RunningDaemon, startDaemon } from "../support/cli.ts";
import { makeTempDir, type TempDir } from "../support/temp.ts";

const repoRoot = join(import.meta.dirname, "..", "..", "..", "..");

interface Entry {
  type: string;
  actor?: string;
  reason?: string;
  details?: Record<string, string | number | boolean>;
}

describe("bad run tokens flooding the robot's socket", () => {
  let temp: TempDir;
  let daemon: RunningDaemon;
  let env: NodeJS.ProcessEnv;
  const cli = (args: string[]) =>
    heptora(["--data-dir", temp.dataDir, ...args], { env, cwd: repoRoot });

  before(async () => {
    temp = makeTempDir();
    env = cleanEnv({ HEPTORA_KEY_FILE: temp.keyFile });
    daemon = await startDaemon({ dataDir: temp.dataDir, env });
  });
  after(async () => {
    await daemon.stop();
    temp.remove();
  });

  test("1000 guesses leave a few audit entries that count all 1000, and the chain verifies", async () => {
    const socketPath = join(temp.dataDir, "robot.sock");
    for (let start = 0; start < 1000; start += 50) {
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, k) =>
          socketRequest({
            socketPath,
            method: "GET",
            path: `/v1/secrets/SAP_PASSWORD_${(start + k) % 7}`,
            token: `hptr_run_guess_${start + k}`,
          }),
        ),
      );
      for (const answer of answers) {
        assert.equal(answer.status, 401);
        assert.equal((answer.body as { error: { code: string } }).error.code, "invalid_run_token");
      }
    }

    const list = await cli([
      "audit",
      "list",
      "--json",
      "--type",
      "access.denied",
      "--limit",
      "1000",
    ]);
    assert.equal(list.code, 0, list.stderr);
    const refused = (JSON.parse(list.stdout) as { entries: Entry[] }).entries.filter(
      (e) => e.reason === "invalid run token",
    );
    assert.ok(refused.length >= 1 && refused.length <= 3, `${refused.length} entries`);
    // A summary entry stands for `details.refused` attempts; any other entry for one.
    const attempts = refused.reduce((sum, e) => sum + Number(e.details?.refused ?? 1), 0);
    assert.equal(attempts, 1000);
    assert.ok(refused.every((e) => e.actor === "unknown"));

    const verify = await cli(["audit", "verify"]);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    assert.match(verify.stdout, /The audit log is intact/);

    // Listing again adds nothing: the count was written once.
    const again = await cli([
      "audit",
      "list",
      "--json",
      "--type",
      "access.denied",
      "--limit",
      "1000",
    ]);
    const refusedAgain = (JSON.parse(again.stdout) as { entries: Entry[] }).entries.filter(
      (e) => e.reason === "invalid run token",
    );
    assert.equal(refusedAgain.length, refused.length);
  });
});
