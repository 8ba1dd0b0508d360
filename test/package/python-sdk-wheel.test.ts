/**
 * The Python SDK as people install it (issue 15): the wheel that `npm run package` builds (its
 * step, run here into a temp folder), installed with `pip install --no-index` into a fresh
 * virtualenv outside the repository, used by automations in a fresh folder outside the
 * repository under `heptora run`, against a real robot daemon signed in to a real platform: a
 * plain Python script and a Robot Framework task (`Library  heptora.robot`, the masking listener
 * `heptora run` adds), with Robot Framework 7.4.2 from the offline wheel (../shared/wheels, as
 * test/support/robot-framework.ts finds it).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { buildPythonWheel, pythonSdkVersion } from "../../scripts/package/python-sdk.ts";
import { RF_WHEEL, resultTexts, wheelsDir } from "../support/robot-framework.ts";
import {
  type RobotAndPlatform,
  sha256,
  startRobotAndPlatform,
} from "./support/robot-and-platform.ts";

const root = join(import.meta.dirname, "..", "..");
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  version: string;
};
const PROCESS = "Invoice Processing";
const USER = "ana.wheel-user-5521";
const PASSWORD = `Wheel-Pässwörd-'rf'-"8c1f"`;

function run(command: string, args: string[], cwd?: string): { code: number | null; out: string } {
  const result = spawnSync(command, args, { encoding: "utf8", ...(cwd ? { cwd } : {}) });
  if (result.error) throw result.error;
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

describe("the Python SDK's wheel, installed outside the repository", () => {
  let robot: RobotAndPlatform;
  let wheel: string;
  let python: string;
  let sitePackages: string;

  before(async () => {
    robot = await startRobotAndPlatform(PROCESS, { SAP_USER: USER, SAP_PASSWORD: PASSWORD });
    const dist = join(robot.temp.path, "dist");
    mkdirSync(dist);
    [wheel = ""] = await buildPythonWheel({ root, dist, version, log: () => {} });
    // A fresh virtualenv; pip (the machine's, pointed at it with --python) installs into it:
    // the same install, without the seconds ensurepip spends copying pip into every new venv.
    const venv = join(robot.temp.path, "venv");
    const made = run("python3", ["-m", "venv", "--without-pip", venv]);
    assert.equal(made.code, 0, `python3 -m venv: ${made.out}`);
    python = join(venv, "bin", "python");
    const pip = [
      "-m",
      "pip",
      "--python",
      python,
      "install",
      "--quiet",
      "--disable-pip-version-check",
    ];
    const wheels = wheelsDir(root);
    const rfWheel = wheels === undefined ? [] : [join(wheels, RF_WHEEL)];
    const offline = run("python3", [...pip, "--no-index", wheel, ...rfWheel]);
    assert.equal(offline.code, 0, `pip install --no-index ${wheel}: ${offline.out}`);
    if (wheels === undefined) {
      const rf = run("python3", [...pip, "robotframework==7.4.2"]);
      assert.equal(rf.code, 0, `installing Robot Framework 7.4.2: ${rf.out}`);
    }
    sitePackages = run(python, [
      "-c",
      "import sysconfig; print(sysconfig.get_path('purelib'))",
    ]).out.trim();
  });
  after(async () => {
    await robot?.stop();
  });

  test("the wheel is named for the root package.json's version, as is heptora.__version__", () => {
    assert.equal(pythonSdkVersion(root), version);
    assert.ok(wheel.endsWith(`/heptora-${version}-py3-none-any.whl`), wheel);
  });

  test("without flit-core, npm run package says in one line what to install and fails", () => {
    // A python3 with no build backend (a bare virtualenv) first on the PATH.
    const bare = join(robot.temp.path, "bare-python");
    const made = run("python3", ["-m", "venv", "--without-pip", bare]);
    assert.equal(made.code, 0, made.out);
    const result = spawnSync(
      process.execPath,
      [join(root, "scripts", "package.ts"), "python-sdk"],
      {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, PATH: `${join(bare, "bin")}:${process.env.PATH}` },
      },
    );
    assert.equal(result.status, 1);
    assert.equal(
      result.stderr,
      "Packaging python-sdk...\npython-sdk: Building the Python SDK's wheel needs python3 with pip and flit-core (its build backend): install it with 'python3 -m pip install flit-core'.\n",
    );
  });

  test("a version that is not the root package.json's stops the build, naming both", async () => {
    const dist = join(robot.temp.path, "other-dist");
    mkdirSync(dist);
    await assert.rejects(buildPythonWheel({ root, dist, version: "9.8.7", log: () => {} }), {
      message: `sdk-python/heptora/__init__.py has __version__ ${version} but the root package.json has 9.8.7: set both to the same version.`,
    });
  });

  test("the wheel holds the heptora package with py.typed and its metadata, no tests or stand-ins", () => {
    const listing = run("python3", [
      "-c",
      "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print('\\n'.join(sorted(z.namelist()))); print('=== METADATA'); print(z.read(f'heptora-{sys.argv[2]}.dist-info/METADATA').decode())",
      wheel,
      version,
    ]);
    assert.equal(listing.code, 0, listing.out);
    const [names = "", metadata = ""] = listing.out.split("=== METADATA\n");
    assert.deepEqual(names.trim().split("\n"), [
      `heptora-${version}.dist-info/METADATA`,
      `heptora-${version}.dist-info/RECORD`,
      `heptora-${version}.dist-info/WHEEL`,
      "heptora/__init__.py",
      "heptora/_vault_secrets.py",
      "heptora/py.typed",
      "heptora/robocorp_vault.py",
      "heptora/robot.py",
      "heptora/rpa.py",
    ]);
    assert.match(metadata, new RegExp(`^Version: ${version.replaceAll(".", "\\.")}$`, "m"));
    assert.match(metadata, /^Requires-Python: >=3\.9$/m);
    assert.doesNotMatch(metadata, /^Requires-Dist:/m, "standard library only: no dependencies");
    assert.match(metadata, /^License-Expression: LicenseRef-Proprietary$/m);
    assert.match(metadata, /^Classifier: Typing :: Typed$/m);
    assert.match(metadata, /^Classifier: Private :: Do Not Upload$/m);
    // The README is the long description.
    assert.match(metadata, /^# heptora \(Python SDK\)$/m);
  });

  test("the installed package compiles and its public API carries type hints", () => {
    const compiled = run(python, ["-m", "compileall", "-q", "-f", join(sitePackages, "heptora")]);
    assert.equal(compiled.code, 0, compiled.out);
    // Every public function and method (and __init__) of every module: each parameter but
    // self/cls annotated, and the return. By reading the sources (rpa.py needs RPA Framework).
    const checked = run(python, [
      "-c",
      `
import ast, pathlib, sys
missing, seen = [], 0
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.py")):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    scopes = [(None, tree.body)] + [(n.name, n.body) for n in tree.body if isinstance(n, ast.ClassDef) and not n.name.startswith("_")]
    for owner, body in scopes:
        for node in body:
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            if node.name.startswith("_") and node.name != "__init__":
                continue
            seen += 1
            where = f"{path.name}:{owner + '.' if owner else ''}{node.name}"
            args = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
            for i, arg in enumerate(args):
                if owner and i == 0 and arg.arg in ("self", "cls"):
                    continue
                if arg.annotation is None:
                    missing.append(f"{where}({arg.arg})")
            for arg in (node.args.vararg, node.args.kwarg):
                if arg is not None and arg.annotation is None:
                    missing.append(f"{where}(*{arg.arg})")
            if node.returns is None:
                missing.append(f"{where} -> ?")
print(seen)
print("\\n".join(missing))
`,
      join(sitePackages, "heptora"),
    ]);
    assert.equal(checked.code, 0, checked.out);
    const [seen = "0", ...missing] = checked.out.trim().split("\n");
    assert.ok(Number(seen) >= 20, `the check found the public API (${seen} functions)`);
    assert.deepEqual(missing, [], "public functions without type hints");
  });

  test("a script in a fresh folder imports the installed heptora and gets the value, masked in the output", async () => {
    const folder = join(robot.temp.path, "automation");
    mkdirSync(folder);
    writeFileSync(
      join(folder, "main.py"),
      [
        "import hashlib",
        "import heptora",
        "value = heptora.get_secret('SAP_PASSWORD')",
        "print('value', value)",
        "print('digest', hashlib.sha256(value.encode('utf-8')).hexdigest())",
        "print('from', heptora.__file__)",
        "print('version', heptora.__version__)",
      ].join("\n"),
    );
    const result = await robot.cli(["run", PROCESS, "--", python, "main.py"], { cwd: folder });
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split("\n");
    assert.equal(lines[0], "value ***");
    assert.equal(lines[1], `digest ${sha256(PASSWORD)}`);
    assert.equal(lines[2], `from ${join(sitePackages, "heptora", "__init__.py")}`);
    assert.equal(lines[3], `version ${version}`);
    assert.ok(!`${result.stdout}${result.stderr}`.includes(PASSWORD));
  });

  test("python -c 'import heptora; print(heptora.get_secret(...))' prints the value masked", async () => {
    const folder = join(robot.temp.path, "one-liner");
    mkdirSync(folder);
    const result = await robot.cli(
      ["run", PROCESS, "--", python, "-c", "import heptora; print(heptora.get_secret('SAP_USER'))"],
      { cwd: folder },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, "***\n");
  });

  test("Robot Framework's Library heptora.robot from the wheel reads the value; the run's files mask it", async () => {
    const folder = join(robot.temp.path, "rf-automation");
    mkdirSync(folder);
    writeFileSync(
      join(folder, "tasks.robot"),
      `*** Settings ***
Library    heptora.robot

*** Tasks ***
Sign in
    \${pw}=    Get Secret    SAP_PASSWORD
    \${digest}=    Evaluate    hashlib.sha256($pw.value.encode("utf-8")).hexdigest()    modules=hashlib
    Should Be Equal    \${digest}    ${sha256(PASSWORD)}
    \${user}=    Evaluate    heptora.get_secret("SAP_USER")    modules=heptora
    Log    Signing in as \${user} with \${pw.value}
    Log To Console    console: \${user}
`,
    );
    const result = await robot.cli(
      ["run", PROCESS, "--", python, "-m", "robot", "--outputdir", "out", "tasks.robot"],
      { cwd: folder },
    );
    assert.equal(result.code, 0, `${result.stdout}${result.stderr}`);
    assert.match(result.stdout, / console: \*\*\*$/m);
    assert.match(result.stdout, /1 task, 1 passed, 0 failed/);
    const files = resultTexts(join(folder, "out"));
    assert.deepEqual(
      files.map((f) => f.file),
      ["log.html", "output.xml", "report.html"],
    );
    const output = files.find((f) => f.file === "output.xml")?.text ?? "";
    assert.match(output, /Signing in as \*\*\* with \*\*\*/);
    for (const file of files) {
      for (const value of [USER, PASSWORD]) {
        assert.ok(!file.text.includes(value), `${file.file} holds a value`);
      }
    }
    for (const value of [USER, PASSWORD]) {
      assert.ok(!`${result.stdout}${result.stderr}`.includes(value), "the console holds a value");
    }
  });
});
