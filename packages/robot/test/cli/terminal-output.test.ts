/**
 * What the CLI prints is safe for a terminal and never repeats what may be a value (issue 12):
 * text that came from the platform (process names, error messages) reaches the terminal without
 * control or escape sequences, and a stray argument is refused without being echoed.
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { cleanEnv, heptora, type RunningDaemon, startDaemon } from "../support/cli.ts";
import { type FakePlatform, startFakePlatform } from "../support/fake-platform.ts";
import { ANA } from "../support/service.ts";
import { makeTempDir, type TempDir } from "../support/temp.ts";

const TITLE = "\x1b]0;pwned\x07";
const CLEAR = "\x1b[2J";
/** Any C0 control but line feed, DEL, or a C1 control: none may reach the terminal. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe("platform text on the terminal", () => {
  let temp: TempDir;
  let platform: FakePlatform;
  let daemon: RunningDaemon;
  let env: NodeJS.ProcessEnv;
  const cli = (args: string[], input?: string) =>
    heptora(["--data-dir", temp.dataDir, ...args], {
      env,
      ...(input === undefined ? {} : { input }),
    });

  before(async () => {
    temp = makeTempDir();
    platform = await startFakePlatform();
    platform.addUser(ANA.email, ANA.password);
    platform.addProcess({
      name: `Invoice ${TITLE}Processing${CLEAR}`,
      description: `Pays ${TITLE} invoices ${CLEAR}`,
      variables: [{ name: "SAP_USER", description: `The user ${CLEAR}${TITLE}` }],
      assignees: [ANA.email],
    });
    env = cleanEnv({ HEPTORA_KEY_FILE: temp.keyFile, HEPTORA_PLATFORM_URL: platform.url });
    daemon = await startDaemon({ dataDir: temp.dataDir, env });
    const login = await cli(["login", "--email", ANA.email, "--password-stdin"], ANA.password);
    assert.equal(login.code, 0, login.stderr);
  });
  after(async () => {
    await daemon.stop();
    await platform.close();
    temp.remove();
  });

  test("secrets list shows a process name with escape sequences as visible text", async () => {
    const list = await cli(["secrets", "list"]);
    assert.equal(list.code, 0, list.stderr);
    assert.doesNotMatch(list.stdout, CONTROL);
    assert.match(list.stdout, /Invoice \\x1b\]0;pwned\\x07Processing\\x1b\[2J/);
    // --json stays exact: JSON escapes the controls itself.
    const json = await cli(["secrets", "list", "--json"]);
    assert.doesNotMatch(json.stdout, CONTROL);
    const parsed = JSON.parse(json.stdout) as { processes: { name: string }[] };
    assert.equal(parsed.processes[0]?.name, `Invoice ${TITLE}Processing${CLEAR}`);
  });

  test("an error naming a process quotes it without its escape sequences", async () => {
    const run = await cli(["run", "Invoice", "--", "node", "-e", "0"]);
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /Did you mean 'Invoice \\x1b\]0;pwned\\x07Processing\\x1b\[2J'/);
    assert.doesNotMatch(run.stderr, CONTROL);
    const daemonOutput = daemon.stderr + daemon.stdout;
    assert.doesNotMatch(daemonOutput, CONTROL);
  });
});

describe("a platform's error message on the terminal", () => {
  let temp: TempDir;
  let daemon: RunningDaemon;
  let env: NodeJS.ProcessEnv;
  const hostile = createServer((req, res) => {
    req.resume();
    res.writeHead(403, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        error: { code: "forbidden", message: `Refused ${TITLE}by the platform${CLEAR}.` },
      }),
    );
  });

  before(async () => {
    temp = makeTempDir();
    await new Promise<void>((resolve) => hostile.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
    env = cleanEnv({ HEPTORA_KEY_FILE: temp.keyFile, HEPTORA_PLATFORM_URL: url });
    daemon = await startDaemon({ dataDir: temp.dataDir, env });
  });
  after(async () => {
    await daemon.stop();
    hostile.close();
    temp.remove();
  });

  test("login prints the platform's refusal with its escape sequences neutralised", async () => {
    const login = await heptora(
      ["--data-dir", temp.dataDir, "login", "--email", ANA.email, "--password-stdin"],
      { env, input: ANA.password },
    );
    assert.equal(login.code, 1);
    assert.match(login.stderr, /Refused \\x1b\]0;pwned\\x07by the platform\\x1b\[2J\./);
    assert.doesNotMatch(login.stderr, CONTROL);
    assert.doesNotMatch(daemon.stderr + daemon.stdout, CONTROL);
  });
});

describe("stray arguments are refused without being repeated", () => {
  const temp = makeTempDir();
  after(() => temp.remove());
  const env = cleanEnv({ HEPTORA_KEY_FILE: temp.keyFile });
  const VALUE = "hunter2-Zq9";

  test("secrets set NAME VALUE says where a value goes and does not echo it", async () => {
    const result = await heptora(["--data-dir", temp.dataDir, "secrets", "set", "SAP_PW", VALUE], {
      env,
    });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /takes the value from a prompt or --value-stdin/);
    assert.ok(!result.stderr.includes(VALUE), result.stderr);
    assert.ok(!result.stdout.includes(VALUE));
  });

  test("login with a password as an argument, or any extra argument, is not echoed", async () => {
    const login = await heptora(["--data-dir", temp.dataDir, "login", VALUE], { env });
    assert.equal(login.code, 2);
    assert.match(login.stderr, /takes the password from a prompt or --password-stdin/);
    assert.ok(!login.stderr.includes(VALUE), login.stderr);
    const status = await heptora(["--data-dir", temp.dataDir, "status", VALUE], { env });
    assert.equal(status.code, 2);
    assert.match(status.stderr, /Too many arguments: 'heptora status' takes none/);
    assert.ok(!status.stderr.includes(VALUE), status.stderr);
  });

  test("an unknown word after a command is not echoed unless it looks like a typo", async () => {
    const stray = await heptora(["secrets", VALUE], { env });
    assert.equal(stray.code, 2);
    assert.ok(!stray.stderr.includes(VALUE), stray.stderr);
    assert.match(stray.stderr, /Unknown command 'heptora secrets' \.\.\./);
    const typo = await heptora(["secrets", "lst"], { env });
    assert.match(typo.stderr, /Unknown command 'heptora secrets lst'/);
  });
});
