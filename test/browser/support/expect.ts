/**
 * The few waiting assertions the browser tests need (playwright-core has no `expect`): each waits
 * for a condition up to a bound, then fails with what it saw.
 */
import assert from "node:assert/strict";
import type { Locator, Page } from "playwright-core";

const TIMEOUT = 10_000;

export async function visible(locator: Locator): Promise<void> {
  await locator.waitFor({ state: "visible", timeout: TIMEOUT });
}

export async function gone(locator: Locator): Promise<void> {
  await locator.waitFor({ state: "detached", timeout: TIMEOUT });
}

/** Waits until `read()` satisfies `ok`, polling with animation frames in the page. */
export async function eventually<T>(
  page: Page,
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  what: string,
): Promise<T> {
  const deadline = Date.now() + TIMEOUT;
  let value = await read();
  while (!ok(value)) {
    if (Date.now() > deadline) assert.fail(`${what}: still ${JSON.stringify(value)}`);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    value = await read();
  }
  return value;
}

/** No console error, page error or CSP violation happened on the page. */
export function assertNoProblems(problems: () => string[]): void {
  assert.deepEqual(problems(), [], "the browser console reported problems");
}
