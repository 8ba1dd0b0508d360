/**
 * The two example automations, run as `heptora run` would start them (its environment, no
 * masking here), against a fake robot: they read both secrets and report success.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type FakeRobot, secretsHandler, startFakeRobot } from "./fake-robot.ts";

const root = process.env.HEPTORA_REPO_ROOT ?? join(import.meta.dirname, "..", "..", "..");
const TOKEN = "run_example_0123456789abcdef0123456789abcdef012345";

let robot: FakeRobot;
before(async () => {
  robot = await startFakeRobot(secretsHandler({ SAP_USER: "ana", SAP_PASSWORD: "s3cret!" }));
});
after(() => robot.close());

async function run(command: string, args: string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn(command, args, {
    cwd: root,
    env: {
      ...process.env,
      HEPTORA_ROBOT_SOCKET: robot.socketPath,
      HEPTORA_RUN_TOKEN: TOKEN,
      HEPTORA_PROCESS: "Invoice Processing",
      PYTHONPATH: join(root, "sdk-python"),
      PYTHONDONTWRITEBYTECODE: "1",
    },
  });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", resolve);
  });
  return { code, out };
}

const expected =
  "Logged in to SAP as ana\nPassword received (7 characters).\nProcessed 3 invoices.\n";

test("the TypeScript example reads its secrets through @heptora/sdk", async () => {
  const { code, out } = await run(process.execPath, ["examples/ts-invoice/main.ts"]);
  assert.equal(out, expected);
  assert.equal(code, 0);
});

test("the Python example reads its secrets through heptora.get_secret", async () => {
  const { code, out } = await run("python3", ["examples/python-invoice/main.py"]);
  assert.equal(out, expected);
  assert.equal(code, 0);
});
