/**
 * The Secrets window refuses a value of fewer than 4 characters with the reason (it cannot be
 * masked safely in run output) and offers to allow it on purpose; allowing it is in the
 * activity log (docs/adr/0075).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, openPage, screenshot } from "./support/browser.ts";
import { visible } from "./support/expect.ts";
import { type RunningPlatform, setupAdmin, startPlatform } from "./support/platform-server.ts";
import { type RunningRobot, startRobot } from "./support/robot-daemon.ts";

const ADMIN = { email: "admin@example.com", password: "correct horse battery staple" };
const ANA = { email: "ana@example.com", password: "ana's long passphrase 1" };
const exact = { exact: true } as const;

let platform: RunningPlatform;
let robot: RunningRobot;
let browser: Browser;
let page: Page;

before(async () => {
  [platform, browser] = await Promise.all([startPlatform(), launchBrowser()]);
  const admin = await setupAdmin(platform.url, ADMIN);
  const user = await admin.call<{ id: string }>("POST", "/users", { ...ANA, role: "member" });
  const invoice = await admin.call<{ id: string }>("POST", "/processes", {
    name: "Invoice Processing",
  });
  await admin.call("POST", `/processes/${invoice.id}/variables`, {
    name: "SAP_PIN",
    secret: true,
    description: "The SAP user's PIN",
  });
  await admin.call("PUT", `/processes/${invoice.id}/assignees`, { userIds: [user.id] });
  robot = await startRobot(platform.url);
  const opened = await openPage(browser, { expectedErrors: [/status of 40[013]/] });
  page = opened.page;
  page.setDefaultTimeout(10_000);
  await page.goto(await robot.windowLink());
  await page.getByLabel("Email", exact).fill(ANA.email);
  await page.getByLabel("Password", exact).fill(ANA.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await visible(page.getByRole("heading", { level: 1, name: "Secrets" }));
});

after(async () => {
  await browser?.close();
  await robot?.stop();
  await platform?.stop();
});

test("a 3-character value is refused with the reason; allowing it saves it and is in the activity log", async () => {
  await page.getByRole("button", { name: /SAP_PIN/ }).click();
  const detail = page.getByRole("region", { name: "SAP_PIN" });
  await detail.getByLabel("New value", exact).fill("493");
  await detail.getByRole("button", { name: "Save" }).click();
  await visible(detail.getByText(/shorter than 4 characters: heptora run cannot mask it safely/));
  const stored = await robot.cli(["secrets", "get", "SAP_PIN"]);
  assert.notEqual(stored.code, 0, "nothing was saved");

  await detail.getByLabel(/Allow a short value/).check();
  await screenshot(page, "robot-window-short-value");
  await detail.getByRole("button", { name: "Save" }).click();
  await visible(detail.getByText("Saved as version 1, encrypted on this machine."));
  const saved = await robot.cli(["secrets", "get", "SAP_PIN"]);
  assert.equal(saved.stdout.trim(), "493");
  const audit = await robot.cli(["audit", "list", "--json", "--type", "secret.short_allowed"]);
  const entries = (JSON.parse(audit.stdout) as { entries: { name: string; actor: string }[] })
    .entries;
  assert.deepEqual(
    entries.map((e) => [e.name, e.actor]),
    [["SAP_PIN", "window"]],
  );
  await page.getByRole("button", { name: "Activity" }).click();
  await visible(page.getByRole("cell", { name: "Short value allowed" }).first());
});
