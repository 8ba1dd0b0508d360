import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createClient, HeptoraSecretError } from "@heptora/sdk";
import { type FakeRobot, json, secretsHandler, startFakeRobot } from "./fake-robot.ts";

const TOKEN = "run_0123456789abcdef0123456789abcdef0123456789abcdef";

async function rejection(promise: Promise<unknown>): Promise<HeptoraSecretError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof HeptoraSecretError, `expected a HeptoraSecretError, got ${error}`);
    assert.ok(!error.message.includes(TOKEN), "an error message must never carry the run token");
    return error;
  }
  assert.fail("expected the call to reject");
}

async function withRobot<T>(
  handler: Parameters<typeof startFakeRobot>[0],
  body: (robot: FakeRobot) => Promise<T>,
): Promise<T> {
  const robot = await startFakeRobot(handler);
  try {
    return await body(robot);
  } finally {
    await robot.close();
  }
}

describe("createClient().getSecret", () => {
  let robot: FakeRobot;
  before(async () => {
    robot = await startFakeRobot(secretsHandler({ SAP_USER: "ana", SAP_PASSWORD: "pä$$ wörd" }));
  });
  after(() => robot.close());

  test("sends GET /v1/secrets/NAME with the run token as bearer and resolves to the value", async () => {
    const client = createClient({ socketPath: robot.socketPath, token: TOKEN });
    assert.equal(await client.getSecret("SAP_USER"), "ana");
    assert.equal(await client.getSecret("SAP_PASSWORD"), "pä$$ wörd");
    client.close();
    assert.deepEqual(robot.requests.slice(0, 2), [
      {
        method: "GET",
        url: "/v1/secrets/SAP_USER",
        authorization: `Bearer ${TOKEN}`,
        host: "localhost",
      },
      {
        method: "GET",
        url: "/v1/secrets/SAP_PASSWORD",
        authorization: `Bearer ${TOKEN}`,
        host: "localhost",
      },
    ]);
  });

  test("keeps one connection alive across several calls", async () => {
    const before = robot.connections();
    const client = createClient({ socketPath: robot.socketPath, token: TOKEN });
    for (let i = 0; i < 5; i++) assert.equal(await client.getSecret("SAP_USER"), "ana");
    client.close();
    assert.equal(robot.connections() - before, 1);
  });

  test("refuses a badly formed name before sending anything, suggesting the fix", async () => {
    const client = createClient({ socketPath: robot.socketPath, token: TOKEN });
    const sent = robot.requests.length;
    const error = await rejection(client.getSecret("sap password"));
    assert.equal(error.code, "invalid_secret_name");
    assert.equal(error.status, undefined);
    assert.equal(error.hint, undefined);
    assert.match(
      error.message,
      /^'sap password' is not a valid secret name\. .* Did you mean 'SAP_PASSWORD'\?$/,
    );
    for (const bad of ["", "SAP/USER", "../SAP", `A${"B".repeat(64)}`, "SAP_USER\n"]) {
      assert.equal((await rejection(client.getSecret(bad))).code, "invalid_secret_name");
    }
    assert.equal(robot.requests.length, sent);
    client.close();
  });
});

