/**
 * Runs the Python SDK's unittest suite as part of `npm test`. A machine without python3 fails
 * here with one line saying what to install: the Python SDK is a shipped part, not an option.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";

const root = process.env.HEPTORA_REPO_ROOT ?? join(import.meta.dirname, "..", "..", "..");

test("the Python SDK's unittest suite passes", async () => {
  const child = spawn(
    "python3",
    ["-m", "unittest", "discover", "-s", "sdk-python/tests", "-t", "sdk-python", "-v"],
    { cwd: root, env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" } },
  );
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "ENOENT"
          ? new Error(
              "python3 is not installed: install Python 3.9 or later to test the Python SDK.",
            )
          : error,
      ),
    );
    child.on("close", (status) => resolve(status));
  });
  assert.equal(code, 0, `python3 -m unittest failed:\n${output}`);
  assert.match(output, /^OK/m);
});
