import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { after, before, beforeEach, describe, test } from "node:test";
import { getSecret, HeptoraSecretError } from "@heptora/sdk";
import { type FakeRobot, secretsHandler, startFakeRobot } from "./fake-robot.ts";

const TOKEN = "run_env_0123456789abcdef0123456789abcdef0123456789";

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof HeptoraSecretError);
    assert.ok(!error.message.includes(TOKEN));
    return error.code;
  }
  assert.fail("expected the call to reject");
}

describe("getSecret() from the environment `heptora run` sets", () => {
  let robot: FakeRobot;
  let other: FakeRobot;
  before(async () => {
    robot = await startFakeRobot(secretsHandler({ SAP_USER: "ana" }));
    other = await startFakeRobot(secretsHandler({ SAP_USER: "bob" }));
  });
  after(async () => {
    await robot.close();
    await other.close();
  });
  beforeEach(() => {
    delete process.env.HEPTORA_ROBOT_SOCKET;
    delete process.env.HEPTORA_RUN_TOKEN;
  });

  test("says how to run the automation when HEPTORA_ROBOT_SOCKET is not set", async () => {
    process.env.HEPTORA_RUN_TOKEN = TOKEN;
    await assert.rejects(getSecret("SAP_USER"), {
      code: "not_in_a_run",
      message:
        "HEPTORA_ROBOT_SOCKET is not set: run this automation with `heptora run PROCESS -- ...` " +
        "so that it can reach the robot.",
    });
  });

  test("says the same of HEPTORA_RUN_TOKEN", async () => {
    process.env.HEPTORA_ROBOT_SOCKET = robot.socketPath;
    await assert.rejects(getSecret("SAP_USER"), {
      code: "not_in_a_run",
      message: /^HEPTORA_RUN_TOKEN is not set/,
    });
  });

  test("reads the environment at each call and reuses the connection while it is unchanged", async () => {
    process.env.HEPTORA_ROBOT_SOCKET = robot.socketPath;
    process.env.HEPTORA_RUN_TOKEN = TOKEN;
    const before = robot.connections();
    assert.equal(await getSecret("SAP_USER"), "ana");
    assert.equal(await getSecret("SAP_USER"), "ana");
    assert.equal(await getSecret("SAP_USER"), "ana");
    assert.equal(robot.connections() - before, 1);
    assert.equal(robot.requests.at(-1)?.authorization, `Bearer ${TOKEN}`);

    process.env.HEPTORA_ROBOT_SOCKET = other.socketPath;
    assert.equal(await getSecret("SAP_USER"), "bob");
  });

  test("rejects (never throws synchronously) for a bad name, even outside a run", async () => {
    const pending = getSecret("sap_user");
    assert.ok(pending instanceof Promise);
    assert.equal(await codeOf(pending), "invalid_secret_name");
  });

  test("reports robot_not_running when the socket in the environment is gone", async () => {
    process.env.HEPTORA_ROBOT_SOCKET = `${robot.dir}/gone.sock`;
    process.env.HEPTORA_RUN_TOKEN = TOKEN;
    assert.equal(await codeOf(getSecret("SAP_USER")), "robot_not_running");
  });

  // The fake robot keeps idle connections for a minute: only an unref'd pooled socket lets the
  // child exit within the timeout.
  test(
    "an automation exits by itself while its kept-alive connection stays open",
    {
      timeout: 5000,
    },
    async () => {
      const child = spawn(
        process.execPath,
        [
          "--input-type=module",
          "-e",
          'import { getSecret } from "@heptora/sdk"; console.log((await getSecret("SAP_USER")).length);',
        ],
        {
          cwd: import.meta.dirname,
          env: { ...process.env, HEPTORA_ROBOT_SOCKET: robot.socketPath, HEPTORA_RUN_TOKEN: TOKEN },
          stdio: ["ignore", "pipe", "inherit"],
        },
      );
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
      });
      const [code] = await once(child, "exit");
      assert.equal(code, 0);
      assert.equal(out.trim(), "3");
    },
  );
});
