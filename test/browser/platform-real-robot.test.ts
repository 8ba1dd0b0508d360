/**
 * The platform web app with a REAL robot (`heptora start`, `heptora login`, `heptora secrets set`,
 * `heptora sync`): the robot appears on the admin's Robots page with which secrets are set on it
 * and which are missing (never a value); when a second person signs in on it, its page shows the
 * coverage of each person (values are per person, docs/adr/0066 and 0067); and revoking it in
 * the browser signs the robot out.
 */
import assert from "node:assert/strict";
import { hostname } from "node:os";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { launchBrowser, openPage, screenshot } from "./support/browser.ts";
import { assertNoProblems, eventually, visible } from "./support/expect.ts";
import { type RunningPlatform, setupAdmin, startPlatform } from "./support/platform-server.ts";
import { type RunningRobot, startRobot } from "./support/robot-daemon.ts";

const ADMIN = { email: "admin@example.com", password: "correct horse battery staple" };
const ANA = { email: "ana@example.com", password: "ana's long passphrase 1" };
const BOB = { email: "bob@example.com", password: "bob's long passphrase 2" };
const VALUE = "ana-sap-login-7f3a";
const exact = { exact: true } as const;

let platform: RunningPlatform;
let browser: Browser;
let robot: RunningRobot;

before(async () => {
  [platform, browser] = await Promise.all([startPlatform(), launchBrowser()]);
  const admin = await setupAdmin(platform.url, ADMIN);
  const ana = await admin.call<{ id: string }>("POST", "/users", { ...ANA, role: "member" });
  const invoice = await admin.call<{ id: string }>("POST", "/processes", {
    name: "Invoice Processing",
  });
  for (const name of ["SAP_USER", "SAP_PASSWORD"]) {
    await admin.call("POST", `/processes/${invoice.id}/variables`, { name, secret: true });
  }
  const bob = await admin.call<{ id: string }>("POST", "/users", { ...BOB, role: "member" });
  await admin.call("PUT", `/processes/${invoice.id}/assignees`, { userIds: [ana.id, bob.id] });
  robot = await startRobot(platform.url);
});

after(async () => {
  await robot?.stop();
  await browser?.close();
  await platform?.stop();
});

test("a real robot's set and missing secrets show on its page, and revoking it signs it out", async () => {
  const login = await robot.cli(["login", "--email", ANA.email, "--password-stdin"], ANA.password);
  assert.equal(login.code, 0, login.stderr);
  const set = await robot.cli(["secrets", "set", "SAP_USER", "--value-stdin"], VALUE);
  assert.equal(set.code, 0, set.stderr);
  // A sync ends with the status report: names and booleans, never values.
  assert.equal((await robot.cli(["sync"])).code, 0);

  const watched = await openPage(browser);
  const page = watched.page;
  page.setDefaultTimeout(10_000);
  await page.goto(`${platform.url}/`);
  await page.getByLabel("Email", exact).fill(ADMIN.email);
  await page.getByLabel("Password", exact).fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("link", { name: "Robots" }).click();

  const row = page.getByRole("row").filter({ hasText: hostname() });
  await visible(row);
  await visible(row.getByText(ANA.email));
  await visible(row.getByText("Online"));
  await visible(row.getByText("1 of 2"));

  await page.getByRole("link", { name: hostname() }).click();
  const invoice = page.getByRole("region", { name: "Invoice Processing" });
  await visible(
    invoice
      .getByRole("row")
      .filter({ hasText: "SAP_USER" })
      .getByText(/Set since/),
  );
  await visible(invoice.getByRole("row").filter({ hasText: "SAP_PASSWORD" }).getByText("Missing"));
  assert.ok(!(await page.content()).includes(VALUE), "the page never holds a value");

  // bob signs in on the same machine: the same robot, his own (empty) values; ana's stay hers.
  assert.equal((await robot.cli(["logout"])).code, 0);
  const bobLogin = await robot.cli(
    ["login", "--email", BOB.email, "--password-stdin"],
    BOB.password,
  );
  assert.equal(bobLogin.code, 0, bobLogin.stderr);
  assert.equal((await robot.cli(["sync"])).code, 0);
  await page.reload();
  const anaCoverage = page.getByRole("region", { name: ANA.email, exact: true });
  const bobCoverage = page.getByRole("region", { name: BOB.email, exact: true });
  await visible(anaCoverage.getByText("1 of 2 variables set"));
  await visible(
    anaCoverage.getByRole("row").filter({ hasText: "SAP_USER" }).getByText("Set", exact),
  );
  await visible(bobCoverage.getByText("0 of 2 variables set"));
  await visible(bobCoverage.getByRole("row").filter({ hasText: "SAP_USER" }).getByText("Not set"));
  assert.ok(!(await page.content()).includes(VALUE), "the page never holds a value");
  await screenshot(page, "platform-real-robot");

  await page.getByRole("button", { name: "Revoke robot" }).click();
  await page
    .getByRole("dialog", { name: `Revoke ${hostname()}?` })
    .getByRole("button", { name: "Revoke robot" })
    .click();
  await visible(page.getByRole("heading", { level: 1, name: "Robots" }));

  // The robot learns it at its next call to the platform: it is signed out, its values stay.
  await robot.cli(["sync"]);
  await eventually(
    page,
    async () =>
      (JSON.parse((await robot.cli(["status", "--json"])).stdout) as { signedIn: boolean })
        .signedIn,
    (signedIn) => !signedIn,
    "the robot's sign-in after the revocation",
  );
  // Sealed while no one is signed in (docs/adr/0066), still in the vault.
  const sealed = await robot.cli(["secrets", "get", "SAP_USER"]);
  assert.equal(sealed.stderr, "The robot is not signed in. Sign in with `heptora login`.\n");
  assert.equal(robot.storedValue(ANA.email, "SAP_USER"), VALUE);
  assertNoProblems(watched.problems);
  await watched.context.close();
});
