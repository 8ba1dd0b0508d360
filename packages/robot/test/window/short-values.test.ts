/**
 * Values shorter than 4 characters cannot be masked safely in run output: the Secrets window's
 * API (the same route as `heptora secrets set`) refuses them with the reason and changes
 * nothing, unless the person allows it with `allowShort`, which is audited.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ANA } from "../support/service.ts";
import { type WindowFixture, type WindowLogin, windowFixture } from "./window-client.ts";

let w: WindowFixture;
let session: WindowLogin;

before(async () => {
  w = await windowFixture();
  session = await w.signIn();
  const login = await w.call(session, "POST", "/api/login", ANA);
  assert.equal(login.status, 200, login.text);
});
after(() => w.close());

test("a value of fewer than 4 characters is refused with the reason, and nothing changes", async () => {
  const first = await w.call(session, "PUT", "/api/secrets/SAP_USER", { value: "long-enough" });
  assert.equal(first.status, 200, first.text);
  for (const value of ["a", "ab", "abc", "日本語", "🔑🔑🔑"]) {
    const answer = await w.call(session, "PUT", "/api/secrets/SAP_USER", { value });
    assert.equal(answer.status, 400, value);
    const error = answer.json().error;
    assert.equal(error?.code, "secret_value_too_short");
    assert.match(error?.message ?? "", /shorter than 4 characters.*cannot mask it safely/);
    assert.match(error?.hint ?? "", /Nothing was saved.*--allow-short/);
    assert.ok(!answer.text.includes(JSON.stringify(value)), "the refusal does not echo the value");
  }
  const revealed = await w.call(session, "POST", "/api/secrets/SAP_USER/reveal", {});
  assert.equal(revealed.json().value, "long-enough");
  const history = await w.call(session, "GET", "/api/secrets/SAP_USER/history");
  assert.equal((history.json().versions as unknown[]).length, 1);
  // Four characters (not bytes, not UTF-16 units) are enough.
  const four = await w.call(session, "PUT", "/api/secrets/SAP_USER", { value: "🔑abc" });
  assert.equal(four.status, 200, four.text);
});

test("allowShort stores a short value and records who allowed it in the audit log", async () => {
  const saved = await w.call(session, "PUT", "/api/secrets/SAP_PASSWORD", {
    value: "pin",
    allowShort: true,
  });
  assert.equal(saved.status, 200, saved.text);
  const revealed = await w.call(session, "POST", "/api/secrets/SAP_PASSWORD/reveal", {});
  assert.equal(revealed.json().value, "pin");
  const audit = await w.call(session, "GET", "/api/audit?type=secret.short_allowed");
  assert.equal(audit.status, 200, audit.text);
  const entries = audit.json().entries as { name: string; actor: string; outcome: string }[];
  assert.equal(entries.length, 1);
  assert.deepEqual(
    { name: entries[0]?.name, actor: entries[0]?.actor, outcome: entries[0]?.outcome },
    { name: "SAP_PASSWORD", actor: "window", outcome: "ok" },
  );
  assert.ok(!audit.text.includes('"pin"'));
  // A long value needs no permission and leaves no such entry.
  await w.call(session, "PUT", "/api/secrets/SAP_PASSWORD", {
    value: "long-again",
    allowShort: true,
  });
  const after = await w.call(session, "GET", "/api/audit?type=secret.short_allowed");
  assert.equal((after.json().entries as unknown[]).length, 1);
});
