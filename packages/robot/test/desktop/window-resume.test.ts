/** The Secrets window across a restart: re-opened only while its session would still be alive. */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { noteOpenWindow, RESUME_FILE, takeResume } from "../../src/desktop/window-resume.ts";
import { makeTempDir } from "../support/temp.ts";

const temp = makeTempDir();
after(() => temp.remove());
const IDLE = 15 * 60_000;

test("a window in use when the robot stopped opens again at the next start, once", () => {
  mkdirSync(temp.dataDir, { recursive: true });
  noteOpenWindow(temp.dataDir, 1_000_000);
  const file = join(temp.dataDir, RESUME_FILE);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.deepEqual(JSON.parse(readFileSync(file, "utf8")), { lastActivityAt: 1_000_000 });
  assert.equal(takeResume(temp.dataDir, 1_000_000 + 60_000, IDLE), true);
  assert.equal(existsSync(file), false);
  assert.equal(takeResume(temp.dataDir, 1_000_000 + 60_000, IDLE), false, "only once");
});

test("a window idle past the timeout, or no live session, does not come back", () => {
  noteOpenWindow(temp.dataDir, 1_000_000);
  assert.equal(takeResume(temp.dataDir, 1_000_000 + IDLE, IDLE), false);
  noteOpenWindow(temp.dataDir, undefined);
  assert.equal(existsSync(join(temp.dataDir, RESUME_FILE)), false);
  writeFileSync(join(temp.dataDir, RESUME_FILE), "not json");
  assert.equal(takeResume(temp.dataDir, 1, IDLE), false);
  writeFileSync(join(temp.dataDir, RESUME_FILE), JSON.stringify({ lastActivityAt: 5000 }));
  assert.equal(takeResume(temp.dataDir, 1000, IDLE), false, "a note from the future is ignored");
});
