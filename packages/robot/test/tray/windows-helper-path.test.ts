/**
 * The Windows tray helper runs only from the robot's own install: not from the working directory,
 * not through a link out of the install, not from a place another user can write.
 */
import assert from "node:assert/strict";
import { chmodSync, chownSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, test } from "node:test";
import { HELPER_IN_INSTALL, resolveTrayHelper } from "../../src/tray/windows/helper-path.ts";
import { makeTempDir, type TempDir } from "../support/temp.ts";

let temp: TempDir | undefined;
afterEach(() => temp?.remove());

/** A fake install: dir/robot/tray-windows/dist/heptora-tray.exe, 0755 dirs and a 0755 file. */
function install(): { dir: string; helper: string } {
  temp = makeTempDir("htw-");
  chmodSync(temp.path, 0o755);
  const dir = join(temp.path, "robot");
  const helper = join(dir, HELPER_IN_INSTALL);
  mkdirSync(join(helper, ".."), { recursive: true, mode: 0o755 });
  writeFileSync(helper, "MZ", { mode: 0o755 });
  return { dir, helper };
}

const uid = process.getuid?.() ?? 0;
const refusal = (pattern: RegExp) => (error: Error) =>
  error.name === "TrayUnavailableError" &&
  error.message.startsWith("The Windows tray helper is not used: ") &&
  pattern.test(error.message);

test("the helper inside the install, owned by this user and written by nobody else, is used", () => {
  const { dir, helper } = install();
  assert.equal(resolveTrayHelper({ installDir: dir, cwd: temp?.path, uid }), helper);
});

test("a missing helper says to reinstall, naming the path", () => {
  temp = makeTempDir("htw-");
  assert.throws(
    () => resolveTrayHelper({ installDir: temp?.path ?? "", uid }),
    refusal(/heptora-tray\.exe is missing \(reinstall Heptora/),
  );
});

test("an install given as a relative path is refused, never resolved against the cwd", () => {
  assert.throws(
    () => resolveTrayHelper({ installDir: "robot", uid }),
    refusal(/not an absolute path/),
  );
});

test("a helper in the current working directory is refused", () => {
  const { dir, helper } = install();
  assert.throws(
    () => resolveTrayHelper({ installDir: dir, cwd: join(helper, ".."), uid }),
    refusal(/current working directory/),
  );
});

test("a link from the install to a helper elsewhere is refused", () => {
  const { dir, helper } = install();
  const elsewhere = join(temp?.path ?? "", "planted.exe");
  writeFileSync(elsewhere, "MZ", { mode: 0o755 });
  rmSync(helper);
  symlinkSync(elsewhere, helper);
  assert.throws(
    () => resolveTrayHelper({ installDir: dir, uid }),
    refusal(/outside the robot's install/),
  );
});

test("a helper or directory writable by others, or owned by another user, is refused", () => {
  const { dir, helper } = install();
  chmodSync(helper, 0o777);
  assert.throws(
    () => resolveTrayHelper({ installDir: dir, uid }),
    refusal(/exe is writable by other users/),
  );
  chmodSync(helper, 0o755);
  chmodSync(join(helper, ".."), 0o775);
  assert.throws(
    () => resolveTrayHelper({ installDir: dir, uid }),
    refusal(/directory .*dist is writable by other users/),
  );
  chmodSync(join(helper, ".."), 0o755);
  chmodSync(dir, 0o777); // an ancestor inside the install
  assert.throws(() => resolveTrayHelper({ installDir: dir, uid }), refusal(/robot is writable by/));
  chmodSync(dir, 0o1777); // sticky, like /tmp: others cannot rename what is ours
  assert.equal(resolveTrayHelper({ installDir: dir, uid }), helper);
  chmodSync(dir, 0o755);
  // As another user (or, as root, a file given to another user), ownership decides.
  if (uid === 0) chownSync(helper, 4242, 4242);
  assert.throws(
    () => resolveTrayHelper({ installDir: dir, uid: uid === 0 ? 0 : uid + 1 }),
    refusal(/exe belongs to another user/),
  );
});

test("on Windows the location rules apply and POSIX modes are not read", () => {
  const { dir, helper } = install();
  chmodSync(helper, 0o777);
  assert.equal(resolveTrayHelper({ installDir: dir, platform: "win32", uid }), helper);
  assert.throws(
    () => resolveTrayHelper({ installDir: dir, platform: "win32", cwd: join(helper, ".."), uid }),
    refusal(/current working directory/),
  );
});
