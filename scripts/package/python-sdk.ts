/**
 * The Python SDK as a wheel, `dist/heptora-<v>-py3-none-any.whl` (docs/adr/0081-sdk-packages.md):
 * `pip wheel` over sdk-python/ with its standard build backend, flit-core, already installed
 * (`--no-build-isolation`, `--no-index`: nothing is fetched). The wheel holds the `heptora`
 * package only (no tests, no stand-ins); its version is `heptora.__version__`, which must be the
 * root package.json's.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PackageContext, PackageStep } from "./context.ts";

/** What to install when the build backend is missing, in one line. */
export const PYTHON_BUILD_HINT =
  "Building the Python SDK's wheel needs python3 with pip and flit-core (its build backend): install it with 'python3 -m pip install flit-core'.";

/** The version written in sdk-python/heptora/__init__.py, or undefined when there is none. */
export function pythonSdkVersion(root: string): string | undefined {
  const source = readFileSync(join(root, "sdk-python", "heptora", "__init__.py"), "utf8");
  return /^__version__\s*=\s*"([^"]+)"/m.exec(source)?.[1];
}

/** True when `python3` can build the wheel offline (pip and flit-core importable). */
export function canBuildPythonWheel(): boolean {
  const probe = spawnSync("python3", ["-c", "import pip, flit_core.buildapi"], {
    stdio: "ignore",
  });
  return probe.status === 0;
}

/** Builds the wheel into `context.dist` and returns its path. */
export async function buildPythonWheel(context: PackageContext): Promise<string[]> {
  const version = pythonSdkVersion(context.root);
  if (version !== context.version) {
    throw new Error(
      `sdk-python/heptora/__init__.py has __version__ ${version ?? "(none)"} but the root package.json has ${context.version}: set both to the same version.`,
    );
  }
  if (!canBuildPythonWheel()) throw new Error(PYTHON_BUILD_HINT);
  const out = mkdtempSync(join(tmpdir(), "heptora-wheel-"));
  try {
    const result = spawnSync(
      "python3",
      [
        "-m",
        "pip",
        "wheel",
        "--quiet",
        "--no-deps",
        "--no-build-isolation",
        "--no-index",
        "--disable-pip-version-check",
        "--wheel-dir",
        out,
        join(context.root, "sdk-python"),
      ],
      {
        encoding: "utf8",
        // No __pycache__ left in the sources; the same bytes for the same sources and commit time.
        env: {
          ...process.env,
          PYTHONDONTWRITEBYTECODE: "1",
          SOURCE_DATE_EPOCH: sourceDate(context),
        },
      },
    );
    if (result.status !== 0) {
      throw new Error(
        `pip wheel failed for sdk-python: ${`${result.stdout}${result.stderr}`.trim()}`,
      );
    }
    const expected = `heptora-${context.version}-py3-none-any.whl`;
    const built = readdirSync(out);
    if (!built.includes(expected)) {
      throw new Error(
        `pip wheel wrote ${built.join(", ") || "nothing"} where ${expected} was expected.`,
      );
    }
    const target = join(context.dist, expected);
    copyFileSync(join(out, expected), target);
    context.log(`  ${expected}: the heptora package, Python 3.9+, standard library only`);
    return [target];
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The last commit's time (reproducible archives), or now outside a git checkout. */
function sourceDate(context: PackageContext): string {
  const git = spawnSync("git", ["log", "-1", "--format=%ct"], {
    cwd: context.root,
    encoding: "utf8",
  });
  const seconds = git.status === 0 ? git.stdout.trim() : "";
  return /^\d+$/.test(seconds) ? seconds : String(Math.floor(Date.now() / 1000));
}

export const pythonSdkStep: PackageStep = { name: "python-sdk", run: buildPythonWheel };

/**
 * For the test command: installs flit-core with pip when it is missing and we run as root (as CI
 * does), else exits with the one line saying what to install.
 */
export function ensurePythonBuildBackend(forWhat: string): void {
  if (canBuildPythonWheel()) return;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (isRoot) {
    console.error(`Installing flit-core (the Python SDK's build backend) for ${forWhat}...`);
    spawnSync(
      "python3",
      ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "flit-core"],
      { stdio: "inherit" },
    );
    if (canBuildPythonWheel()) return;
  }
  console.error(`${forWhat}: ${PYTHON_BUILD_HINT}`);
  process.exit(1);
}
