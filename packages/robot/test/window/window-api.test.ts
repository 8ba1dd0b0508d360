/**
 * What the Secrets window's page can do through its API, against a real robot service: sign the
 * robot in (throttled), list names without values, save, reveal (audited), history and restore,
 * audit list, verify and export, sign out.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ANA } from "../support/service.ts";
import { send, type WindowFixture, type WindowLogin, windowFixture } from "./window-client.ts";

let w: WindowFixture;
let session: WindowLogin;

before(async () => {
  w = await windowFixture();
  session = await w.signIn();
});
after(() => w.close());

test("sign-in failures are throttled after 5 in 5 minutes, audited, then allowed again", async () => {
  const wrong = { email: ANA.email, password: "not the password" };
  for (let i = 0; i < 5; i++) {
    const answer = await w.call(session, "POST", "/api/login", wrong);
    assert.equal(answer.json().error?.code, "invalid_credentials");
  }
  const throttled = await w.call(session, "POST", "/api/login", ANA);
  assert.equal(throttled.status, 429);
  assert.equal(throttled.json().error?.code, "too_many_attempts");
  assert.ok(Number(throttled.headers["retry-after"]) > 0);
  const denied = w.fx.service.listAudit({ limit: 100, type: "access.denied" }).entries;
  assert.ok(denied.some((e) => String(e.reason).includes("too many sign-in")));
  const failedLogins = w.fx.service
    .listAudit({ limit: 100, type: "login" })
    .entries.filter((e) => e.outcome === "failed" && e.actor === "window");
  assert.equal(failedLogins.length, 5);

  w.advance(5 * 60 * 1000);
  const ok = await w.call(session, "POST", "/api/login", ANA);
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json().email, ANA.email);
});

test("the list carries names, descriptions and states, never a value", async () => {
  await w.call(session, "PUT", "/api/secrets/SAP_PASSWORD", { value: "first-Value-1" });
  const list = await w.call(session, "GET", "/api/secrets");
  assert.equal(list.status, 200);
  assert.ok(!list.text.includes("first-Value-1"));
  const processes = list.json().processes as {
    name: string;
    variables: { name: string; set: boolean }[];
  }[];
  assert.deepEqual(
    processes.map((p) => p.name),
    ["Invoice Processing", "Payroll"],
  );
  const invoice = processes[0]?.variables ?? [];
  assert.equal(invoice.find((v) => v.name === "SAP_PASSWORD")?.set, true);
  assert.equal(invoice.find((v) => v.name === "SAP_USER")?.set, false);
});

test("save, reveal (audited), history and restore", async () => {
  const saved = await w.call(session, "PUT", "/api/secrets/SAP_PASSWORD", {
    value: "second-Value-2",
  });
  assert.equal(saved.status, 200);
  assert.equal(saved.json().set, true);
  assert.ok(!saved.text.includes("second-Value-2"), "a save does not echo the value");

  const revealed = await w.call(session, "POST", "/api/secrets/SAP_PASSWORD/reveal", {});
  assert.equal(revealed.json().value, "second-Value-2");
  const reveals = w.fx.service.listAudit({ limit: 10, type: "secret.reveal" }).entries;
  assert.equal(reveals[0]?.actor, "window");
  assert.equal(reveals[0]?.name, "SAP_PASSWORD");

  const history = await w.call(session, "GET", "/api/secrets/SAP_PASSWORD/history");
  const versions = history.json().versions as { version: number; current: boolean }[];
  assert.equal(versions.length, 2);
  const old = versions.find((v) => !v.current);
  assert.ok(old !== undefined);
  const restored = await w.call(session, "POST", "/api/secrets/SAP_PASSWORD/restore", {
    version: old.version,
  });
  assert.equal(restored.status, 200, restored.text);
  assert.equal(w.fx.vault.getSecret(ANA.email, "SAP_PASSWORD")?.value, "first-Value-1");

  const missing = await w.call(session, "POST", "/api/secrets/SAP_USER/reveal", {});
  assert.equal(missing.json().error?.code, "secret_value_missing");
  const undeclared = await w.call(session, "PUT", "/api/secrets/SAP_PASSWROD", { value: "x" });
  assert.equal(undeclared.json().error?.code, "secret_not_declared");
  assert.match(String(undeclared.json().error?.message), /Did you mean .SAP_PASSWORD.\?/);
});

test("the audit log: list with filters, verify, export as CSV and JSON without values", async () => {
  const list = await w.call(session, "GET", "/api/audit?limit=5&type=secret.set");
  const entries = list.json().entries as { type: string }[];
  assert.ok(entries.length > 0 && entries.every((e) => e.type === "secret.set"));
  assertRefusedCode(await w.call(session, "GET", "/api/audit?type=nonsense"), "validation_failed");

  const verify = await w.call(session, "GET", "/api/audit/verify");
  assert.equal(verify.json().ok, true);

  const csv = await w.call(session, "GET", "/api/audit/export?format=csv");
  assert.equal(csv.status, 200);
  assert.match(String(csv.headers["content-type"]), /^text\/csv/);
  assert.match(String(csv.headers["content-disposition"]), /attachment; filename="[\w.-]+\.csv"/);
  assert.equal(csv.headers["cache-control"], "no-store");
  assert.match(csv.text, /^seq,at,type,name,process,actor,outcome,reason,details\r\n/);
  assert.match(csv.text, /secret\.reveal,SAP_PASSWORD,,window,ok/);
  const json = await w.call(session, "GET", "/api/audit/export?format=json&name=SAP_PASSWORD");
  const exported = JSON.parse(json.text) as { entries: { name: string }[] };
  assert.ok(exported.entries.length >= 3);
  assert.ok(exported.entries.every((e) => e.name === "SAP_PASSWORD"));
  for (const text of [csv.text, json.text]) {
    assert.ok(!text.includes("first-Value-1") && !text.includes("second-Value-2"));
  }
});

test("sign out from the window: the robot forgets its platform sign-in, values stay", async () => {
  const answer = await w.call(session, "POST", "/api/logout", {});
  assert.equal(answer.status, 200, answer.text);
  const status = await w.call(session, "GET", "/api/status");
  assert.equal(status.json().signedIn, false);
  assert.equal(w.fx.vault.getSecret(ANA.email, "SAP_PASSWORD")?.value, "first-Value-1");
  const logouts = w.fx.service.listAudit({ limit: 5, type: "logout" }).entries;
  assert.equal(logouts[0]?.actor, "window");
});

test("unknown routes and methods answer with catalogue codes", async () => {
  assertRefusedCode(await w.call(session, "GET", "/api/secrets/SAP_USER/nope"), "route_not_found");
  assertRefusedCode(await w.call(session, "DELETE", "/api/status"), "method_not_allowed");
  assertRefusedCode(await send(w.window.port, "POST", "/"), "method_not_allowed");
});

function assertRefusedCode(answer: { json: () => { error?: { code: string } } }, code: string) {
  assert.equal(answer.json().error?.code, code);
}

test("the event stream names each change (never a value) so an open window updates itself", async () => {
  const { request } = await import("node:http");
  const session = await w.signIn();
  const received: string[] = [];
  const res = await new Promise<import("node:http").IncomingMessage>((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: w.window.port,
        path: "/api/events",
        setHost: false,
        headers: {
          host: `127.0.0.1:${w.window.port}`,
          cookie: session.cookie,
          "x-window-key": session.key,
        },
      },
      resolve,
    );
    req.on("error", reject);
    req.end();
  });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers["content-type"]), /^text\/event-stream/);
  assert.equal(res.headers["cache-control"], "no-store");
  const changed = new Promise<void>((resolve) => {
    res.on("data", (chunk: Buffer) => {
      received.push(chunk.toString("utf8"));
      if (received.join("").includes('"kind":"values"')) resolve();
    });
  });
  if (!w.fx.service.status().signedIn) await w.fx.service.login(ANA, "cli");
  await w.fx.service.setSecret("SAP_USER", "live-Value-42", "cli");
  await changed;
  res.destroy();
  assert.match(received.join(""), /event: change\ndata: \{"kind":"values"\}\n\n/);
  assert.ok(!received.join("").includes("live-Value-42"));

  const anonymous = await send(w.window.port, "GET", "/api/events");
  assert.equal(anonymous.status, 401, "no session, no stream");
});
