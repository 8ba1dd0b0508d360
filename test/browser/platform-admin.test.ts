/**
 * The platform web app in Chromium, as an administrator: first-run setup, sign-in and sign-out,
 * processes, secret variables and the name rule, people, assignment, audit filters, small screens.
 * Runs against the real platform server with a throw-away database.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, openPage, SMALL, screenshot, type WatchedPage } from "./support/browser.ts";
import { assertNoProblems, eventually, gone, visible } from "./support/expect.ts";
import {
  type RunningPlatform,
  startPlatform,
  waitForResetLink,
} from "./support/platform-server.ts";

const ADMIN = { email: "admin@example.com", password: "correct horse battery staple" };
const ANA = { email: "ana@example.com", password: "ana's long passphrase 1" };

let platform: RunningPlatform;
let browser: Browser;
let admin: WatchedPage;
let page: Page;

before(async () => {
  [platform, browser] = await Promise.all([startPlatform(), launchBrowser()]);
  admin = await openPage(browser);
  page = admin.page;
  page.setDefaultTimeout(10_000);
});

after(async () => {
  await browser?.close();
  await platform?.stop();
});

const exact = { exact: true } as const;

async function openProcess(name: string): Promise<void> {
  await page.getByRole("link", { name: "Processes", exact: true }).click();
  await page.getByRole("link", { name, exact: true }).click();
  await visible(page.getByRole("heading", { level: 1, name }));
}

test("first run: the setup page creates the organisation and signs its administrator in", async () => {
  await page.goto(`${platform.url}/`);
  await visible(page.getByRole("heading", { name: "Set up Heptora" }));
  await screenshot(page, "platform-setup");

  await page.getByLabel("Organisation name").fill("Acme Logistics");
  await page.getByLabel("Administrator email").fill(ADMIN.email);
  await page.getByLabel("Password", exact).fill(ADMIN.password);
  await page.getByLabel("Repeat password").fill("something else entirely");
  await page.getByRole("button", { name: "Create organisation" }).click();
  await visible(page.getByRole("alert").filter({ hasText: "not the same" }));

  await page.getByLabel("Repeat password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Create organisation" }).click();
  await visible(page.getByRole("heading", { level: 1, name: "Processes" }));
  await visible(page.getByText("No processes yet"));
  await visible(page.getByRole("banner").getByText(ADMIN.email));
  assertNoProblems(admin.problems);
});

test("signs out, refuses a wrong password, signs in, and restores the session on reload", async () => {
  await page.getByRole("button", { name: "Sign out" }).click();
  await visible(page.getByRole("heading", { name: "Sign in to Heptora" }));
  await visible(page.getByText("You are signed out."));

  await page.getByLabel("Email", exact).fill(ADMIN.email);
  await page.getByLabel("Password", exact).fill("not my password at all");
  await page.getByRole("button", { name: "Sign in" }).click();
  await visible(page.getByRole("alert").filter({ hasText: "not correct" }));
  await screenshot(page, "platform-sign-in-error");

  await page.getByLabel("Password", exact).fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await visible(page.getByRole("heading", { level: 1, name: "Processes" }));

  await page.reload();
  await visible(page.getByRole("heading", { level: 1, name: "Processes" }));

  // Nothing of the session is readable by scripts or kept in web storage.
  const storage = await page.evaluate(() => ({
    local: window.localStorage.length,
    session: window.sessionStorage.length,
    cookies: document.cookie,
  }));
  assert.deepEqual(storage, { local: 0, session: 0, cookies: "" });
  const cookies = await admin.context.cookies();
  assert.ok(cookies.length > 0, "a session cookie is set");
  for (const cookie of cookies) assert.equal(cookie.httpOnly, true, `${cookie.name} is HttpOnly`);
  assertNoProblems(admin.problems);
});

test("creates processes, finds them with search, renames and describes one", async () => {
  for (const [name, description] of [
    ["Invoice Processing", "Reads supplier invoices and posts them to SAP."],
    ["Payroll Export", "Monthly export to the bank."],
  ] as const) {
    await page.getByRole("link", { name: "Processes", exact: true }).click();
    await page.getByRole("button", { name: "New process" }).click();
    const dialog = page.getByRole("dialog", { name: "New process" });
    await dialog.getByLabel("Process name").fill(name);
    await dialog.getByLabel("Description").fill(description);
    await dialog.getByRole("button", { name: "Create process" }).click();
    await visible(page.getByRole("heading", { level: 1, name }));
    await visible(page.getByText("No variables yet"));
  }

  await page.getByRole("link", { name: "Processes", exact: true }).click();
  const list = page.getByRole("region", { name: "Process list" });
  await visible(list.getByRole("link", { name: "Payroll Export" }));
  await page.getByLabel("Search processes").fill("invoice");
  await gone(list.getByRole("link", { name: "Payroll Export" }));
  await visible(list.getByRole("link", { name: "Invoice Processing" }));
  await page.getByLabel("Search processes").fill("nothing like this");
  await visible(page.getByText("No process matches"));
  await page.getByLabel("Search processes").fill("");

  await openProcess("Payroll Export");
  await page.getByRole("button", { name: "Edit process" }).click();
  const edit = page.getByRole("dialog", { name: "Edit Payroll Export" });
  await edit.getByLabel("Process name").fill("Payroll Export (bank)");
  await edit.getByLabel("Description").fill("Exports the monthly payroll to the bank portal.");
  await edit.getByRole("button", { name: "Save changes" }).click();
  await visible(page.getByRole("heading", { level: 1, name: "Payroll Export (bank)" }));
  await visible(page.getByText("Exports the monthly payroll to the bank portal."));
  assertNoProblems(admin.problems);
});

test("adds secret variables; a bad name is explained as it is typed, with the fix", async () => {
  await openProcess("Invoice Processing");

  await page.getByRole("button", { name: "Add variable" }).click();
  let dialog = page.getByRole("dialog", { name: "Add a variable" });
  await dialog.getByLabel("Variable name").fill("SAP_USER");
  await dialog.getByLabel("Variable description").fill("SAP user the robot signs in with");
  assert.equal(await dialog.getByRole("switch", { name: "Secret" }).isChecked(), true);
  await dialog.getByRole("button", { name: "Add variable" }).click();
  await gone(dialog);
  await visible(page.getByRole("rowheader", { name: "SAP_USER" }));

  // The rule, explained while typing, with the suggested name one click away.
  await page.getByRole("button", { name: "Add variable" }).click();
  dialog = page.getByRole("dialog", { name: "Add a variable" });
  const name = dialog.getByLabel("Variable name");
  await name.fill("sap password");
  await visible(dialog.getByText("Did you mean 'SAP_PASSWORD'?"));
  assert.equal(await name.getAttribute("aria-invalid"), "true");
  await screenshot(page, "platform-variable-name-suggestion");
  await dialog.getByRole("button", { name: "Use SAP_PASSWORD" }).click();
  assert.equal(await name.inputValue(), "SAP_PASSWORD");
  await gone(dialog.getByText("Did you mean"));
  await dialog.getByRole("button", { name: "Add variable" }).click();
  await gone(dialog);
  await visible(page.getByRole("rowheader", { name: "SAP_PASSWORD" }));

  // Submitted anyway, the platform refuses it with the same suggestion, shown once, on the
  // field (not again above the buttons); nothing is added.
  await page.getByRole("button", { name: "Add variable" }).click();
  dialog = page.getByRole("dialog", { name: "Add a variable" });
  await dialog.getByLabel("Variable name").fill("sap-client");
  await dialog.getByRole("switch", { name: "Secret" }).click();
  await dialog.getByRole("button", { name: "Add variable" }).click();
  await visible(dialog.getByRole("alert").filter({ hasText: "Did you mean 'SAP_CLIENT'?" }));
  assert.equal(await dialog.getByRole("alert").count(), 1);
  assert.equal(await dialog.getByText("Did you mean", { exact: false }).count(), 1);
  assert.equal(await dialog.locator(".form-error").count(), 0);
  await dialog.getByLabel("Variable name").fill("SAP_CLIENT");
  await dialog.getByRole("button", { name: "Add variable" }).click();
  await gone(dialog);

  // A name the process already has is never the suggested fix, while typing or from the platform.
  await page.getByRole("button", { name: "Add variable" }).click();
  dialog = page.getByRole("dialog", { name: "Add a variable" });
  await dialog.getByLabel("Variable name").fill("sap password");
  await visible(dialog.getByText("'sap password' does not follow the rule."));
  assert.equal(await dialog.getByText("Did you mean").count(), 0);
  await dialog.getByRole("button", { name: "Add variable" }).click();
  await visible(dialog.getByRole("alert").filter({ hasText: "is not a valid variable name" }));
  assert.equal(await dialog.getByRole("alert").count(), 1);
  assert.equal(await dialog.getByText("Did you mean").count(), 0);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await gone(dialog);

  const rows = page.getByRole("region", { name: "Variables" }).getByRole("row");
  await visible(rows.filter({ hasText: "SAP_CLIENT" }).getByText("Plain setting"));
  for (const secret of ["SAP_USER", "SAP_PASSWORD"]) {
    await visible(rows.filter({ hasText: secret }).getByText("value kept on each robot"));
  }
  // A variable never has a value field on the platform.
  assert.equal(await page.getByRole("textbox").count(), 0);
  assert.equal(await page.locator("input[type=password]").count(), 0);
  await screenshot(page, "platform-process");
  assertNoProblems(admin.problems);
});

test("renames a variable, and deletes one only after confirmation", async () => {
  await page.getByRole("button", { name: "Edit SAP_CLIENT" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit SAP_CLIENT" });
  await dialog.getByLabel("Variable name").fill("SAP_CLIENT_ID");
  await visible(dialog.getByText("must be changed to ask for"));
  await dialog.getByRole("button", { name: "Save variable" }).click();
  await gone(dialog);
  await visible(page.getByRole("rowheader", { name: "SAP_CLIENT_ID" }));

  await page.getByRole("button", { name: "Delete SAP_CLIENT_ID" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete SAP_CLIENT_ID?" });
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await gone(confirm);
  await visible(page.getByRole("rowheader", { name: "SAP_CLIENT_ID" }));

  await page.getByRole("button", { name: "Delete SAP_CLIENT_ID" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete variable" }).click();
  await gone(page.getByRole("rowheader", { name: "SAP_CLIENT_ID" }));
  assertNoProblems(admin.problems);
});

test("is usable from the keyboard: a dialog opens with Enter and Escape returns focus", async () => {
  const add = page.getByRole("button", { name: "Add variable" });
  await add.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Add a variable" });
  await visible(dialog);
  const focusedLabel = await page.evaluate(() => document.activeElement?.id ?? "");
  assert.ok(focusedLabel !== "", "focus moved into the dialog");
  await page.keyboard.press("Escape");
  await gone(dialog);
  assert.equal(
    await page.evaluate(() => document.activeElement?.textContent?.trim()),
    "Add variable",
  );
});

test("People: adds a member, changes a role, deactivates and reactivates, resets sessions", async () => {
  await page.getByRole("link", { name: "People" }).click();
  await visible(page.getByRole("heading", { level: 1, name: "People" }));
  await page.getByRole("button", { name: "Add person" }).click();
  const dialog = page.getByRole("dialog", { name: "Add a person" });
  await dialog.getByLabel("Email").fill(ANA.email);
  await dialog.getByLabel("Role").selectOption("member");
  await dialog.getByLabel("First password (optional)").fill(ANA.password);
  await dialog.getByRole("button", { name: "Add person" }).click();
  await gone(dialog);
  const row = page.getByRole("row").filter({ hasText: ANA.email });
  await visible(row);

  const role = page.getByLabel(`Role of ${ANA.email}`);
  await role.selectOption("admin");
  await visible(page.getByText(`${ANA.email} is now an admin.`));
  await role.selectOption("member");
  await visible(page.getByText(`${ANA.email} is now a member.`));

  await page.getByRole("button", { name: `Deactivate ${ANA.email}` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Deactivate" }).click();
  await visible(row.getByText("Deactivated"));
  await page.getByRole("button", { name: `Reactivate ${ANA.email}` }).click();
  await visible(row.getByText("Active", exact));

  await page.getByRole("button", { name: `Sign out ${ANA.email} everywhere` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Reset sessions" }).click();
  await visible(page.getByText(`${ANA.email} is signed out of every browser.`));
  await screenshot(page, "platform-people");
  assertNoProblems(admin.problems);
});

test("People: an invited person shows as Invited until they choose a password from the mail", async () => {
  const bea = "bea@example.com";
  await page.getByRole("link", { name: "People" }).click();
  await page.getByRole("button", { name: "Add person" }).click();
  const dialog = page.getByRole("dialog", { name: "Add a person" });
  await dialog.getByLabel("Email").fill(bea);
  await dialog.getByRole("button", { name: "Add person" }).click();
  await gone(dialog);
  const row = page.getByRole("row").filter({ hasText: bea });
  await visible(row.getByText("Invited", exact));

  // The mail's link lands on a page worded as a welcome, not as a reset.
  const link = new URL(await waitForResetLink(platform.outbox));
  const visitor = await openPage(browser);
  const p = visitor.page;
  p.setDefaultTimeout(10_000);
  await p.goto(`${platform.url}${link.pathname}${link.search}`);
  await visible(p.getByRole("heading", { name: "Welcome to Heptora: choose a password" }));
  assert.equal(await p.getByText("Reset your password").count(), 0);
  assert.equal(new URL(p.url()).searchParams.get("token"), null, "the token left the address bar");
  await screenshot(p, "platform-invitation");
  const chosen = "bea's own long passphrase";
  await p.getByLabel("Password", exact).fill(chosen);
  await p.getByLabel("Repeat password").fill(chosen);
  await p.getByRole("button", { name: "Set password" }).click();
  await visible(p.getByRole("heading", { name: "Password chosen" }));
  assertNoProblems(visitor.problems);
  await p.close();

  await page.reload();
  await visible(row.getByText("Active", exact));
  assert.equal(await row.getByText("Invited").count(), 0);
  assertNoProblems(admin.problems);
});

test("assigns a process to a member", async () => {
  await openProcess("Invoice Processing");
  const assignees = page.getByRole("group", { name: "People assigned to Invoice Processing" });
  await assignees.getByRole("checkbox", { name: new RegExp(ANA.email) }).check();
  await page.getByRole("button", { name: "Save assignees" }).click();
  await visible(page.getByText("Assignees of Invoice Processing saved."));
  await page.reload();
  await visible(page.getByRole("heading", { level: 1, name: "Invoice Processing" }));
  assert.equal(await page.getByRole("checkbox", { name: new RegExp(ANA.email) }).isChecked(), true);
  await screenshot(page, "platform-process-assigned");
});

test("deletes a process only after confirmation", async () => {
  await openProcess("Payroll Export (bank)");
  await page.getByRole("button", { name: "Delete process" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete Payroll Export (bank)?" });
  await visible(confirm.getByText("This cannot be undone."));
  await screenshot(page, "platform-delete-confirmation");
  await confirm.getByRole("button", { name: "Delete process" }).click();
  await visible(page.getByRole("heading", { level: 1, name: "Processes" }));
  await gone(page.getByRole("link", { name: "Payroll Export (bank)" }));
  await visible(page.getByRole("link", { name: "Invoice Processing" }));
});

test("Audit: filters the platform's events by person, process and date", async () => {
  await page.goto(`${platform.url}/audit`); // a fresh load: the address works on its own
  await visible(page.getByRole("heading", { level: 1, name: "Audit log" }));
  const events = page.getByRole("region", { name: "Audit events" }).getByRole("row");
  await visible(events.filter({ hasText: "Invoice Processing" }).first());

  const everything = (await events.allTextContents()).slice(1);
  assert.ok(everything.some((r) => r.includes("Payroll Export")));

  // Events about the process, its variables and its assignees; none about the other process.
  await page.getByLabel("Process").selectOption({ label: "Invoice Processing" });
  const filtered = await eventually(
    page,
    async () => (await events.allTextContents()).slice(1),
    (rows) => rows.length > 0 && rows.every((r) => !r.includes("Payroll Export")),
    "only events about Invoice Processing",
  );
  assert.ok(filtered.some((r) => r.includes("Invoice Processing")));
  assert.ok(filtered.some((r) => r.includes("SAP_PASSWORD") || r.includes("variable")));
  await screenshot(page, "platform-audit");

  await page.getByLabel("Process").selectOption({ label: "Any process" });
  await page.getByLabel("Person").selectOption({ label: ANA.email });
  await visible(page.getByText("No event matches these filters"));
  await page.getByLabel("Person").selectOption({ label: ADMIN.email });
  await visible(events.nth(1));
  const someoneElse = (await events.allTextContents())
    .slice(1)
    .filter((r) => !r.includes(ADMIN.email));
  assert.deepEqual(someoneElse, []);

  // A day in the past holds nothing; clearing the filters brings everything back.
  await page.getByLabel("To", exact).fill("2001-01-01");
  await visible(page.getByText("No event matches these filters"));
  await page.getByRole("button", { name: "Clear filters" }).click();
  await visible(events.nth(1));
  assertNoProblems(admin.problems);
});

test("fits an 800x600 screen: top navigation, no sideways scrolling", async () => {
  await page.setViewportSize(SMALL);
  await openProcess("Invoice Processing");
  await visible(page.getByRole("link", { name: "People" }));
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
  await screenshot(page, "platform-process-800x600");
  await page.getByRole("link", { name: "Audit log" }).click();
  await visible(page.getByRole("region", { name: "Audit events" }));
  await screenshot(page, "platform-audit-800x600");
  assertNoProblems(admin.problems);
});
