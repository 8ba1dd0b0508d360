/**
 * The robot's Secrets window in Chromium, against a real platform and a real robot daemon: the
 * one-time link (used once, refused after), the robot's sign-in with troubleshooting, finding a
 * variable, setting a value (checked with the CLI), revealing it (hidden again after 30 s),
 * restoring a previous version, the activity log with its export, settings, 800x600, a variable
 * renamed on the platform (the value follows it), moving a value no process declares any more,
 * log out.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, openPage, SMALL, screenshot, type WatchedPage } from "./support/browser.ts";
import { assertNoProblems, eventually, gone, visible } from "./support/expect.ts";
import { type RunningPlatform, setupAdmin, startPlatform } from "./support/platform-server.ts";
import { type RunningRobot, startRobot } from "./support/robot-daemon.ts";

const ADMIN = { email: "admin@example.com", password: "correct horse battery staple" };
const ANA = { email: "ana@example.com", password: "ana's long passphrase 1" };
const FIRST = "s3cret-Value-One";
const SECOND = "s3cret-Value-Two";
const exact = { exact: true } as const;

let platform: RunningPlatform;
let admin: Awaited<ReturnType<typeof setupAdmin>>;
let invoiceId: string;
let payrollId: string;
let robot: RunningRobot;
let browser: Browser;
let ana: WatchedPage;
let page: Page;

before(async () => {
  [platform, browser] = await Promise.all([startPlatform(), launchBrowser()]);
  admin = await setupAdmin(platform.url, ADMIN);
  const user = await admin.call<{ id: string }>("POST", "/users", { ...ANA, role: "member" });
  const invoice = await admin.call<{ id: string }>("POST", "/processes", {
    name: "Invoice Processing",
    description: "Reads supplier invoices and posts them to SAP.",
  });
  const payroll = await admin.call<{ id: string }>("POST", "/processes", {
    name: "Payroll Export",
    description: "Exports the monthly payroll to the bank.",
  });
  const variables: [string, string, string][] = [
    [invoice.id, "SAP_USER", "SAP user the robot signs in with"],
    [invoice.id, "SAP_PASSWORD", "Password of the SAP user"],
    [payroll.id, "SAP_USER", "SAP user the robot signs in with"],
    [payroll.id, "BANK_API_KEY", "Key of the bank's payment API"],
  ];
  invoiceId = invoice.id;
  payrollId = payroll.id;
  for (const [id, name, description] of variables) {
    await admin.call("POST", `/processes/${id}/variables`, { name, secret: true, description });
  }
  for (const id of [invoice.id, payroll.id]) {
    await admin.call("PUT", `/processes/${id}/assignees`, { userIds: [user.id] });
  }
  robot = await startRobot(platform.url);
  ana = await openPage(browser, { expectedErrors: [/status of 40[13]/] });
  page = ana.page;
  page.setDefaultTimeout(10_000);
  // A controllable clock: the 30-second reveal is checked without waiting 30 seconds.
  await page.clock.install();
});

after(async () => {
  await browser?.close();
  await robot?.stop();
  await platform?.stop();
});

test("a one-time link signs in one browser, once; the token leaves the address bar", async () => {
  const link = await robot.windowLink();
  await page.goto(link);
  await visible(page.getByRole("heading", { level: 1, name: "Sign in this robot" }));
  assert.equal(new URL(page.url()).pathname, "/");
  assert.ok(!page.url().includes("t="), "the token is not in the address bar");

  const other = await openPage(browser);
  await other.page.goto(link);
  await visible(other.page.getByRole("heading", { name: "This sign-in link can't be used" }));
  await visible(other.page.getByText("In a terminal on this machine, run"));
  assert.ok(!other.page.url().includes("t="));
  await screenshot(other.page, "robot-window-link-used");
  await other.page.goto(new URL(link).origin);
  await visible(
    other.page.getByRole("heading", { name: "Open the Secrets window from your robot" }),
  );
  await other.context.close();
});

test("a reload keeps the window; another tab with the cookie alone opens nothing (ADR 0073)", async () => {
  await page.reload();
  await visible(page.getByRole("heading", { level: 1, name: "Sign in this robot" }));
  // The request key is kept for this tab and origin only; the cookie stays out of scripts' reach.
  const storage = await page.evaluate(() => ({
    local: window.localStorage.length,
    session: Object.keys(window.sessionStorage),
    cookies: document.cookie,
  }));
  assert.deepEqual(storage, { local: 0, session: ["heptora.windowKey"], cookies: "" });

  // Same browser, same cookie, but not the page that used the link: not signed in.
  const tab = await page.context().newPage();
  await tab.goto(new URL(page.url()).origin);
  await visible(tab.getByRole("heading", { name: "Open the Secrets window from your robot" }));
  const answer = await tab.evaluate(async () => (await fetch("/api/secrets")).status);
  assert.equal(answer, 401);
  await tab.close();
});

test("the robot signs in with the web app's credentials; failures say what to try", async () => {
  await page.getByLabel("Email", exact).fill(ANA.email);
  await page.getByLabel("Password", exact).fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await visible(page.getByText("The email or password is not correct."));
  await visible(
    page.getByText("Use the email and password you sign in to the Heptora web app with."),
  );
  await screenshot(page, "robot-window-sign-in-error");

  await page.getByLabel("Password", exact).fill(ANA.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await visible(page.getByRole("heading", { level: 1, name: "Secrets" }));
  await visible(page.getByRole("heading", { level: 2, name: "Invoice Processing" }));
  await visible(page.getByRole("heading", { level: 2, name: "Payroll Export" }));
  await visible(page.getByText(ANA.email).first());
});

test("variables are grouped by process; a shared name says so", async () => {
  const invoice = page.getByRole("region", { name: "Invoice Processing" });
  await visible(invoice.getByRole("button", { name: /SAP_PASSWORD/ }));
  await visible(invoice.getByText("2 of 2 set").or(invoice.getByText("0 of 2 set")));
  await visible(invoice.getByText(/Shared with Payroll Export/));
  assert.equal(await page.getByRole("button", { name: /BANK_API_KEY/ }).count(), 1);

  await page.getByRole("button", { name: "Sync now" }).click();
  await visible(page.getByText("Synced: 2 processes, 0 changed."));
});

test("find a variable, type a masked value, save it: stored encrypted, readable by the CLI", async () => {
  await page.getByLabel("Search variables").fill("password");
  await gone(page.getByRole("button", { name: /BANK_API_KEY/ }));
  await page.getByRole("button", { name: /SAP_PASSWORD/ }).click();
  const detail = page.getByRole("region", { name: "SAP_PASSWORD" });
  await visible(detail.getByText("No value on this robot yet."));

  const field = detail.getByLabel("New value", exact);
  assert.equal(await field.getAttribute("type"), "password");
  await field.fill(FIRST);
  await detail.getByRole("button", { name: "Show new value" }).click();
  assert.equal(await field.getAttribute("type"), "text");
  await detail.getByRole("button", { name: "Hide new value" }).click();
  assert.equal(await field.getAttribute("type"), "password");
  await detail.getByRole("button", { name: "Save" }).click();
  await visible(detail.getByText("Saved as version 1, encrypted on this machine."));
  assert.equal(await field.inputValue(), "", "the field is emptied after saving");
  assert.ok(!(await page.content()).includes(FIRST), "the value is not in the page");

  const stored = await robot.cli(["secrets", "get", "SAP_PASSWORD"]);
  assert.equal(stored.code, 0, stored.stderr);
  assert.equal(stored.stdout.trim(), FIRST);
  await screenshot(page, "robot-window-secrets");
});

test("a value set from the CLI shows as set in the open window, without a reload", async () => {
  await page.getByLabel("Search variables").fill("");
  const payroll = page.getByRole("region", { name: "Payroll Export" });
  await visible(payroll.getByText("0 of 2 set"));
  const set = await robot.cli(
    ["secrets", "set", "BANK_API_KEY", "--value-stdin"],
    "bank-Key-12345",
  );
  assert.equal(set.code, 0, set.stderr);
  await visible(payroll.getByText("1 of 2 set"));
  const unset = await robot.cli(["secrets", "unset", "BANK_API_KEY"]);
  assert.equal(unset.code, 0, unset.stderr);
  await visible(payroll.getByText("0 of 2 set"));
});

test("switching to another variable with a typed, unsaved value asks first", async () => {
  await page
    .getByRole("button", { name: /SAP_USER/ })
    .first()
    .click();
  const detail = page.getByRole("region", { name: "SAP_USER" });
  await detail.getByLabel("New value", exact).fill("typed-but-not-saved");
  await page.getByRole("button", { name: /BANK_API_KEY/ }).click();
  const dialog = page.getByRole("dialog", { name: "Discard the value you typed for SAP_USER?" });
  await visible(dialog);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await gone(dialog);
  assert.equal(await detail.getByLabel("New value", exact).inputValue(), "typed-but-not-saved");
  await page.getByRole("button", { name: /BANK_API_KEY/ }).click();
  await page
    .getByRole("dialog", { name: "Discard the value you typed for SAP_USER?" })
    .getByRole("button", { name: "Discard" })
    .click();
  await visible(page.getByRole("region", { name: "BANK_API_KEY" }));
  // Back where the next test starts: SAP_PASSWORD selected.
  await page.getByRole("button", { name: /SAP_PASSWORD/ }).click();
  await visible(page.getByRole("region", { name: "SAP_PASSWORD" }));
});

test("reveal shows the value on request, audited, and hides it again after 30 s", async () => {
  const detail = page.getByRole("region", { name: "SAP_PASSWORD" });
  await detail.getByRole("button", { name: "Reveal" }).click();
  const value = detail.getByRole("status", { name: "Value of SAP_PASSWORD" });
  await visible(value);
  assert.equal(await value.textContent(), FIRST);
  await visible(detail.getByText(/Hidden again in \d+ s/));
  await page.clock.fastForward("00:06"); // past the sign-in notice, well within the 30 s
  await visible(detail.getByText(/Hidden again in 2\d s/));
  await screenshot(page, "robot-window-reveal");

  await page.clock.fastForward("00:31");
  await gone(value);
  await visible(detail.getByRole("button", { name: "Reveal" }));
  assert.ok(!(await page.content()).includes(FIRST));

  const audit = await robot.cli(["audit", "list", "--type", "secret.reveal", "--json"]);
  const { entries } = JSON.parse(audit.stdout) as {
    entries: { type: string; name?: string; actor?: string }[];
  };
  assert.ok(
    entries.some(
      (e) => e.type === "secret.reveal" && e.name === "SAP_PASSWORD" && e.actor === "window",
    ),
  );
});

test("history lists earlier versions; restoring one makes it current again", async () => {
  const detail = page.getByRole("region", { name: "SAP_PASSWORD" });
  await detail.getByLabel("New value", exact).fill(SECOND);
  await detail.getByRole("button", { name: "Save" }).click();
  await visible(detail.getByText("Saved as version 2, encrypted on this machine."));
  assert.equal((await robot.cli(["secrets", "get", "SAP_PASSWORD"])).stdout.trim(), SECOND);

  await detail.getByRole("button", { name: "Restore version 1" }).click();
  const dialog = page.getByRole("dialog", { name: "Restore version 1 of SAP_PASSWORD?" });
  await visible(dialog);
  await screenshot(page, "robot-window-restore");
  await dialog.getByRole("button", { name: "Restore" }).click();
  await gone(dialog);
  await visible(page.getByText("Version 1 of SAP_PASSWORD is the current value again."));
  await visible(detail.getByText("Version 3", exact));
  assert.equal((await robot.cli(["secrets", "get", "SAP_PASSWORD"])).stdout.trim(), FIRST);
  await screenshot(page, "robot-window-history");
});

test("the activity log verifies its chain, filters and exports", async () => {
  await page.getByRole("button", { name: "Activity" }).click();
  await visible(page.getByRole("heading", { level: 1, name: "Activity" }));
  await visible(page.getByText("Chain verified."));
  await visible(page.getByRole("cell", { name: "Value revealed" }).first());
  await page.clock.fastForward("00:06"); // let the last notice go
  await screenshot(page, "robot-window-activity");

  await page.getByLabel("Event").selectOption("secret.restore");
  await page.getByRole("button", { name: "Apply" }).click();
  await eventually(
    page,
    () => page.getByRole("row").count(),
    (rows) => rows === 2,
    "one restore in the log (plus the header row)",
  );

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export CSV" }).click(),
  ]);
  const csv = readFileSync(await download.path(), "utf8");
  assert.match(csv, /^seq,at,type,name,process,actor,outcome,reason,details/);
  assert.match(csv, /secret\.restore,SAP_PASSWORD/);
  assert.ok(!csv.includes(FIRST) && !csv.includes(SECOND));
});

test("settings show the platform, the data dir and the key protection warning", async () => {
  await page.getByRole("button", { name: "Settings" }).click();
  await visible(page.getByRole("heading", { level: 1, name: "Settings" }));
  await visible(page.getByText(platform.url, exact).first());
  await visible(page.getByText(robot.dataDir, exact));
  await visible(page.getByText("Key protection"));
  const people = page.getByRole("region", { name: "People with values on this machine" });
  await visible(people.getByText(ANA.email, exact));
  await visible(people.getByText("signed in", exact));
  assert.equal(
    await people.getByRole("button", { name: /Forget/ }).count(),
    0,
    "the signed-in person's values cannot be forgotten here",
  );
  await screenshot(page, "robot-window-settings");
});

test("every field has an accessible name, and the window fits 800x600", async () => {
  await page.getByRole("button", { name: "Secrets" }).click();
  await visible(page.getByRole("heading", { level: 1, name: "Secrets" }));
  await page.getByRole("button", { name: /SAP_PASSWORD/ }).click();
  await visible(page.getByRole("region", { name: "SAP_PASSWORD" }));
  await page.clock.fastForward("00:06");
  await screenshot(page, "robot-window-overview");
  const unnamed = await page.evaluate(() =>
    [...document.querySelectorAll("input, select, textarea, button")]
      .filter((el) => {
        const labels = (el as HTMLInputElement).labels;
        const named =
          (labels !== null && labels !== undefined && labels.length > 0) ||
          el.getAttribute("aria-label") !== null ||
          (el.tagName === "BUTTON" && (el.textContent ?? "").trim() !== "");
        return !named;
      })
      .map((el) => el.outerHTML.slice(0, 80)),
  );
  assert.deepEqual(unnamed, []);

  await page.setViewportSize(SMALL);
  // Narrow: the selected variable takes the whole width, with a way back to the list.
  await page.getByRole("button", { name: "All variables" }).click();
  await visible(page.getByRole("heading", { level: 1, name: "Secrets" }));
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > innerWidth);
  assert.equal(overflow, false, "no horizontal scrolling at 800x600");
  await screenshot(page, "robot-window-800x600");
  await page
    .getByRole("button", { name: /SAP_USER/ })
    .first()
    .click();
  await visible(page.getByRole("button", { name: "All variables" }));
  await screenshot(page, "robot-window-detail-800x600");
  await page.getByRole("button", { name: "All variables" }).click();
  await page.setViewportSize({ width: 1280, height: 800 });
});

test("a variable renamed on the platform keeps its value on the robot, with its history", async () => {
  await admin.call("PATCH", `/processes/${invoiceId}/variables/SAP_PASSWORD`, {
    name: "SAP_PASSWD",
  });
  assert.equal((await robot.cli(["sync"])).code, 0);
  await visible(page.getByRole("button", { name: /SAP_PASSWD/ }));
  const moved = await robot.cli(["secrets", "get", "SAP_PASSWD"]);
  assert.equal(moved.stdout.trim(), FIRST, moved.stderr);
  const history = await robot.cli(["secrets", "history", "SAP_PASSWD", "--json"]);
  assert.ok((JSON.parse(history.stdout) as { versions: unknown[] }).versions.length > 1);
  await admin.call("PATCH", `/processes/${invoiceId}/variables/SAP_PASSWD`, {
    name: "SAP_PASSWORD",
  });
  assert.equal((await robot.cli(["sync"])).code, 0);
  await visible(page.getByRole("button", { name: /SAP_PASSWORD/ }));
  assert.equal((await robot.cli(["secrets", "get", "SAP_PASSWORD"])).stdout.trim(), FIRST);
});

test("a value no process declares any more moves onto a declared name", async () => {
  const set = await robot.cli(["secrets", "set", "BANK_API_KEY", "--value-stdin"], `${SECOND}\n`);
  assert.equal(set.code, 0, set.stderr);
  await admin.call("DELETE", `/processes/${payrollId}/variables/BANK_API_KEY`);
  await admin.call("POST", `/processes/${payrollId}/variables`, { name: "BANK_TOKEN" });
  assert.equal((await robot.cli(["sync"])).code, 0);
  const undeclared = page.getByRole("region", { name: "No longer declared" });
  const move = undeclared.getByRole("button", { name: "Move to… BANK_API_KEY" });
  await move.click();
  const dialog = page.getByRole("dialog", { name: "Move the value of BANK_API_KEY" });
  await dialog.getByLabel("Declared name without a value").selectOption("BANK_TOKEN");
  await dialog.getByRole("button", { name: "Move value" }).click();
  await visible(page.getByText(/now the value of BANK_TOKEN, with its history/));
  await gone(move);
  assert.equal((await robot.cli(["secrets", "get", "BANK_TOKEN"])).stdout.trim(), SECOND);
  assert.ok(!(await page.content()).includes(SECOND), "the value is not in the page");
});

test("log out signs the robot out of the platform; values stay", async () => {
  await page.getByRole("button", { name: "Log out" }).click();
  const dialog = page.getByRole("dialog", { name: "Log out of the platform?" });
  await visible(dialog);
  await dialog.getByRole("button", { name: "Log out" }).click();
  await visible(page.getByRole("heading", { level: 1, name: "Sign in this robot" }));
  const status = JSON.parse((await robot.cli(["status", "--json"])).stdout) as {
    signedIn: boolean;
  };
  assert.equal(status.signedIn, false);
  // Ana's values stay, sealed until she signs in again (docs/adr/0066).
  const sealed = await robot.cli(["secrets", "get", "SAP_PASSWORD"]);
  assert.equal(sealed.stderr, "The robot is not signed in. Sign in with `heptora login`.\n");
  assert.equal(robot.storedValue(ANA.email, "SAP_PASSWORD"), FIRST);
  assertNoProblems(ana.problems);
});

test("a robot whose platform cannot be reached says to check the URL and the network", async () => {
  // Port 9 (discard) on 127.0.0.1: nothing listens, the connection is refused at once.
  const offline = await startRobot("http://127.0.0.1:9");
  try {
    const watched = await openPage(browser, { expectedErrors: [/status of 502/] });
    await watched.page.goto(await offline.windowLink());
    await watched.page.getByLabel("Email", exact).fill(ANA.email);
    await watched.page.getByLabel("Password", exact).fill(ANA.password);
    await watched.page.getByRole("button", { name: "Sign in" }).click();
    await visible(watched.page.getByText("The platform at 127.0.0.1:9 cannot be reached."));
    await visible(watched.page.getByText(/Check the platform URL: this robot uses/));
    await visible(watched.page.getByText("--platform URL", exact));
    await visible(watched.page.getByText(/Check your network connection/));
    await screenshot(watched.page, "robot-window-sign-in-unreachable");
    assertNoProblems(watched.problems);
    await watched.context.close();
  } finally {
    await offline.stop();
  }
});
