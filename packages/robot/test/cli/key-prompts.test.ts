/**
 * The key-slot prompts on a real terminal (issue 14): `heptora vault slots add passphrase` asks
 * twice with a masked prompt and refuses two different entries; `heptora unlock` asks once,
 * masked. What was typed is never shown.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { cleanEnv, heptora, type RunningDaemon, startDaemon } from "../support/cli.ts";
import { type FakePlatform, startFakePlatform } from "../support/fake-platform.ts";
import { ANA } from "../support/service.ts";
import { makeTempDir, type TempDir } from "../support/temp.ts";
import { onTerminal } from "../support/terminal.ts";

const PASSPHRASE = "terminal-Passphrase-58";

describe("key-slot prompts on a terminal", { timeout: 60_000 }, () => {
  let temp: TempDir;
  let platform: FakePlatform;
  let daemon: RunningDaemon;
  let env: NodeJS.ProcessEnv;
  const cli = (args: string[], input?: string) =>
    heptora(["--data-dir", temp.dataDir, ...args], { env, ...(input ? { input } : {}) });
  const terminal = (args: string[]) => onTerminal(["--data-dir", temp.dataDir, ...args], env);

  before(async () => {
    temp = makeTempDir();
    platform = await startFakePlatform();
    platform.addUser(ANA.email, ANA.password);
    env = cleanEnv({ HEPTORA_KEY_FILE: temp.keyFile, HEPTORA_PLATFORM_URL: platform.url });
    daemon = await startDaemon({ dataDir: temp.dataDir, env });
    const login = await cli(
      ["login", "--email", ANA.email, "--password-stdin"],
      `${ANA.password}\n`,
    );
    assert.equal(login.code, 0, login.stderr);
  });
  after(async () => {
    await daemon.stop();
    await platform.close();
    temp.remove();
  });

  test("vault slots add passphrase asks twice, masked, and refuses two different ones", async () => {
    const differ = terminal(["vault", "slots", "add", "passphrase"]);
    await differ.waitFor("New vault passphrase: ");
    differ.type(`${PASSPHRASE}\r`);
    await differ.waitFor("Again: ");
    differ.type(`${PASSPHRASE}x\r`);
    assert.equal(await differ.exitCode(), 2);
    assert.match(differ.shown, /The two passphrases differ: nothing was changed/);

    const added = terminal(["vault", "slots", "add", "passphrase"]);
    await added.waitFor("New vault passphrase: ");
    added.type(`${PASSPHRASE}\r`);
    await added.waitFor("Again: ");
    added.type(`${PASSPHRASE}\r`);
    assert.equal(await added.exitCode(), 0, added.shown);
    assert.match(added.shown, /Added a passphrase slot: /);
    assert.ok(!added.shown.includes(PASSPHRASE), "never echoed");
  });

  test("heptora unlock asks for the passphrase, masked", async () => {
    assert.equal((await cli(["lock"])).code, 0);
    const unlock = terminal(["unlock"]);
    await unlock.waitFor("Vault passphrase: ");
    unlock.type(`${PASSPHRASE}\r`);
    assert.equal(await unlock.exitCode(), 0, unlock.shown);
    assert.match(unlock.shown, /The vault is unlocked \(with its passphrase slot\)/);
    assert.ok(!unlock.shown.includes(PASSPHRASE), "never echoed");
  });
});
