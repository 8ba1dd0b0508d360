import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, test } from "node:test";
import { createClient, HeptoraSecretError, listSecretNames } from "@heptora/sdk";
import { type FakeRobot, json, startFakeRobot } from "./fake-robot.ts";

const TOKEN = "run_0123456789abcdef0123456789abcdef0123456789abcdef";

describe("listSecretNames", () => {
  let robot: FakeRobot;
  let answer: { status: number; body: unknown };
  beforeEach(async () => {
    answer = {
      status: 200,
      body: {
        process: "Invoice Processing",
        names: [
          { name: "SAP_USER", secret: true },
          { name: "REGION", secret: false },
        ],
      },
    };
    robot = await startFakeRobot((_req, res) => json(res, answer.status, answer.body));
  });
  afterEach(() => robot.close());

  test("asks GET /v1/secrets with the run token and resolves to the names, in order", async () => {
    const client = createClient({ socketPath: robot.socketPath, token: TOKEN });
    assert.deepEqual(await client.listSecretNames(), ["SAP_USER", "REGION"]);
    client.close();
    assert.deepEqual(robot.requests, [
      { method: "GET", url: "/v1/secrets", authorization: `Bearer ${TOKEN}`, host: "localhost" },
    ]);
  });

  test("reads the run's socket and token from the environment heptora run sets", async () => {
    const saved = { ...process.env };
    process.env.HEPTORA_ROBOT_SOCKET = robot.socketPath;
    process.env.HEPTORA_RUN_TOKEN = TOKEN;
    try {
      assert.deepEqual(await listSecretNames(), ["SAP_USER", "REGION"]);
    } finally {
      process.env.HEPTORA_ROBOT_SOCKET = saved.HEPTORA_ROBOT_SOCKET;
      process.env.HEPTORA_RUN_TOKEN = saved.HEPTORA_RUN_TOKEN;
      if (saved.HEPTORA_ROBOT_SOCKET === undefined) delete process.env.HEPTORA_ROBOT_SOCKET;
      if (saved.HEPTORA_RUN_TOKEN === undefined) delete process.env.HEPTORA_RUN_TOKEN;
    }
  });

  test("rejects with the robot's error, or bad_response for an answer of another shape", async () => {
    const client = createClient({ socketPath: robot.socketPath, token: TOKEN });
    answer = {
      status: 401,
      body: { error: { code: "invalid_run_token", message: "The run token is not valid." } },
    };
    await assert.rejects(client.listSecretNames(), (error: unknown) => {
      assert.ok(error instanceof HeptoraSecretError);
      assert.equal(error.code, "invalid_run_token");
      assert.equal(error.status, 401);
      return true;
    });
    for (const body of [{ names: [{ secret: true }] }, { names: "SAP_USER" }, []]) {
      answer = { status: 200, body };
      await assert.rejects(client.listSecretNames(), { code: "bad_response" });
    }
    client.close();
  });
});