describe("errors from the robot", () => {
  const cases = [
    { code: "secret_not_declared", status: 404, hint: "Did you mean 'SAP_USER'?" },
    { code: "secret_value_missing", status: 404, hint: undefined },
    { code: "invalid_run_token", status: 401, hint: undefined },
    { code: "vault_locked", status: 423, hint: "Unlock it with `heptora unlock`." },
    { code: "robot_not_signed_in", status: 401, hint: undefined },
    { code: "a_code_from_a_newer_robot", status: 409, hint: undefined },
  ];

  for (const { code, status, hint } of cases) {
    test(`maps ${status} ${code} to a HeptoraSecretError with the robot's message and hint`, async () => {
      const message = `Robot says ${code}.`;
      await withRobot(
        (_req, res) => json(res, status, { error: { code, message, ...(hint ? { hint } : {}) } }),
        async (robot) => {
          const client = createClient({ socketPath: robot.socketPath, token: TOKEN });
          const error = await rejection(client.getSecret("SAP_USR"));
          client.close();
          assert.equal(error.code, code);
          assert.equal(error.status, status);
          assert.equal(error.hint, hint);
          assert.equal(error.message, message, "the message is the robot's, as it is");
          assert.equal(error.name, "HeptoraSecretError");
        },
      );
    });
  }

  test("masks the run token should the robot ever echo it", async () => {
    await withRobot(
      (_req, res) =>
        json(res, 401, {
          error: {
            code: "invalid_run_token",
            message: `Token ${TOKEN} is not valid.`,
            hint: `Not ${TOKEN}.`,
          },
        }),
      async (robot) => {
        const client = createClient({ socketPath: robot.socketPath, token: TOKEN });
        const error = await rejection(client.getSecret("SAP_USER"));
        client.close();
        assert.equal(error.message, "Token *** is not valid.");
        assert.equal(error.hint, "Not ***.");
      },
    );
  });

  const malformed = [
    { what: "a 200 that is not JSON", status: 200, body: "value=hunter2-secret" },
    { what: "a 200 without a value", status: 200, body: '{"name":"SAP_USER"}' },
    {
      what: "a 200 for another name",
      status: 200,
      body: '{"name":"OTHER","value":"hunter2-secret"}',
    },
    {
      what: "an error status without an error body",
      status: 500,
      body: "<html>hunter2-secret</html>",
    },
  ];
  for (const { what, status, body } of malformed) {
    test(`reports bad_response for ${what}, without quoting the body`, async () => {
      await withRobot(
        (_req, res) => {
          res.writeHead(status, { "content-length": Buffer.byteLength(body) });
          res.end(body);
        },
        async (robot) => {
          const client = createClient({ socketPath: robot.socketPath, token: TOKEN });
          const error = await rejection(client.getSecret("SAP_USER"));
          client.close();
          assert.equal(error.code, "bad_response");
          assert.equal(error.status, status);
          assert.ok(!error.message.includes("hunter2"), error.message);
        },
      );
    });
  }
});

describe("when the robot cannot be reached", () => {
  test("reports robot_not_running when no socket exists", async () => {
    await withRobot(secretsHandler({}), async (robot) => {
      const client = createClient({ socketPath: join(robot.dir, "absent.sock"), token: TOKEN });
      const error = await rejection(client.getSecret("SAP_USER"));
      assert.equal(error.code, "robot_not_running");
      assert.equal(error.message, "The robot is not running. Start it with `heptora start`.");
      assert.equal(error.status, undefined);
    });
  });

  test("reports robot_not_running when the socket path is stale (nobody listens)", async () => {
    await withRobot(secretsHandler({}), async (robot) => {
      const stale = join(robot.dir, "stale.sock");
      writeFileSync(stale, "");
      const error = await rejection(
        createClient({ socketPath: stale, token: TOKEN }).getSecret("A"),
      );
      assert.equal(error.code, "robot_not_running");
    });
  });

  test("times out with robot_timeout when the robot does not answer", async () => {
    await withRobot(
      () => {
        // never answers; the fake robot's close() ends the connection
      },
      async (robot) => {
        const client = createClient({ socketPath: robot.socketPath, token: TOKEN, timeoutMs: 100 });
        const error = await rejection(client.getSecret("SAP_USER"));
        client.close();
        assert.equal(error.code, "robot_timeout");
        assert.match(error.message, /did not answer within 0\.1 s/);
      },
    );
  });

  test("retries once on a fresh connection when the robot dropped the kept-alive one", async () => {
    const perSocket = new WeakMap<object, number>();
    await withRobot(
      (req, res) => {
        const served = perSocket.get(req.socket) ?? 0;
        perSocket.set(req.socket, served + 1);
        // The second request on a connection finds it closed, as after the robot's idle timeout.
        if (served === 1) req.socket.destroy();
        else json(res, 200, { name: "SAP_USER", value: "ana" });
      },
      async (robot) => {
        const client = createClient({ socketPath: robot.socketPath, token: TOKEN });
        assert.equal(await client.getSecret("SAP_USER"), "ana");
        assert.equal(await client.getSecret("SAP_USER"), "ana");
        client.close();
        assert.equal(robot.connections(), 2);
        assert.equal(robot.requests.length, 3);
      },
    );
  });

  test("refuses a malformed run token without echoing it", () => {
    const bad = `${TOKEN}\r\nX-Injected: 1`;
    assert.throws(
      () => createClient({ socketPath: "/nonexistent", token: bad }),
      (error: unknown) =>
        error instanceof HeptoraSecretError &&
        error.code === "not_in_a_run" &&
        !error.message.includes(TOKEN),
    );
  });
});
