/**
 * The `os-keychain` key slot against a real Secret Service (gnome-keyring in a D-Bus session the
 * test starts, support/secret-service.ts), through the CLI and a real daemon (issue 14,
 * docs/adr/0078): a new robot keeps its key there by default (no key file, no warning); the entry
 * is service "Heptora", account naming the vault and the slot; a restart opens it from there; a
 * keychain entry that is gone, or a keychain that is not reachable any more, leaves the robot
 * running LOCKED with the reason, never crashing, and the recovery key opens it when the key file
 * and the keychain entry are both gone; slots add and remove their entries.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Entry, findCredentials } from "@napi-rs/keyring";
import { cleanEnv, heptora, type RunningDaemon, startDaemon } from "../support/cli.ts";
import { type FakePlatform, startFakePlatform } from "../support/fake-platform.ts";
import { type SecretService, startSecretService } from "../support/secret-service.ts";
import { ANA } from "../support/service.ts";
import { makeTempDir, type TempDir } from "../support/temp.ts";

const linux = process.platform === "linux";
const SECRET_SERVICE = { linux: { store: "secret-service" as const } };

describe(
  "the OS keychain slot against a real Secret Service",
  { skip: !linux && "Linux's Secret Service" },
  () => {
    let temp: TempDir;
    let bus: SecretService;
    let platform: FakePlatform;
    let daemon: RunningDaemon;
    let env: NodeJS.ProcessEnv;
    let noBus: NodeJS.ProcessEnv;
    let recoveryKey = "";
    const cli = (args: string[], input?: string, on = env) =>
      heptora(["--data-dir", temp.dataDir, ...args], {
        env: on,
        ...(input === undefined ? {} : { input }),
      });
    const json = async (args: string[], on = env) => {
      const result = await cli([...args, "--json"], undefined, on);
      assert.equal(result.code, 0, result.stderr);
      return JSON.parse(result.stdout);
    };
    const restart = async (on = env) => {
      await daemon.stop();
      daemon = await startDaemon({ dataDir: temp.dataDir, env: on });
    };
    const entries = () => findCredentials("Heptora").map((c) => c.account);

    before(async () => {
      temp = makeTempDir();
      bus = await startSecretService(join(temp.path, "keyring-home"));
      // This process reads the store too, to see what the robot wrote there.
      process.env.DBUS_SESSION_BUS_ADDRESS = bus.address;
      platform = await startFakePlatform();
      platform.addUser(ANA.email, ANA.password);
      noBus = cleanEnv({ HEPTORA_KEY_FILE: temp.keyFile, HEPTORA_PLATFORM_URL: platform.url });
      env = { ...noBus, DBUS_SESSION_BUS_ADDRESS: bus.address };
      daemon = await startDaemon({ dataDir: temp.dataDir, env });
    });
    after(async () => {
      await daemon?.stop();
      await platform?.close();
      await bus?.stop();
      temp.remove();
    });

    test("a new robot keeps its key in the OS keychain: no key file, no warning", async () => {
      const status = await cli(["vault", "status"]);
      assert.equal(status.code, 0, status.stderr);
      assert.match(status.stdout, /^Key slots: +1 \(1 OS keychain\)$/m);
      assert.match(status.stdout, /opened with its OS keychain slot/);
      assert.equal(status.stderr, "", "no key-file warning");
      assert.equal(existsSync(temp.keyFile), false);
      assert.doesNotMatch(daemon.stderr, /Warning: The vault key is protected by file permissions/);
      const { vaultId } = await json(["status"]);
      const { slots } = await json(["vault", "slots", "list"]);
      assert.deepEqual(entries(), [`vault ${vaultId} slot ${slots[0].id}`]);
    });

    test("a restart opens the vault from the keychain", async () => {
      await restart();
      const status = await json(["vault", "status"]);
      assert.equal(status.locked, false);
      assert.equal(status.unlockedWith, "os-keychain");
    });

    test("the keychain entry gone: the robot starts locked, says so, and the recovery key opens it", async () => {
      const login = await cli(
        ["login", "--email", ANA.email, "--password-stdin"],
        `${ANA.password}\n`,
      );
      assert.equal(login.code, 0, login.stderr);
      const added = await cli(["vault", "slots", "add", "recovery"]);
      assert.equal(added.code, 0, added.stderr);
      recoveryKey = added.stdout.match(/^ {4}(\S+)$/m)?.[1] ?? "";
      // Every other slot lost: no key file ever, and the keychain entry deleted.
      const [account] = entries();
      new Entry("Heptora", account as string, SECRET_SERVICE).deletePassword();
      assert.equal(existsSync(temp.keyFile), false);
      await restart();
      assert.match(
        daemon.stdout,
        /The vault is locked \(.*has no key for this vault any more.*\)\. Unlock it with: heptora unlock/,
      );
      assert.equal((await json(["vault", "status"])).locked, true);
      const unlocked = await cli(["unlock", "--recovery-key-stdin"], `${recoveryKey}\n`);
      assert.equal(unlocked.code, 0, unlocked.stderr);
      assert.match(unlocked.stdout, /with its recovery key slot/);
    });

    test("slots add os-keychain stores a new entry; removing the dead slot leaves it alone", async () => {
      const before = await json(["vault", "slots", "list"]);
      const dead = before.slots.find((s: { kind: string }) => s.kind === "os-keychain");
      const added = await cli(["vault", "slots", "add", "os-keychain"]);
      assert.equal(added.code, 0, added.stderr);
      const id = added.stdout.match(/^Added an OS keychain slot: (\S+)$/m)?.[1] ?? "";
      assert.ok(id !== "", added.stdout);
      const removed = await cli(["vault", "slots", "remove", dead.id]);
      assert.equal(removed.code, 0, removed.stderr);
      const { vaultId } = await json(["status"]);
      assert.deepEqual(entries(), [`vault ${vaultId} slot ${id}`]);
      await restart();
      assert.equal((await json(["vault", "status"])).unlockedWith, "os-keychain");
    });

    test("a keychain that is not reachable any more: locked with the reason, never a crash", async () => {
      await restart(noBus);
      assert.match(
        daemon.stdout,
        /The vault is locked \(The vault's OS keychain slot cannot be used: the Secret Service \(OS keychain\) is not reachable/,
      );
      const add = await cli(["vault", "slots", "add", "os-keychain"], undefined, noBus);
      assert.equal(add.code, 1);
      assert.match(add.stderr, /The vault is locked/);
      const unlocked = await cli(["unlock", "--recovery-key-stdin"], `${recoveryKey}\n`, noBus);
      assert.equal(unlocked.code, 0, unlocked.stderr);
      const noStore = await cli(["vault", "slots", "add", "os-keychain"], undefined, noBus);
      assert.equal(noStore.code, 1);
      assert.match(
        noStore.stderr,
        /No OS keychain can be used here: .*Add a passphrase or a recovery key slot instead/,
      );
    });

    test("removing an OS keychain slot deletes its entry", async () => {
      await restart();
      const { slots } = await json(["vault", "slots", "list"]);
      const keychain = slots.find((s: { kind: string }) => s.kind === "os-keychain");
      const removed = await cli(["vault", "slots", "remove", keychain.id]);
      assert.equal(removed.code, 0, removed.stderr);
      assert.match(removed.stdout, /Its OS keychain entry was deleted/);
      assert.deepEqual(entries(), []);
      const last = await cli([
        "vault",
        "slots",
        "remove",
        slots.find((s: { kind: string }) => s.kind === "recovery").id,
      ]);
      assert.equal(last.code, 1);
      assert.match(last.stderr, /last key slot/);
    });
  },
);
