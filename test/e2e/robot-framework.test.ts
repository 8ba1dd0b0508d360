/**
 * Robot Framework and RPA Framework under `heptora run`, end to end: a spawned daemon signed in
 * to the fake platform, real Robot Framework 7.4.2 in a virtualenv (from the offline wheel), the
 * Python SDK on PYTHONPATH. The task files are what a user writes today, unchanged; every result
 * file (output.xml, log.html, report.html with their string tables decoded) and the console are
 * scanned for the values in every form RF or a leak would write them (docs/adr/0076).
 * RPA Framework and robocorp.vault cannot be installed here: their stand-ins in
 * sdk-python/tests/stand_ins have the same interface.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  cleanEnv,
  heptora,
  type RunningDaemon,
  startDaemon,
} from "../../packages/robot/test/support/cli.ts";
import {
  type FakePlatform,
  startFakePlatform,
} from "../../packages/robot/test/support/fake-platform.ts";
import { findLeaks } from "../../packages/robot/test/support/leaks.ts";
import { ANA } from "../../packages/robot/test/support/service.ts";
import { makeTempDir, type TempDir } from "../../packages/robot/test/support/temp.ts";
import { resultTexts, robotFrameworkPython } from "../support/robot-framework.ts";

const root = join(import.meta.dirname, "..", "..");
const PROCESS = "Invoice Processing";
// A quote, a backslash, double quotes and non-ASCII: RF writes such a value escaped at TRACE
// (Python repr), in HTML (log.html) and in XML (output.xml).
const USER = "ana-sap-user-4711";
const PASSWORD = `Pa'ss\\wörd-"rf"-9131`;
// A multi-line value: RF may log it whole or line by line.
const CERT_LINES = [
  "-----BEGIN TEST KEY-----",
  "MIIBheptoraSecondLine42",
  "-----END TEST KEY-----",
];
const CERT = CERT_LINES.join("\n");
const VALUES = [USER, PASSWORD, CERT, ...CERT_LINES];

/** The forms of `value` that RF's files could hold: escaped as RF escapes, and leakForms'. */
function rfForms(value: string): string[] {
  const python = (quote: string) => value.replaceAll("\\", "\\\\").replaceAll(quote, `\\${quote}`);
  const bases = [value, JSON.stringify(value).slice(1, -1), python("'"), python('"')];
  const html = (text: string) =>
    text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
  const forms = new Set<string>();
  for (const base of bases) {
    forms.add(base);
    forms.add(html(base));
    forms.add(html(base).replaceAll('"', "&quot;"));
    forms.add(html(base).replaceAll('"', "&quot;").replaceAll("'", "&#x27;"));
    forms.add(html(base).replaceAll('"', "&quot;").replaceAll("'", "&#39;"));
  }
  return [...forms];
}

function leaksIn(text: string): string[] {
  const found = findLeaks(Buffer.from(text, "utf8"), VALUES);
  for (const value of VALUES) {
    for (const form of rfForms(value)) {
      if (text.includes(form)) found.push(`${value.slice(0, 3)}... as ${form.slice(0, 12)}...`);
    }
  }
  return found;
}

const NAIVE_TASK = `*** Tasks ***
Read through the SDK as people do today
    \${pw}=    Evaluate    heptora.get_secret("SAP_PASSWORD")    modules=heptora
    \${user}=    Evaluate    heptora.get_secret("SAP_USER")    modules=heptora
    Log    \${pw}
    Log    Signing in as \${user} with \${pw}, in a message long enough for Robot Framework to compress it in the string table of log.html: \${pw} \${user} \${pw} \${user} \${pw}
    Log    \${pw}    level=WARN
    Run Keyword    Log    \${user}
    VAR    \${copy}    \${pw}
    FOR    \${item}    IN    \${user}    \${pw}
        Log    \${item}
    END
    Set Tags    tag-\${user}
    Set Suite Metadata    account    \${user}
    TRY
        Fail    failed with \${pw}
    EXCEPT    AS    \${error}
        Log    \${error}
    END
    \${cert}=    Evaluate    heptora.get_secret("CERT_PEM")    modules=heptora
    @{lines}=    Evaluate    $cert.splitlines()
    Log    \${lines}[1]
    Log    \${cert}
    Should Be Equal    \${pw}    x
`;

