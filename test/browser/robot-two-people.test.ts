/**
 * Two people on one robot, end to end (issue 11): a real platform, a real robot daemon, the CLI
 * and the Secrets window in Chromium. Values belong to the person signed in (docs/adr/0066): each
 * sees only their own, a run signed in as one cannot read the other's, the platform shows the
 * coverage of each person, and nothing of one person's value appears in the other's window, the
 * window's API answers, the robot's audit export, or anywhere in the platform (answers, database).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { filesUnder, findLeaks } from "../../packages/robot/test/support/leaks.ts";
import { launchBrowser, openPage, screenshot } from "./support/browser.ts";
import { assertNoProblems, visible } from "./support/expect.ts";
import {
  type ApiSession,
  type RunningPlatform,
  setupAdmin,
  startPlatform,
} from "./support/platform-server.ts";
import { type RunningRobot, startRobot } from "./support/robot-daemon.ts";

const ADMIN = { email: "admin@example.com", password: "correct horse battery staple" };
const ANA = { email: "ana@example.com", password: "ana's long passphrase 1" };
const MARIA = { email: "maria@example.com", password: "maria's long passphrase 2" };
const ANA_VALUE = "ana-Only-Sap-Pw-4711";
const MARIA_VALUE = "maria-Own-Sap-Pw-0815";
const PROCESS = "Invoice Processing";
/** Prints the value it was given; the run masks it in the output. */
const PRINT = [process.execPath, "-e", "console.log('pw=' + process.env.SAP_PASSWORD)"];

let platform: RunningPlatform;
let admin: ApiSession;
let browser: Browser;
let robot: RunningRobot;

before(async () => {
  [platform, browser] = await Promise.all([startPlatform(), launchBrowser()]);
  admin = await setupAdmin(platform.url, ADMIN);
  const ana = await admin.call<{ id: string }>("POST", "/users", { ...ANA, role: "member" });
  const maria = await admin.call<{ id: string }>("POST", "/users", { ...MARIA, role: "member" });
  const invoice = await admin.call<{ id: string }>("POST", "/processes", { name: PROCESS });
  await admin.call("POST", `/processes/${invoice.id}/variables`, {
    name: "SAP_USER",
    secret: false,
  });
  await admin.call("POST", `/processes/${invoice.id}/variables`, {
    name: "SAP_PASSWORD",
    secret: true,
  });
  await admin.call("PUT", `/processes/${invoice.id}/assignees`, { userIds: [ana.id, maria.id] });
  robot = await startRobot(platform.url);
});

after(async () => {
  await robot?.stop();
  await browser?.close();
  await platform?.stop();
});

async function signIn(person: { email: string; password: string }): Promise<void> {
  const login = await robot.cli(
    ["login", "--email", person.email, "--password-stdin"],
    person.password,
  );
  assert.equal(login.code, 0, login.stderr);
}

async function signOut(): Promise<void> {
  const logout = await robot.cli(["logout"]);
  assert.equal(logout.code, 0, logout.stderr);
}

