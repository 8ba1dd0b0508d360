/**
 * The Secrets window's Runs page (issue 13, docs/adr/0077), against a real platform, a real robot
 * daemon and the CLI: a finished run shows in the list and in detail (its command, the names it
 * read, how many values were masked, its exit code) and never its value, at 1280x800 and 800x600.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { findLeaks } from "../../packages/robot/test/support/leaks.ts";
import { launchBrowser, openPage, SMALL, screenshot } from "./support/browser.ts";
import { assertNoProblems, visible } from "./support/expect.ts";
import { type RunningPlatform, setupAdmin, startPlatform } from "./support/platform-server.ts";
import { type RunningRobot, startRobot } from "./support/robot-daemon.ts";

const ADMIN = { email: "admin@example.com", password: "correct horse battery staple" };
const ANA = { email: "ana@example.com", password: "ana's long passphrase 1" };
const VALUE = "ana-Runs-Page-Pw-4711";
const PROCESS = "Invoice Processing";
/** Reads SAP_PASSWORD through the SDK, prints it twice and fails with exit 4. */
const SCRIPT = [
  'import { getSecret } from "@heptora/sdk";',
  'const pw = await getSecret("SAP_PASSWORD");',
  'console.log("pw=" + pw + " again=" + pw);',
  "process.exit(4);",
].join("\n");

let platform: RunningPlatform;
let browser: Browser;
let robot: RunningRobot;

before(async () => {
  [platform, browser] = await Promise.all([startPlatform(), launchBrowser()]);
  const admin = await setupAdmin(platform.url, ADMIN);
  const ana = await admin.call<{ id: string }>("POST", "/users", { ...ANA, role: "member" });
  const invoice = await admin.call<{ id: string }>("POST", "/processes", { name: PROCESS });
  await admin.call("POST", `/processes/${invoice.id}/variables`, {
    name: "SAP_PASSWORD",
    secret: true,
  });
  await admin.call("PUT", `/processes/${invoice.id}/assignees`, { userIds: [ana.id] });
  robot = await startRobot(platform.url);
});

after(async () => {
  await robot?.stop();
  await browser?.close();
  await platform?.stop();
});

test("the Runs page shows a finished run: names read, masked counts, exit code; never a value", async () => {
  const login = await robot.cli(["login", "--email", ANA.email, "--password-stdin"], ANA.password);
  assert.equal(login.code, 0, login.stderr);
  const set = await robot.cli(["secrets", "set", "SAP_PASSWORD", "--value-stdin"], VALUE);
  assert.equal(set.code, 0, set.stderr);
  const run = await robot.cli([
    "run",
    PROCESS,
    "--",
    process.execPath,
    "--input-type=module",
    "-e",
    SCRIPT,
  ]);
  assert.equal(run.code, 4, run.stderr);
  assert.match(run.stdout, /pw=\*\*\* again=\*\*\*/);

  const watched = await openPage(browser);
  const page = watched.page;
  page.setDefaultTimeout(10_000);
  await page.goto(await robot.windowLink());
  await visible(page.getByRole("heading", { level: 1, name: "Secrets" }));
  await page.getByRole("button", { name: "Runs" }).click();
  await visible(page.getByRole("heading", { level: 1, name: "Runs" }));
  const row = page.getByRole("row", { name: new RegExp(PROCESS) });
  await visible(row.getByText("Failed · exit 4"));
  await visible(row.getByText("2 out · 0 err"));
  assert.equal(await row.getByRole("cell").nth(2).textContent(), "1");
  await screenshot(page, "robot-window-runs");

  await row.getByRole("link", { name: PROCESS }).click();
  await visible(page.getByRole("heading", { level: 1, name: PROCESS }));
  await visible(page.getByText("2 times in its output, 0 times in its errors"));
  await visible(page.getByRole("rowheader", { name: "SAP_PASSWORD" }));
  await visible(page.getByText("--input-type=module"));
  await screenshot(page, "robot-window-run");
  assert.deepEqual(findLeaks(Buffer.from(await page.content()), [VALUE]), []);

  await page.setViewportSize(SMALL);
  await visible(page.getByRole("heading", { level: 1, name: PROCESS }));
  await screenshot(page, "robot-window-run-800x600");
  await page.getByRole("link", { name: "All runs" }).click();
  await visible(page.getByRole("heading", { level: 1, name: "Runs" }));
  await screenshot(page, "robot-window-runs-800x600");

  const answers = await page.evaluate(async () => {
    const list = await (await fetch("/api/runs")).text();
    return list;
  });
  assert.deepEqual(findLeaks(Buffer.from(answers), [VALUE]), []);
  assertNoProblems(watched.problems);
  await watched.context.close();
});
