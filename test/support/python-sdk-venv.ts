/**
 * The Python SDK as people install it (issue 15), for the tests that run automations with it
 * (test/package/python-sdk-wheel.test.ts, test/install): the wheel built by `npm run package`'s
 * own step (scripts/package/python-sdk.ts) into `dir/dist`, installed with `pip install
 * --no-index` into a fresh virtualenv `dir/venv` outside the repository, optionally with Robot
 * Framework 7.4.2 (the offline wheel from ../shared/wheels when there, as robot-framework.ts finds
 * it, else from the index).
 *
 * @example
 * const sdk = await installPythonSdk(join(temp.path, "python"), { robotFramework: false });
 * spawn(sdk.python, ["main.py"]); // imports heptora from sdk.sitePackages
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildPythonWheel } from "../../scripts/package/python-sdk.ts";
import { RF_WHEEL, wheelsDir } from "./robot-framework.ts";

const ROOT = join(import.meta.dirname, "..", "..");

export interface InstalledPythonSdk {
  /** The wheel in `dir/dist`. */
  wheel: string;
  /** The virtualenv's python. */
  python: string;
  /** Where pip put the heptora package (`<sitePackages>/heptora`). */
  sitePackages: string;
}

/** Runs a program to completion: its exit code and its stdout and stderr together. */
export function runToEnd(
  command: string,
  args: readonly string[],
  cwd?: string,
): { code: number | null; out: string } {
  const result = spawnSync(command, args, { encoding: "utf8", ...(cwd ? { cwd } : {}) });
  if (result.error) throw result.error;
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

/** Builds the wheel and installs it (and Robot Framework when asked) into a fresh virtualenv. */
export async function installPythonSdk(
  dir: string,
  options: { robotFramework: boolean },
): Promise<InstalledPythonSdk> {
  const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
    version: string;
  };
  const dist = join(dir, "dist");
  mkdirSync(dist, { recursive: true });
  const [wheel = ""] = await buildPythonWheel({ root: ROOT, dist, version, log: () => {} });
  // A fresh virtualenv; pip (the machine's, pointed at it with --python) installs into it:
  // the same install, without the seconds ensurepip spends copying pip into every new venv.
  const venv = join(dir, "venv");
  const made = runToEnd("python3", ["-m", "venv", "--without-pip", venv]);
  assert.equal(made.code, 0, `python3 -m venv: ${made.out}`);
  const python = join(venv, "bin", "python");
  const pip = [
    "-m",
    "pip",
    "--python",
    python,
    "install",
    "--quiet",
    "--disable-pip-version-check",
  ];
  const wheels = options.robotFramework ? wheelsDir(ROOT) : undefined;
  const rfWheel = wheels === undefined ? [] : [join(wheels, RF_WHEEL)];
  const offline = runToEnd("python3", [...pip, "--no-index", wheel, ...rfWheel]);
  assert.equal(offline.code, 0, `pip install --no-index ${wheel}: ${offline.out}`);
  if (options.robotFramework && wheels === undefined) {
    const rf = runToEnd("python3", [...pip, "robotframework==7.4.2"]);
    assert.equal(rf.code, 0, `installing Robot Framework 7.4.2: ${rf.out}`);
  }
  const sitePackages = runToEnd(python, [
    "-c",
    "import sysconfig; print(sysconfig.get_path('purelib'))",
  ]).out.trim();
  return { wheel, python, sitePackages };
}