test("two people on one robot: own values, own runs, coverage per person, no leaks", async () => {
  // ana sets her value; a run as ana reads it (masked in the output).
  await signIn(ANA);
  const set = await robot.cli(["secrets", "set", "SAP_PASSWORD", "--value-stdin"], ANA_VALUE);
  assert.equal(set.code, 0, set.stderr);
  const anaRun = await robot.cli(["run", PROCESS, "--env", "SAP_PASSWORD", "--", ...PRINT]);
  assert.equal(anaRun.code, 0, anaRun.stderr);
  assert.match(anaRun.stdout, /pw=\*\*\*/);
  assert.deepEqual(findLeaks(Buffer.from(anaRun.stdout + anaRun.stderr), [ANA_VALUE]), []);
  assert.equal((await robot.cli(["sync"])).code, 0);
  await signOut();

  // maria, on the same robot: no value of hers, and ana's is not hers to read.
  await signIn(MARIA);
  const get = await robot.cli(["secrets", "get", "SAP_PASSWORD"]);
  assert.notEqual(get.code, 0);
  assert.match(get.stderr, /SAP_PASSWORD has no value on this robot/);
  assert.deepEqual(findLeaks(Buffer.from(get.stdout + get.stderr), [ANA_VALUE]), []);
  const mariaRun = await robot.cli(["run", PROCESS, "--env", "SAP_PASSWORD", "--", ...PRINT]);
  assert.notEqual(mariaRun.code, 0, "a run as maria cannot read ana's value");
  assert.match(mariaRun.stderr, /SAP_PASSWORD/);
  assert.deepEqual(findLeaks(Buffer.from(mariaRun.stdout + mariaRun.stderr), [ANA_VALUE]), []);
  const mariaSet = await robot.cli(
    ["secrets", "set", "SAP_PASSWORD", "--value-stdin"],
    MARIA_VALUE,
  );
  assert.equal(mariaSet.code, 0, mariaSet.stderr);
  assert.equal((await robot.cli(["sync"])).code, 0);

  // maria's Secrets window: her value set, revealed; nothing of ana's anywhere in it.
  const watched = await openPage(browser);
  const page = watched.page;
  page.setDefaultTimeout(10_000);
  await page.goto(await robot.windowLink());
  await visible(page.getByRole("heading", { level: 1, name: "Secrets" }));
  await visible(page.getByText(MARIA.email).first());
  const invoice = page.getByRole("region", { name: PROCESS });
  await visible(invoice.getByText("1 of 2 set"));
  await invoice.getByRole("button", { name: /SAP_PASSWORD/ }).click();
  const detail = page.getByRole("region", { name: "SAP_PASSWORD" });
  await detail.getByRole("button", { name: "Reveal" }).click();
  const revealed = detail.getByRole("status", { name: "Value of SAP_PASSWORD" });
  await visible(revealed);
  assert.equal(await revealed.textContent(), MARIA_VALUE);
  await screenshot(page, "robot-two-people-maria");
  assert.deepEqual(findLeaks(Buffer.from(await page.content()), [ANA_VALUE]), []);

  const answers = await page.evaluate(async () => {
    // As the page calls its API: with the request key it keeps for this tab (docs/adr/0073).
    const key = sessionStorage.getItem("heptora.windowKey") ?? "";
    const read = async (path: string) => {
      const response = await fetch(path, { headers: { "X-Window-Key": key } });
      return `${response.status} ${await response.text()}`;
    };
    return {
      secrets: await read("/api/secrets"),
      audit: await read("/api/audit"),
      export: await read("/api/audit/export?format=json"),
      history: await read("/api/secrets/SAP_PASSWORD/history"),
    };
  });
  for (const [what, text] of Object.entries(answers)) {
    assert.match(text, /^200 /, `${what}: ${text.slice(0, 200)}`);
    assert.deepEqual(findLeaks(Buffer.from(text), [ANA_VALUE]), [], `ana's value in ${what}`);
    assert.deepEqual(findLeaks(Buffer.from(text), [MARIA_VALUE]), [], `a value in ${what}`);
  }
  assert.match(answers.export, /SAP_PASSWORD/, "the export lists maria's events");
  assertNoProblems(watched.problems);
  await watched.context.close();
  await signOut();

  // ana again: her own value, untouched by maria's.
  await signIn(ANA);
  const anaGet = await robot.cli(["secrets", "get", "SAP_PASSWORD"]);
  assert.equal(anaGet.code, 0, anaGet.stderr);
  assert.equal(anaGet.stdout.trim(), ANA_VALUE);
  assert.equal((await robot.cli(["sync"])).code, 0);

  // The platform: coverage of each person, and never a value in its answers or its files.
  const { robots } = await admin.call<{
    robots: {
      id: string;
      coverage: { user: { email: string }; secrets: { name: string; set: boolean }[] }[];
    }[];
  }>("GET", "/robots");
  assert.equal(robots.length, 1);
  const coverage = Object.fromEntries(
    robots[0]?.coverage.map((c) => [
      c.user.email,
      Object.fromEntries(c.secrets.map((s) => [s.name, s.set])),
    ]) ?? [],
  );
  assert.deepEqual(coverage, {
    [ANA.email]: { SAP_USER: false, SAP_PASSWORD: true },
    [MARIA.email]: { SAP_USER: false, SAP_PASSWORD: true },
  });
  const platformAnswers = [
    JSON.stringify(robots),
    JSON.stringify(await admin.call("GET", `/robots/${robots[0]?.id}`)),
    JSON.stringify(await admin.call("GET", "/audit")),
    JSON.stringify(await admin.call("GET", "/processes")),
    JSON.stringify(await admin.call("GET", "/users")),
  ];
  for (const text of platformAnswers) {
    assert.deepEqual(findLeaks(Buffer.from(text), [ANA_VALUE, MARIA_VALUE]), []);
  }
  const files = filesUnder(platform.dir);
  assert.ok(
    files.some((f) => f.path.endsWith("p.db")),
    "the platform's database was scanned",
  );
  for (const file of files) {
    assert.deepEqual(findLeaks(file.bytes, [ANA_VALUE, MARIA_VALUE]), [], file.path);
  }
});