const LIBRARY_TASK = `*** Settings ***
Library    heptora.robot

*** Tasks ***
Read with the library keyword
    \${pw}=    Get Secret    SAP_PASSWORD
    Log    \${pw}
    Should Be Equal    \${pw.value}    x
`;

describe("Robot Framework and RPA Framework under heptora run", () => {
  let temp: TempDir;
  let platform: FakePlatform;
  let daemon: RunningDaemon;
  let env: NodeJS.ProcessEnv;
  let python: string;
  const cli = (args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}) =>
    heptora(["--data-dir", temp.dataDir, ...args], {
      env: options.env ?? env,
      cwd: temp.path,
      ...(options.input === undefined ? {} : { input: options.input }),
    });

  before(async () => {
    python = robotFrameworkPython(root);
    temp = makeTempDir();
    platform = await startFakePlatform();
    platform.addUser(ANA.email, ANA.password);
    platform.addProcess({
      name: PROCESS,
      variables: [{ name: "SAP_USER" }, { name: "SAP_PASSWORD" }, { name: "CERT_PEM" }],
      assignees: [ANA.email],
    });
    env = cleanEnv({
      HEPTORA_KEY_FILE: temp.keyFile,
      HEPTORA_PLATFORM_URL: platform.url,
      PYTHONPATH: [join(root, "sdk-python"), join(root, "sdk-python", "tests", "stand_ins")].join(
        ":",
      ),
      PYTHONDONTWRITEBYTECODE: "1",
      ROBOT_OPTIONS: undefined,
      RPA_SECRET_MANAGER: undefined,
      RC_VAULT_SECRET_MANAGER: undefined,
    });
    delete env.ROBOT_OPTIONS;
    delete env.RPA_SECRET_MANAGER;
    delete env.RC_VAULT_SECRET_MANAGER;
    daemon = await startDaemon({ dataDir: temp.dataDir, env });
    const login = await cli(["login", "--email", ANA.email, "--password-stdin"], {
      input: `${ANA.password}\n`,
    });
    assert.equal(login.code, 0, login.stderr);
    for (const [name, value] of [
      ["SAP_USER", USER],
      ["SAP_PASSWORD", PASSWORD],
      ["CERT_PEM", CERT],
    ] as const) {
      const set = await cli(["secrets", "set", name, "--value-stdin"], { input: value });
      assert.equal(set.code, 0, set.stderr);
    }
  });
  after(async () => {
    await daemon?.stop();
    await platform?.close();
    temp?.remove();
  });

  /** Runs `task` with `python -m robot` through heptora run; its result files, decoded. */
  async function robot(name: string, task: string, extraEnv: NodeJS.ProcessEnv = {}) {
    const dir = join(temp.path, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "tasks.robot"), task);
    const result = await cli(
      [
        "run",
        PROCESS,
        "--",
        python,
        "-m",
        "robot",
        "--outputdir",
        join(dir, "out"),
        join(dir, "tasks.robot"),
      ],
      { env: { ...env, ...extraEnv } },
    );
    const files = resultTexts(join(dir, "out"));
    assert.deepEqual(
      files.map((f) => f.file),
      ["log.html", "output.xml", "report.html"],
      result.stdout + result.stderr,
    );
    for (const html of files.filter((f) => f.file.endsWith(".html"))) {
      assert.ok(html.strings > 0, `${html.file}: its string table was found and decoded`);
    }
    return { ...result, files, output: files.find((f) => f.file === "output.xml")?.text ?? "" };
  }

  function assertNoLeaks(run: {
    stdout: string;
    stderr: string;
    files: { file: string; text: string }[];
  }) {
    assert.deepEqual(leaksIn(run.stdout + run.stderr), [], "console");
    for (const file of run.files) assert.deepEqual(leaksIn(file.text), [], file.file);
  }

  for (const level of ["INFO", "TRACE"]) {
    test(`a task reading values with a plain Evaluate leaves none in output.xml, log.html or report.html at ${level}`, async () => {
      // TRACE through an existing ROBOT_OPTIONS: heptora run appends its listener to it.
      const run = await robot(
        `naive-${level}`,
        NAIVE_TASK,
        level === "TRACE" ? { ROBOT_OPTIONS: "--loglevel TRACE" } : {},
      );
      assert.equal(run.code, 1, "the failing check fails the task, as without Heptora");
      assertNoLeaks(run);
      // The values were there to hide: assignments, Log, the failure, RF's <errors> section.
      assert.match(run.output, /\$\{pw\} = \*\*\*/);
      assert.match(run.output, /<msg [^>]*level="WARN">\*\*\*<\/msg>/);
      assert.match(run.output, /<status status="FAIL"[^>]*>\*\*\* != x<\/status>/);
      assert.match(run.output, /Signing in as \*\*\* with \*\*\*/);
      if (level === "TRACE") assert.match(run.output, /Arguments: \[ '\*\*\*' \| 'x' \]/);
      else assert.doesNotMatch(run.output, /Arguments: \[/);
    });

    test(`the library keyword Get Secret returns RF's Secret and leaves no value at ${level}`, async () => {
      const run = await robot(
        `library-${level}`,
        LIBRARY_TASK,
        level === "TRACE" ? { ROBOT_OPTIONS: "--loglevel TRACE" } : {},
      );
      assert.equal(run.code, 1);
      assertNoLeaks(run);
      assert.match(run.output, /\$\{pw\} = &lt;secret&gt;/);
      assert.match(run.output, /<status status="FAIL"[^>]*>\*\*\* != x<\/status>/);
    });
  }

  test("values handed over with heptora run --env are hidden too", async () => {
    const dir = join(temp.path, "env");
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, "tasks.robot"),
      `*** Tasks ***
Use the environment
    Log    %{SAP_PASSWORD}
    Should Be Equal    %{SAP_PASSWORD}    x
`,
    );
    const result = await cli([
      "run",
      PROCESS,
      "--env",
      "SAP_PASSWORD",
      "--",
      python,
      "-m",
      "robot",
      "--outputdir",
      join(dir, "out"),
      join(dir, "tasks.robot"),
    ]);
    assert.equal(result.code, 1);
    const files = resultTexts(join(dir, "out"));
    assertNoLeaks({ ...result, files });
    assert.match(files.find((f) => f.file === "output.xml")?.text ?? "", /\*\*\* != x/);
  });

  test("on a Robot Framework without the Secret type, Get Secret reads at log level NONE", async () => {
    const dir = join(temp.path, "old-rf");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "tasks.robot"), LIBRARY_TASK.replace(`\${pw.value}`, `\${pw}`));
    // RF before 7.4 has no robot.api.types.Secret: take it away before heptora.robot loads.
    const program = [
      "import sys, robot.api.types as types",
      "del types.Secret",
      "import robot",
      "robot.run_cli(sys.argv[1:])",
    ].join("\n");
    const result = await cli([
      "run",
      PROCESS,
      "--",
      python,
      "-c",
      program,
      "--loglevel",
      "TRACE",
      "--outputdir",
      join(dir, "out"),
      join(dir, "tasks.robot"),
    ]);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    const files = resultTexts(join(dir, "out"));
    assertNoLeaks({ ...result, files });
    const output = files.find((f) => f.file === "output.xml")?.text ?? "";
    assert.doesNotMatch(output, /\$\{pw\} = /, "the assignment is not logged at NONE");
    assert.match(output, /<msg [^>]*level="INFO">\*\*\*<\/msg>/, "Log runs at TRACE again, masked");
  });

  test("where the Python SDK cannot be imported, Robot Framework says masking is not in use", async () => {
    const dir = join(temp.path, "no-sdk");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "tasks.robot"), "*** Tasks ***\nNothing secret\n    No Operation\n");
    const result = await cli(
      [
        "run",
        PROCESS,
        "--",
        python,
        "-m",
        "robot",
        "--outputdir",
        join(dir, "out"),
        join(dir, "tasks.robot"),
      ],
      { env: { ...env, PYTHONPATH: "" } },
    );
    assert.match(
      result.stdout + result.stderr,
      /Taking listener 'heptora\.robot\.MaskingListener' into use failed/,
    );
  });

  test("an existing robot's Get Secret of RPA.Robocorp.Vault reads the process's SAP_ names, each audited", async () => {
    const digest = createHash("sha256").update(`${USER}|${PASSWORD}`).digest("hex");
    const run = await robot(
      "rpa",
      `*** Settings ***
Library    RPA.Robocorp.Vault

*** Tasks ***
Sign in with the vault secret sap
    \${sap}=    Get Secret    sap
    \${keys}=    Evaluate    sorted($sap)
    Should Be Equal    \${keys}    \${{['password', 'user']}}
    \${digest}=    Evaluate    hashlib.sha256(($sap['user'] + '|' + $sap['password']).encode()).hexdigest()    modules=hashlib
    Should Be Equal    \${digest}    ${digest}
    Log    \${sap}[password]
`,
    );
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assertNoLeaks(run);
    assert.match(run.output, /\$\{sap\} = Secret\(name=sap, keys=\[user, password\]\)/);
    const audit = await cli(["audit", "list", "--json", "--limit", "20"]);
    const reads = (
      JSON.parse(audit.stdout) as { entries: { type: string; name?: string; actor?: string }[] }
    ).entries.filter((e) => e.type === "secret.read" && e.actor === `run:${PROCESS}`);
    assert.ok(reads.some((e) => e.name === "SAP_USER"));
    assert.ok(reads.some((e) => e.name === "SAP_PASSWORD"));
  });

  test("robocorp.vault's get_secret works unchanged under heptora run", async () => {
    const script = join(temp.path, "robocorp_task.py");
    writeFileSync(
      script,
      [
        "import hashlib",
        "from robocorp import vault",
        'sap = vault.get_secret("sap")',
        'print(sorted(sap), hashlib.sha256((sap["user"] + "|" + sap["password"]).encode()).hexdigest())',
      ].join("\n"),
    );
    const run = await cli(["run", PROCESS, "--", python, script]);
    assert.equal(run.code, 0, run.stderr);
    const digest = createHash("sha256").update(`${USER}|${PASSWORD}`).digest("hex");
    assert.equal(run.stdout, `['password', 'user'] ${digest}\n`);
  });

  test("an automation lists the names its process declares: names only", async () => {
    const run = await cli([
      "run",
      PROCESS,
      "--",
      python,
      "-c",
      "import heptora, json, os; print(json.dumps(heptora.declared_names())); print(os.environ['ROBOT_OPTIONS'], os.environ['RPA_SECRET_MANAGER'], os.environ['RC_VAULT_SECRET_MANAGER'])",
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stdout,
      '["SAP_USER", "SAP_PASSWORD", "CERT_PEM"]\n--listener heptora.robot.MaskingListener ' +
        "heptora.rpa.HeptoraSecretManager heptora.robocorp_vault.HeptoraSecretManager\n",
    );
    const own = await cli(
      ["run", PROCESS, "--", python, "-c", "import os; print(os.environ['RPA_SECRET_MANAGER'])"],
      { env: { ...env, RPA_SECRET_MANAGER: "RPA.Robocorp.Vault.FileSecrets" } },
    );
    assert.equal(
      own.stdout,
      "RPA.Robocorp.Vault.FileSecrets\n",
      "an automation's own choice stays",
    );
    const listed = await cli(
      ["run", PROCESS, "--", python, "-c", "import os; print(os.environ['ROBOT_OPTIONS'])"],
      { env: { ...env, ROBOT_OPTIONS: "--listener heptora.robot.MaskingListener --dryrun" } },
    );
    assert.equal(
      listed.stdout,
      "--listener heptora.robot.MaskingListener --dryrun\n",
      "the listener is not given twice",
    );
  });
});
