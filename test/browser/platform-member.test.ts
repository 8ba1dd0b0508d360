/**
 * The platform web app in Chromium, as a member and around robots: the read-only view of an
 * assigned process, "insufficient permissions" where a member lacks rights, a robot appearing with
 * its set and missing secrets after it signs in and reports, revoking it, the audit filter by
 * robot, and the password reset through the mail outbox.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, openPage, SMALL, screenshot, type WatchedPage } from "./support/browser.ts";
import { assertNoProblems, gone, visible } from "./support/expect.ts";
import {
  type ApiSession,
  type RunningPlatform,
  robotSignIn,
  setupAdmin,
  startPlatform,
  waitForResetLink,
} from "./support/platform-server.ts";

const ADMIN = { email: "admin@example.com", password: "correct horse battery staple" };
const ANA = { email: "ana@example.com", password: "ana's long passphrase 1" };
const exact = { exact: true } as const;

let platform: RunningPlatform;
let browser: Browser;
let adminApi: ApiSession;
let member: WatchedPage;
let page: Page;
let robot: Awaited<ReturnType<typeof robotSignIn>>;
let anaId: string;

before(async () => {
  [platform, browser] = await Promise.all([startPlatform(), launchBrowser()]);
  adminApi = await setupAdmin(platform.url, ADMIN);
  const ana = await adminApi.call<{ id: string }>("POST", "/users", { ...ANA, role: "member" });
  anaId = ana.id;
  const invoice = await adminApi.call<{ id: string }>("POST", "/processes", {
    name: "Invoice Processing",
    description: "Reads supplier invoices and posts them to SAP.",
  });
  for (const name of ["SAP_USER", "SAP_PASSWORD"]) {
    await adminApi.call("POST", `/processes/${invoice.id}/variables`, { name, secret: true });
  }
  await adminApi.call("PUT", `/processes/${invoice.id}/assignees`, { userIds: [ana.id] });
  await adminApi.call("POST", "/processes", { name: "Payroll Export" });
  member = await openPage(browser);
  page = member.page;
  page.setDefaultTimeout(10_000);
});

after(async () => {
  await browser?.close();
  await platform?.stop();
});

async function signIn(p: Page, who: { email: string; password: string }): Promise<void> {
  await p.goto(`${platform.url}/`);
  await p.getByLabel("Email", exact).fill(who.email);
  await p.getByLabel("Password", exact).fill(who.password);
  await p.getByRole("button", { name: "Sign in" }).click();
  await visible(p.getByRole("heading", { level: 1, name: "Processes" }));
}

test("a member sees only the processes assigned to them, read-only", async () => {
  await signIn(page, ANA);
  await visible(page.getByRole("link", { name: "Invoice Processing" }));
  assert.equal(await page.getByRole("link", { name: "Payroll Export" }).count(), 0);
  assert.equal(await page.getByRole("button", { name: "New process" }).count(), 0);

  await page.getByRole("link", { name: "Invoice Processing" }).click();
  await visible(page.getByRole("heading", { level: 1, name: "Invoice Processing" }));
  await visible(page.getByText("Only an administrator can change"));
  await visible(page.getByRole("rowheader", { name: "SAP_PASSWORD" }));
  for (const control of ["Add variable", "Edit process", "Delete process", "Edit SAP_USER"]) {
    assert.equal(await page.getByRole("button", { name: control }).count(), 0, control);
  }
  assert.equal(await page.getByRole("checkbox").count(), 0);
  await screenshot(page, "platform-member-process");
  assertNoProblems(member.problems);
});

test("a member gets a clear 'insufficient permissions' message, not a broken page", async () => {
  const nav = page.getByRole("navigation", { name: "Sections" });
  assert.equal(await nav.getByRole("link", { name: "People" }).count(), 0);
  assert.equal(await nav.getByRole("link", { name: "Audit log" }).count(), 0);

  for (const path of ["/people", "/audit"]) {
    await page.goto(`${platform.url}${path}`);
    await visible(page.getByRole("alert").filter({ hasText: "Insufficient permissions" }));
  }
  await screenshot(page, "platform-member-insufficient-permissions");

  assertNoProblems(member.problems);
});

test("a robot appears with its set and missing secrets once it signs in and reports", async () => {
  await page.getByRole("link", { name: "Robots" }).click();
  await visible(page.getByText("No robots yet"));

  robot = await robotSignIn(platform.url, {
    ...ANA,
    robotName: "ana-laptop",
    machineId: "machine-7f3a9c",
  });
  const setAt = new Date(Date.now() - 3_600_000).toISOString();
  assert.equal(
    await robot.report([
      { name: "SAP_USER", set: true, updatedAt: setAt },
      { name: "SAP_PASSWORD", set: false },
    ]),
    204,
  );

  await page.reload();
  const row = page.getByRole("row").filter({ hasText: "ana-laptop" });
  await visible(row);
  await visible(row.getByText(ANA.email));
  await visible(row.getByText("machine-7f3a9c"));
  await visible(row.getByText("Online"));
  await visible(row.getByText("1 of 2"));
  await screenshot(page, "platform-robots");

  await page.getByRole("link", { name: "ana-laptop" }).click();
  await visible(page.getByRole("heading", { level: 1, name: "ana-laptop" }));
  const invoice = page.getByRole("region", { name: "Invoice Processing" });
  const user = invoice.getByRole("row").filter({ hasText: "SAP_USER" });
  await visible(user.getByText(/Set since/));
  const since = await user.locator("time").getAttribute("datetime");
  assert.equal(new Date(since ?? "").getTime(), new Date(setAt).getTime());
  await visible(invoice.getByRole("row").filter({ hasText: "SAP_PASSWORD" }).getByText("Missing"));
  await screenshot(page, "platform-robot");

  await page.setViewportSize(SMALL);
  await screenshot(page, "platform-robot-800x600");
  await page.setViewportSize({ width: 1280, height: 800 });
  assertNoProblems(member.problems);
});

test("an admin filters the audit log by robot, then revokes the robot after confirmation", async () => {
  const admin = await openPage(browser);
  admin.page.setDefaultTimeout(10_000);
  await signIn(admin.page, ADMIN);

  await admin.page.getByRole("link", { name: "Audit log" }).click();
  const rows = admin.page.getByRole("region", { name: "Audit events" }).getByRole("row");
  await visible(rows.filter({ hasText: "Payroll Export" }).first());
  await admin.page.getByLabel("Robot").selectOption({ label: `ana-laptop (${ANA.email})` });
  await gone(rows.filter({ hasText: "Payroll Export" }));
  await visible(rows.filter({ hasText: "ana-laptop" }).first());
  assert.equal(await rows.filter({ hasText: "Payroll Export" }).count(), 0);
  await screenshot(admin.page, "platform-audit-robot-filter");

  await admin.page.getByRole("link", { name: "Robots" }).click();
  await admin.page.getByRole("link", { name: "ana-laptop" }).click();
  await admin.page.getByRole("button", { name: "Revoke robot" }).click();
  const confirm = admin.page.getByRole("dialog", { name: "Revoke ana-laptop?" });
  await visible(confirm.getByText("Its sign-in stops working at once"));
  await screenshot(admin.page, "platform-revoke-confirmation");
  await confirm.getByRole("button", { name: "Revoke robot" }).click();
  await visible(admin.page.getByRole("heading", { level: 1, name: "Robots" }));
  await visible(admin.page.getByText("No robots yet"));

  // The robot's token no longer works.
  assert.equal(await robot.report([{ name: "SAP_USER", set: true }]), 401);
  assertNoProblems(admin.problems);
  await admin.context.close();
});

test("when the platform refuses an action, the page says 'insufficient permissions'", async () => {
  // Ana is an admin while she opens the audit log, and a member again when she filters it.
  await adminApi.call("PATCH", `/users/${anaId}`, { role: "admin" });
  await page.reload();
  await page.getByRole("link", { name: "Audit log" }).click();
  await visible(page.getByRole("region", { name: "Audit events" }));
  await adminApi.call("PATCH", `/users/${anaId}`, { role: "member" });
  await page.getByLabel("Process").selectOption({ label: "Payroll Export" });
  await visible(page.getByRole("alert").filter({ hasText: "Insufficient permissions" }));
  assertNoProblems(member.problems);
});

test("a session ended elsewhere sends the member back to sign-in, with the reason", async () => {
  await adminApi.call("DELETE", `/users/${anaId}/sessions`);
  await page.getByRole("link", { name: "Processes", exact: true }).click();
  await visible(page.getByRole("heading", { name: "Sign in to Heptora" }));
  await visible(page.getByText("Sign in again"));
  assertNoProblems(member.problems);
});

test("resets a forgotten password with the emailed link, which leaves the address bar", async () => {
  const visitor = await openPage(browser);
  const p = visitor.page;
  p.setDefaultTimeout(10_000);
  await p.goto(`${platform.url}/`);
  await p.getByRole("link", { name: "Forgot your password?" }).click();
  await p.getByLabel("Email", exact).fill(ANA.email);
  await p.getByRole("button", { name: "Send reset link" }).click();
  await visible(p.getByRole("heading", { name: "Check your email" }));

  const link = await waitForResetLink(platform.outbox);
  const path = new URL(link).pathname + new URL(link).search;
  await p.goto(`${platform.url}${path}`);
  await visible(p.getByRole("heading", { name: "Choose a new password" }));
  assert.equal(new URL(p.url()).pathname, "/reset-password");
  assert.equal(new URL(p.url()).search, "", "the token was removed from the address bar");

  await p.getByLabel("New password", exact).fill("short");
  await p.getByLabel("Repeat new password").fill("short");
  await p.getByRole("button", { name: "Set new password" }).click();
  await visible(p.getByRole("alert").filter({ hasText: "12 characters" }));

  const fresh = "a brand new passphrase for ana";
  await p.getByLabel("New password", exact).fill(fresh);
  await p.getByLabel("Repeat new password").fill(fresh);
  await p.getByRole("button", { name: "Set new password" }).click();
  await visible(p.getByRole("heading", { name: "Password changed" }));
  await p.getByRole("link", { name: "Sign in with your new password" }).click();

  await p.getByLabel("Email", exact).fill(ANA.email);
  await p.getByLabel("Password", exact).fill(ANA.password);
  await p.getByRole("button", { name: "Sign in" }).click();
  await visible(p.getByRole("alert").filter({ hasText: "not correct" }));
  await p.getByLabel("Password", exact).fill(fresh);
  await p.getByRole("button", { name: "Sign in" }).click();
  await visible(p.getByRole("heading", { level: 1, name: "Processes" }));

  // The link works once.
  await p.goto(`${platform.url}${path}`);
  await gone(p.getByRole("heading", { level: 1, name: "Processes" }));
  await p.getByLabel("New password", exact).fill("another long passphrase");
  await p.getByLabel("Repeat new password").fill("another long passphrase");
  await p.getByRole("button", { name: "Set new password" }).click();
  await visible(p.getByRole("alert").filter({ hasText: "not valid or has expired" }));
  assertNoProblems(visitor.problems);
  await visitor.context.close();
});
