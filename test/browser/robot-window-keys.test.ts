/**
 * The Secrets window's key protection (issue 14, docs/adr/0078) in a real Chromium: Settings
 * shows the vault's key slots; a person signed in adds a passphrase (typed twice) and a recovery
 * key (shown once in the page, with Copy) and removes the key file, with the rules of the CLI;
 * when the robot is locked the window asks for the passphrase (a wrong one says so) before
 * anything else. Screenshots at 1280x800 and 800x600 go to docs/screenshots/.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { DESKTOP, launchBrowser, openPage, REPO_ROOT, SMALL } from "./support/browser.ts";
import { assertNoProblems, visible } from "./support/expect.ts";
import { type RunningPlatform, setupAdmin, startPlatform } from "./support/platform-server.ts";
import { type RunningRobot, startRobot } from "./support/robot-daemon.ts";

const ADMIN = { email: "admin@example.com", password: "correct horse battery staple" };
const ANA = { email: "ana@example.com", password: "ana's long passphrase 1" };
const PASSPHRASE = "window-passphrase-Quartz-71";
const exact = { exact: true } as const;
const DOCS_SCREENSHOTS = join(REPO_ROOT, "docs", "screenshots");

let platform: RunningPlatform;
let robot: RunningRobot;
let browser: Browser;
let page: Page;
let problems: () => string[];

/** The page at both sizes, into docs/screenshots/<name>.png and <name>-800x600.png. */
async function docsScreenshots(name: string): Promise<void> {
  mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
  for (const [size, suffix] of [
    [DESKTOP, ""],
    [SMALL, "-800x600"],
  ] as const) {
    await page.setViewportSize(size);
    await page.screenshot({
      path: join(DOCS_SCREENSHOTS, `${name}${suffix}.png`),
      animations: "disabled",
      caret: "hide",
    });
  }
  await page.setViewportSize(DESKTOP);
}

before(async () => {
  [platform, browser] = await Promise.all([startPlatform(), launchBrowser()]);
  const admin = await setupAdmin(platform.url, ADMIN);
  const user = await admin.call<{ id: string }>("POST", "/users", { ...ANA, role: "member" });
  const invoice = await admin.call<{ id: string }>("POST", "/processes", {
    name: "Invoice Processing",
  });
  await admin.call("POST", `/processes/${invoice.id}/variables`, {
    name: "SAP_USER",
    secret: true,
  });
  await admin.call("PUT", `/processes/${invoice.id}/assignees`, { userIds: [user.id] });
  robot = await startRobot(platform.url);
  const opened = await openPage(browser, { expectedErrors: [/status of 4(01|23)/] });
  page = opened.page;
  problems = opened.problems;
  page.setDefaultTimeout(15_000);
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

test("Settings shows the key file slot with its warning", async () => {
  await page.getByRole("button", { name: "Settings" }).click();
  const card = page.getByRole("region", { name: "Key slots" });
  await visible(card);
  const slots = card.getByRole("list", { name: "Key slots" });
  await visible(slots.getByText("Key file", exact));
  await visible(page.getByText(/protected by file permissions only/));
  assert.equal(await slots.getByRole("listitem").count(), 1);
  // The only slot: nothing to remove it for.
  assert.equal(await card.getByRole("button", { name: /Remove the key file/ }).count(), 0);
});

test("adds a passphrase typed twice; two different ones are refused", async () => {
  const card = page.getByRole("region", { name: "Key slots" });
  await card.getByRole("button", { name: "Add a passphrase…" }).click();
  await card.getByLabel("New passphrase", exact).fill(PASSPHRASE);
  await card.getByLabel("Passphrase again", exact).fill(`${PASSPHRASE}x`);
  await card.getByRole("button", { name: "Add the passphrase" }).click();
  await visible(card.getByText("The two passphrases differ."));
  await card.getByLabel("Passphrase again", exact).fill(PASSPHRASE);
  await card.getByRole("button", { name: "Add the passphrase" }).click();
  await visible(card.getByRole("list", { name: "Key slots" }).getByText("Passphrase", exact));
  const list = await robot.cli(["vault", "slots", "list"]);
  assert.deepEqual(
    list.stdout
      .trim()
      .split("\n")
      .map((line) => line.split(/\s+/)[1]),
    ["keyfile", "passphrase"],
  );
});

test("adds a recovery key shown once in the page, with Copy", async () => {
  const card = page.getByRole("region", { name: "Key slots" });
  await card.getByRole("button", { name: "Add a recovery key" }).click();
  const shown = card.getByRole("note", { name: "New recovery key" });
  await visible(shown.getByText("Write this recovery key down now"));
  const key = (await shown.locator(".recovery-key").textContent()) ?? "";
  assert.match(key, /^([0-9A-HJKMNP-TV-Z]{7}-){7}[0-9A-HJKMNP-TV-Z]{7}$/);
  await visible(shown.getByRole("button", { name: "Copy" }));
  await docsScreenshots("robot-window-key-slots");
  await shown.getByRole("button", { name: "I wrote it down" }).click();
  await page.reload();
  await visible(page.getByRole("region", { name: "Key slots" }));
  assert.equal(await page.getByText(key).count(), 0, "never shown again");
});

test("removes the key file after confirmation; the file is deleted", async () => {
  const card = page.getByRole("region", { name: "Key slots" });
  await card.getByRole("button", { name: "Remove the key file…" }).click();
  await page.getByRole("button", { name: "Remove the key file", exact: true }).click();
  await visible(page.getByText("The key file slot was removed and the key file deleted."));
  const slots = card.getByRole("list", { name: "Key slots" });
  // The list is fetched again after the message shows: wait for the slot to leave it.
  await slots.getByText("Key file", exact).waitFor({ state: "detached", timeout: 10_000 });
  assert.equal(await slots.getByText("Key file", exact).count(), 0);
  assert.equal(existsSync(join(robot.dataDir, "..", "robot.key")), false);
  const status = JSON.parse((await robot.cli(["vault", "status", "--json"])).stdout);
  assert.deepEqual(
    status.slots.map((s: { kind: string }) => s.kind),
    ["passphrase", "recovery"],
  );
});

test("a locked robot's window asks for the passphrase first", async () => {
  const lock = await robot.cli(["lock"]);
  assert.equal(lock.code, 0, lock.stderr);
  await page.reload();
  await visible(page.getByRole("heading", { level: 1, name: "Unlock this robot" }));
  await docsScreenshots("robot-window-unlock");
  await page.getByLabel("Passphrase", exact).fill("not the passphrase");
  await page.getByRole("button", { name: "Unlock" }).click();
  await visible(page.getByRole("alert").getByText("The passphrase is not correct."));
  await page.getByLabel("Passphrase", exact).fill(PASSPHRASE);
  await page.getByRole("button", { name: "Unlock" }).click();
  // Back where the person was (Settings), the robot still signed in.
  await visible(page.getByRole("heading", { level: 1, name: "Settings" }));
  const status = JSON.parse((await robot.cli(["vault", "status", "--json"])).stdout);
  assert.equal(status.locked, false);
  const audit = JSON.parse(
    (await robot.cli(["audit", "list", "--json", "--type", "unlock"])).stdout,
  );
  assert.ok(audit.entries.some((e: { actor: string }) => e.actor === "window"));
  assertNoProblems(problems);
});
