/**
 * Admin API tokens in the platform web app, in Chromium against the real server (issue 12): an
 * admin creates a read-only token (shown once, copied), a plain HTTP client uses it for a read
 * and is refused a write, the list shows its last use, the admin revokes it and it is refused.
 * The token never reaches the platform's database file.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, openPage, SMALL, screenshot, type WatchedPage } from "./support/browser.ts";
import { assertNoProblems, gone, visible } from "./support/expect.ts";
import { type RunningPlatform, setupAdmin, startPlatform } from "./support/platform-server.ts";

const ADMIN = { email: "admin@example.com", password: "correct horse battery staple" };
const ANA = { email: "ana@example.com", password: "ana's long passphrase 1" };
const exact = { exact: true } as const;

let platform: RunningPlatform;
let browser: Browser;
let admin: WatchedPage;
let page: Page;
let token = "";

/** A script's HTTP client: the bearer token and nothing else (no cookie, Origin or CSRF). */
async function script(method: string, path: string, body?: unknown) {
  const response = await fetch(`${platform.url}/api/v1${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

before(async () => {
  [platform, browser] = await Promise.all([startPlatform(), launchBrowser()]);
  const api = await setupAdmin(platform.url, ADMIN);
  await api.call("POST", "/processes", { name: "Invoice Processing" });
  await api.call("POST", "/users", { ...ANA, role: "member" });
  admin = await openPage(browser);
  page = admin.page;
  page.setDefaultTimeout(10_000);
  await admin.context.grantPermissions(["clipboard-read", "clipboard-write"], {
    origin: platform.url,
  });
  await page.goto(`${platform.url}/`);
  await page.getByLabel("Email", exact).fill(ADMIN.email);
  await page.getByLabel("Password", exact).fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await visible(page.getByRole("heading", { level: 1, name: "Processes" }));
});

after(async () => {
  await browser?.close();
  await platform?.stop();
});

test("an admin creates a read-only token, shown once with a copy button", async () => {
  await page.getByRole("link", { name: "API tokens" }).click();
  await visible(page.getByRole("heading", { level: 1, name: "API tokens" }));
  await visible(page.getByText("No API tokens yet"));

  await page.getByRole("button", { name: "Create token" }).click();
  const form = page.getByRole("dialog", { name: "Create an API token" });
  await form.getByRole("button", { name: "Create token" }).click();
  await visible(form.getByText("Enter a name for the token"));
  await form.getByLabel("Name").fill("Nightly report");
  await visible(form.getByRole("radio", { name: /Read only/ }));
  assert.equal(await form.getByRole("radio", { name: /Read only/ }).isChecked(), true);
  await screenshot(page, "platform-tokens-create");
  await form.getByRole("button", { name: "Create token" }).click();

  const shown = page.getByRole("dialog", { name: "Token “Nightly report” created" });
  await visible(shown);
  await visible(shown.getByText("it will not be shown again"));
  token = await shown.getByLabel("Your new token").inputValue();
  assert.match(token, /^hpt_[A-Za-z0-9_-]{43}$/);
  await shown.getByRole("button", { name: "Copy", exact: true }).click();
  await visible(shown.getByRole("button", { name: "Copied" }));
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), token);
  await screenshot(page, "platform-tokens-created");
  await shown.getByRole("button", { name: "Done" }).click();
  await gone(shown);

  const row = page.getByRole("row").filter({ hasText: "Nightly report" });
  await visible(row.getByText("Read only"));
  await visible(row.getByText("Never"));
  // Shown once: nothing on the page holds it any more, and nothing was kept in web storage.
  assert.ok(!(await page.content()).includes(token));
  const storage = await page.evaluate(() => localStorage.length + sessionStorage.length);
  assert.equal(storage, 0);
  assertNoProblems(admin.problems);
});

test("a plain HTTP client reads with the token, is refused a write, and the list shows the use", async () => {
  const read = await script("GET", "/processes");
  assert.equal(read.status, 200);
  assert.deepEqual(
    read.body.processes.map((p: { name: string }) => p.name),
    ["Invoice Processing"],
  );
  const write = await script("POST", "/processes", { name: "Sneaky" });
  assert.equal(write.status, 403);
  assert.equal(write.body.error.code, "api_token_read_only");
  assert.equal((await script("GET", "/processes")).body.processes.length, 1, "nothing created");

  await page.reload();
  const row = page.getByRole("row").filter({ hasText: "Nightly report" });
  await visible(row);
  await gone(row.getByText("Never"));
  await screenshot(page, "platform-tokens");
  assertNoProblems(admin.problems);
});

test("the token is stored only as its hash in the platform's database", async () => {
  assert.match(token, /^hpt_/, "the first test created the token");
  const secretPart = Buffer.from(token.slice("hpt_".length));
  for (const file of readdirSync(platform.dir).filter((f) => f.startsWith("p.db"))) {
    const bytes = readFileSync(join(platform.dir, file));
    assert.equal(bytes.indexOf(secretPart), -1, `the token is in ${file}`);
  }
});

test("fits an 800x600 screen", async () => {
  await page.setViewportSize(SMALL);
  await page.reload();
  await visible(page.getByRole("row").filter({ hasText: "Nightly report" }));
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
  await screenshot(page, "platform-tokens-800x600");
  await page.getByRole("button", { name: "Create token" }).click();
  const form = page.getByRole("dialog", { name: "Create an API token" });
  await visible(form);
  await screenshot(page, "platform-tokens-create-800x600");
  await form.getByRole("button", { name: "Cancel" }).click();
  await gone(form);
  assertNoProblems(admin.problems);
});

test("revoking asks first, then the token is refused at once", async () => {
  const row = page.getByRole("row").filter({ hasText: "Nightly report" });
  await row.getByRole("button", { name: "Revoke Nightly report" }).click();
  const confirm = page.getByRole("dialog", { name: "Revoke “Nightly report”?" });
  await visible(confirm.getByText("cannot be undone"));
  await screenshot(page, "platform-tokens-revoke-800x600");
  await confirm.getByRole("button", { name: "Revoke token" }).click();
  await gone(confirm);
  await gone(row);
  await visible(page.getByText("No API tokens yet"));

  const refused = await script("GET", "/processes");
  assert.equal(refused.status, 401);
  assert.equal(refused.body.error.code, "invalid_api_token");
  assert.equal(refused.body.error.details.reason, "revoked");
  assertNoProblems(admin.problems);
});

test("a member sees no API tokens section, and the page says why", async () => {
  const member = await openPage(browser);
  const p = member.page;
  p.setDefaultTimeout(10_000);
  await p.goto(`${platform.url}/`);
  await p.getByLabel("Email", exact).fill(ANA.email);
  await p.getByLabel("Password", exact).fill(ANA.password);
  await p.getByRole("button", { name: "Sign in" }).click();
  await visible(p.getByRole("heading", { level: 1, name: "Processes" }));
  assert.equal(await p.getByRole("link", { name: "API tokens" }).count(), 0);
  await p.goto(`${platform.url}/tokens`);
  await visible(p.getByText("Insufficient permissions"));
  await visible(p.getByText("Your account cannot manage API tokens."));
  assertNoProblems(member.problems);
  await member.context.close();
});
