/**
 * The platform web app in Chromium (issue 12, docs/adr/0071): repeated failed and throttled
 * sign-ins from one address show in the audit log as one row each with how many times they
 * happened, and the owner of the guessed account still signs in.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, openPage, screenshot, type WatchedPage } from "./support/browser.ts";
import { assertNoProblems, visible } from "./support/expect.ts";
import {
  apiCall,
  type RunningPlatform,
  setupAdmin,
  startPlatform,
} from "./support/platform-server.ts";

const ADMIN = { email: "admin@example.com", password: "correct horse battery staple" };
const TARGET = { email: "ana@example.com", password: "ana's long passphrase 1" };
const exact = { exact: true } as const;

let platform: RunningPlatform;
let browser: Browser;
let watched: WatchedPage;
let page: Page;

before(async () => {
  [platform, browser] = await Promise.all([startPlatform(), launchBrowser()]);
  const admin = await setupAdmin(platform.url, ADMIN);
  await admin.call("POST", "/users", { ...TARGET, role: "member" });
  watched = await openPage(browser);
  page = watched.page;
  page.setDefaultTimeout(10_000);
});

after(async () => {
  await browser?.close();
  await platform?.stop();
});

test("the audit log shows 12 bad sign-ins as two rows with their counts", async () => {
  const answers: number[] = [];
  for (let i = 0; i < 12; i++) {
    const answer = await apiCall(platform.url, "POST", "/auth/login", {
      email: TARGET.email,
      password: `guess number ${i}`,
    });
    answers.push(answer.status);
  }
  assert.deepEqual(answers, [401, 401, 401, 401, 401, 429, 429, 429, 429, 429, 429, 429]);

  await page.goto(`${platform.url}/`);
  await page.getByLabel("Email", exact).fill(ADMIN.email);
  await page.getByLabel("Password", exact).fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await visible(page.getByRole("heading", { level: 1, name: "Processes" }));
  await page.getByRole("link", { name: "Audit log", exact: true }).click();
  await visible(page.getByRole("heading", { level: 1, name: "Audit log" }));

  const rows = page.getByRole("region", { name: "Audit events" }).getByRole("row");
  await visible(rows.filter({ hasText: "5 times" }).filter({ hasText: TARGET.email }));
  await visible(rows.filter({ hasText: "7 times" }).filter({ hasText: "too_many_attempts" }));
  await screenshot(page, "platform-audit-counts");
  assertNoProblems(watched.problems);
});
