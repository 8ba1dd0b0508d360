/**
 * The masked prompt of `heptora secrets set NAME` on a real terminal (issue 12, docs/adr/0073),
 * driven through a pseudo-terminal (`script`): a multi-line paste is refused whole with the
 * reason, never cut at its first line break; a one-line paste (even with a trailing line break)
 * and typing are stored exactly.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { cleanEnv, heptora, type RunningDaemon, startDaemon } from "../support/cli.ts";
import { type FakePlatform, startFakePlatform } from "../support/fake-platform.ts";
import { ANA } from "../support/service.ts";
import { makeTempDir, type TempDir } from "../support/temp.ts";
import { onTerminal } from "../support/terminal.ts";

const PASTE_START = "\x1b[200~";
const PASTE_END = "\x1b[201~";

describe("the masked prompt on a terminal", { timeout: 30_000 }, () => {
  let temp: TempDir;
  let platform: FakePlatform;
  let daemon: RunningDaemon;
  let env: NodeJS.ProcessEnv;
  const cli = (args: string[], input?: string) =>
    heptora(["--data-dir", temp.dataDir, ...args], { env, ...(input ? { input } : {}) });
  const set = (name: string) =>
    onTerminal(["--data-dir", temp.dataDir, "secrets", "set", name], env);

  before(async () => {
    temp = makeTempDir();
    platform = await startFakePlatform();
    platform.addUser(ANA.email, ANA.password);
    platform.addProcess({
      name: "Invoice Processing",
      variables: [{ name: "SAP_USER" }, { name: "SAP_PASSWORD" }, { name: "SAP_CERT" }],
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

  test("a bracketed multi-line paste is refused whole, with where such a value goes", async () => {
    const term = set("SAP_CERT");
    await term.waitFor("Value for SAP_CERT: ");
    // A terminal sends line breaks of a paste as carriage returns. Refused at once: nothing is
    // typed after it (the terminal would echo it once the prompt has ended).
    term.type(`${PASTE_START}line-one\rline-two\r${PASTE_END}`);
    assert.equal(await term.exitCode(), 2);
    assert.match(
      term.shown,
      /has line breaks, and this prompt takes one line: nothing was changed/,
    );
    assert.match(term.shown, /heptora secrets set SAP_CERT --value-stdin < FILE/);
    assert.ok(term.shown.includes("\x1b[?2004h"), "the prompt asks for bracketed paste");
    assert.ok(term.shown.includes("\x1b[?2004l"), "bracketed paste is switched off again");
    assert.ok(!term.shown.includes("line-one"), "the value is not echoed");
    const get = await cli(["secrets", "get", "SAP_CERT"]);
    assert.notEqual(get.code, 0, "nothing was stored, not even the first line");
  });

  test("an unbracketed multi-line paste (one read) is refused the same way", async () => {
    const term = set("SAP_USER");
    await term.waitFor("Value for SAP_USER: ");
    term.type("same-line\rsame-line\r");
    assert.equal(await term.exitCode(), 2);
    assert.match(term.shown, /has line breaks, and this prompt takes one line/);
    const get = await cli(["secrets", "get", "SAP_USER"]);
    assert.notEqual(get.code, 0, "not stored as its first line");
  });

  test("a one-line paste with a trailing line break, then Enter, is stored exactly", async () => {
    const value = "Pasted-Päss-🔑-42";
    const term = set("SAP_PASSWORD");
    await term.waitFor("Value for SAP_PASSWORD: ");
    term.type(`${PASTE_START}${value}\r${PASTE_END}`);
    await term.waitFor("*".repeat([...value].length));
    term.type("\r");
    await term.waitFor("Again: ");
    term.type(`${value}\r`);
    assert.equal(await term.exitCode(), 0, term.shown);
    assert.ok(!term.shown.includes(value), "the value is masked");
    const get = await cli(["secrets", "get", "SAP_PASSWORD", "--no-newline"]);
    assert.equal(get.stdout, value);
  });
});
