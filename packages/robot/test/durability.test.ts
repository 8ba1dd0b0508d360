/**
 * `kill -9` of the daemon in the middle of a burst of writes: every write the daemon
 * acknowledged is there after a restart, the vault opens, and the audit chain verifies. And in the
 * middle of a burst of reads by a run: every value handed out has its `secret.read` entry.
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { createClient } from "@heptora/sdk";
import { createRobotClient } from "../src/cli/robot-client.ts";
import { cleanEnv, startDaemon } from "./support/cli.ts";
import { startFakePlatform } from "./support/fake-platform.ts";
import { ANA } from "./support/service.ts";
import { makeTempDir } from "./support/temp.ts";

const temp = makeTempDir();
after(() => temp.remove());

test("kill -9 during a burst of secrets set loses no acknowledged write", async () => {
  const platform = await startFakePlatform();
  const names = Array.from({ length: 150 }, (_, i) => `NAME_${i}`);
  platform.addUser(ANA.email, ANA.password);
  platform.addProcess({
    name: "Burst",
    variables: names.map((name) => ({ name })),
    assignees: [ANA.email],
  });
  const env = cleanEnv({ HEPTORA_KEY_FILE: temp.keyFile });
  try {
    const daemon = await startDaemon({ dataDir: temp.dataDir, env, platformUrl: platform.url });
    const client = createRobotClient({ dataDir: temp.dataDir });
    await client.login(ANA.email, ANA.password);

    const acknowledged = new Map<string, string>();
    let next = 0;
    let killed = false;
    const writer = async () => {
      while (next < names.length) {
        const name = names[next++] as string;
        const value = `value-of-${name}-${Math.random().toString(36).slice(2)}`;
        try {
          await client.setSecret(name, value);
          acknowledged.set(name, value);
        } catch {
          // Cut off by the kill: not acknowledged, so no promise was made.
          if (killed) return;
        }
        if (!killed && acknowledged.size >= 40) {
          killed = true;
          await daemon.kill9();
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, writer));
    assert.ok(killed, "the daemon was killed during the burst");
    assert.ok(acknowledged.size >= 40);
    assert.ok(acknowledged.size < names.length, "the kill cut the burst short");

    const restarted = await startDaemon({ dataDir: temp.dataDir, env, platformUrl: platform.url });
    try {
      const again = createRobotClient({ dataDir: temp.dataDir });
      for (const [name, value] of acknowledged) {
        assert.equal((await again.revealSecret(name)).value, value, name);
      }
      const verify = await again.auditVerify();
      assert.equal(verify.ok, true, JSON.stringify(verify.problems));
    } finally {
      assert.equal(await restarted.stop(), 0);
    }
  } finally {
    await platform.close();
  }
});

test("kill -9 during a burst of reads loses no audit entry of a value handed out", async () => {
  const platform = await startFakePlatform();
  platform.addUser(ANA.email, ANA.password);
  platform.addProcess({
    name: "Reader",
    variables: [{ name: "SAP_PASSWORD" }],
    assignees: [ANA.email],
  });
  const readDir = makeTempDir();
  const env = cleanEnv({ HEPTORA_KEY_FILE: readDir.keyFile });
  try {
    const daemon = await startDaemon({ dataDir: readDir.dataDir, env, platformUrl: platform.url });
    const client = createRobotClient({ dataDir: readDir.dataDir });
    await client.login(ANA.email, ANA.password);
    await client.setSecret("SAP_PASSWORD", "read-burst-value");
    const run = await client.openRun({ process: "Reader" });
    const sdk = createClient({ socketPath: run.grant.socketPath, token: run.grant.token });

    let handedOut = 0;
    let killed = false;
    const reader = async () => {
      while (!killed) {
        try {
          assert.equal(await sdk.getSecret("SAP_PASSWORD"), "read-burst-value");
          handedOut++;
        } catch {
          if (killed) return;
          throw new Error("a read failed before the kill");
        }
        if (!killed && handedOut >= 60) {
          killed = true;
          await daemon.kill9();
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, reader));
    run.close();
    sdk.close();

    const restarted = await startDaemon({
      dataDir: readDir.dataDir,
      env,
      platformUrl: platform.url,
    });
    try {
      const again = createRobotClient({ dataDir: readDir.dataDir });
      const reads = await again.auditList({ type: "secret.read", limit: 1000 });
      assert.ok(
        reads.entries.length >= handedOut,
        `${handedOut} values handed out, ${reads.entries.length} read entries after the kill`,
      );
      const verify = await again.auditVerify();
      assert.equal(verify.ok, true, JSON.stringify(verify.problems));
    } finally {
      assert.equal(await restarted.stop(), 0);
    }
  } finally {
    await platform.close();
    readDir.remove();
  }
});
