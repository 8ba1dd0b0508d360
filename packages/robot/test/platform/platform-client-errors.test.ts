/**
 * How the robot's platform client reads the platform's error answers (through the protocol's
 * parseErrorBody): codes and aliases, Retry-After, and answers that are not error bodies.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { HeptoraError } from "@heptora/protocol";
import { createPlatformClient } from "../../src/platform/platform-client.ts";

function clientAnswering(status: number, body: string, headers: Record<string, string> = {}) {
  return createPlatformClient({
    baseUrl: "http://platform.test",
    fetch: async () => new Response(body, { status, headers }),
  });
}

const signIn = { email: "ana@example.com", password: "pw", robotName: "r", machineId: "m" };

async function failure(promise: Promise<unknown>): Promise<HeptoraError> {
  try {
    await promise;
  } catch (error) {
    return error as HeptoraError;
  }
  assert.fail("expected a failure");
}

test("the platform's code, message and hint come through; a retired code reads as its successor", async () => {
  const body = JSON.stringify({
    error: { code: "invalid_variable_name", message: "'x' is not valid.", hint: "Use X." },
  });
  const error = await failure(clientAnswering(400, body).login(signIn));
  assert.equal(error.code, "invalid_secret_name");
  assert.equal(error.message, "'x' is not valid.");
  assert.equal(error.hint, "Use X.");
});

test("too many attempts carries Retry-After", async () => {
  const body = JSON.stringify({ error: { code: "too_many_attempts", message: "Wait." } });
  const error = await failure(clientAnswering(429, body, { "retry-after": "30" }).login(signIn));
  assert.equal(error.code, "too_many_attempts");
  assert.equal(error.retryAfterSeconds, 30);
});

test("a refused robot token carries the platform's reason, and only a known one", async () => {
  const answer = (reason: unknown) =>
    JSON.stringify({
      error: { code: "invalid_robot_token", message: "No.", details: { reason } },
    });
  const changed = await failure(
    clientAnswering(401, answer("password_changed")).definitions("t", null),
  );
  assert.equal(changed.code, "invalid_robot_token");
  assert.deepEqual(changed.details, { reason: "password_changed" });
  const odd = await failure(clientAnswering(401, answer("<b>made up</b>")).definitions("t", null));
  assert.equal(odd.details, undefined);
});

test("the right password for a deactivated account says so", async () => {
  const body = JSON.stringify({
    error: { code: "account_deactivated", message: "This account is deactivated." },
  });
  const error = await failure(clientAnswering(403, body).login(signIn));
  assert.equal(error.code, "account_deactivated");
});

test("answers that are not error bodies fall back by status, never quoting the body", async () => {
  const revoked = await failure(clientAnswering(401, "nope").definitions("t", null));
  assert.equal(revoked.code, "invalid_robot_token");
  const down = await failure(clientAnswering(502, "<html>bad gateway</html>").login(signIn));
  assert.equal(down.code, "platform_unreachable");
  assert.doesNotMatch(down.message, /html/);
  const refused = await failure(clientAnswering(400, "<html>s3cr3t</html>").login(signIn));
  assert.equal(refused.code, "validation_failed");
  assert.equal(refused.message, "The platform refused the request (HTTP 400).");
  const wrong = await failure(clientAnswering(401, "{}").login(signIn));
  assert.equal(wrong.code, "invalid_credentials");
});
