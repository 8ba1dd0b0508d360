/**
 * Unlock benchmark (`npm run bench -- unlock`): the time to open the vault (recover its data key
 * and assemble it) with each kind of key slot, the median of several opens: the key file and the
 * OS keychain (a real Secret Service: gnome-keyring in a private D-Bus session, when installed)
 * should take well under 50 ms, a passphrase (Argon2id, 64 MiB, 3 passes) 0.3 to 1 s, a recovery
 * key (HKDF, it is random) about as little as a key file. Temporary folders; prints a table.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { type OpenVaultOptions, openVault } from "@heptora/vault";
import { startSecretService } from "../test/support/secret-service.ts";

const RUNS = 9;
const PASSPHRASE = "bench passphrase, long enough";
const root = mkdtempSync(join(tmpdir(), "heptora-unlock-bench-"));
const dataDir = join(root, "data");
const keyFile = join(root, "keys", "robot.key");

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function timeOpens(options: Partial<OpenVaultOptions>): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const vault = openVault({ dataDir, keyFile, ...options });
    times.push(performance.now() - start);
    vault.close();
  }
  return median(times);
}

const rows: { slot: string; ms: number; target: string }[] = [];
try {
  const vault = openVault({ dataDir, keyFile });
  vault.addPassphraseSlot(PASSPHRASE);
  const { recoveryKey } = vault.addRecoverySlot();
  let keychainNote = "gnome-keyring is not installed";
  let bus: Awaited<ReturnType<typeof startSecretService>> | undefined;
  if (process.platform === "linux" && existsSync("/usr/bin/gnome-keyring-daemon")) {
    bus = await startSecretService(join(root, "keyring-home"));
    process.env.DBUS_SESSION_BUS_ADDRESS = bus.address;
    const { probeOsKeychain } = await import("../src/keys/os-keychain.ts");
    const probe = await probeOsKeychain();
    if (probe.keychain !== undefined) {
      vault.addKeychainSlot(probe.keychain);
      keychainNote = "";
    } else keychainNote = probe.unavailable;
  }
  vault.close();
  rows.push({ slot: "keyfile", ms: timeOpens({}), target: "< 50 ms" });
  if (keychainNote === "") {
    const { probeOsKeychain } = await import("../src/keys/os-keychain.ts");
    const probe = await probeOsKeychain();
    if (probe.keychain !== undefined) {
      rows.push({
        slot: "os-keychain (Secret Service)",
        ms: timeOpens({ keychain: probe.keychain, unlockWith: "os-keychain" }),
        target: "< 50 ms",
      });
    }
  }
  rows.push({
    slot: "passphrase (Argon2id 64 MiB, 3 passes)",
    ms: timeOpens({ passphrase: PASSPHRASE }),
    target: "0.3-1 s",
  });
  rows.push({ slot: "recovery", ms: timeOpens({ recoveryKey }), target: "< 50 ms" });
  await bus?.stop();
  console.log(`Unlock time per key slot kind (median of ${RUNS} opens of the vault)`);
  console.log(`${"slot".padEnd(40)} ${"median ms".padStart(10)}  target`);
  for (const row of rows) {
    console.log(`${row.slot.padEnd(40)} ${row.ms.toFixed(1).padStart(10)}  ${row.target}`);
  }
  if (keychainNote !== "") console.log(`os-keychain: not measured (${keychainNote})`);
  // Argon2id is CPU-bound: on a busy machine the passphrase time says more about the load.
  const [load] = loadavg();
  console.log(`load average ${load?.toFixed(1)} on ${cpus().length} CPUs`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
