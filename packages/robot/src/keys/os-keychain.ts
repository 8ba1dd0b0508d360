/**
 * The robot's adapter from the vault's OsKeychain interface to the operating system's credential
 * store, through @napi-rs/keyring (prebuilt binaries; no compiler at install): Windows Credential
 * Manager, macOS Keychain, the Secret Service (gnome-keyring, KWallet) on Linux. Entries are
 * service "Heptora", account "vault <vault id> slot <slot id>".
 *
 * On Linux the entry is pinned to the Secret Service: the library's fallback, the kernel keyring,
 * forgets everything at reboot, which would lock the robot out of its own vault.
 *
 * @example
 * const probe = await probeOsKeychain();
 * if (probe.keychain !== undefined) openVault({ dataDir, keyFile, keychain: probe.keychain, unlockWith: "os-keychain" });
 */
import { KEYCHAIN_SERVICE, type OsKeychain } from "@heptora/vault";

export type KeychainProbe =
  | { keychain: OsKeychain; unavailable?: undefined }
  | { keychain?: undefined; unavailable: string };

type EntryClass = new (
  service: string,
  account: string,
  options?: { linux?: { store?: "secret-service" | "keyutils" } },
) => {
  getPassword(): string | null;
  setPassword(password: string): void;
  deletePassword(): boolean;
};

function describeStore(platform: NodeJS.Platform): string {
  if (platform === "win32") return "Windows Credential Manager";
  if (platform === "darwin") return "the macOS Keychain";
  return "the Secret Service (OS keychain)";
}

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0]?.slice(0, 300) ?? "unknown error";
}

/**
 * Loads the binding and asks the store for an entry that does not exist: a store that answers is
 * usable; a missing session bus, a locked or absent store is "unavailable", with the reason.
 */
export async function probeOsKeychain(
  platform: NodeJS.Platform = process.platform,
): Promise<KeychainProbe> {
  let Entry: EntryClass;
  try {
    ({ Entry } = (await import("@napi-rs/keyring")) as unknown as { Entry: EntryClass });
  } catch (error) {
    return { unavailable: `the keychain binding did not load: ${oneLine(error)}` };
  }
  const description = describeStore(platform);
  const options = platform === "linux" ? { linux: { store: "secret-service" as const } } : {};
  const entry = (account: string) => new Entry(KEYCHAIN_SERVICE, account, options);
  // The store's errors can run over many lines: one line reaches a message.
  const plain = <T>(work: () => T): T => {
    try {
      return work();
    } catch (error) {
      throw new Error(oneLine(error));
    }
  };
  const keychain: OsKeychain = {
    description,
    get: (account) => plain(() => entry(account).getPassword() ?? undefined),
    set: (account, secret) => plain(() => entry(account).setPassword(secret)),
    delete: (account) => plain(() => entry(account).deletePassword()),
  };
  try {
    keychain.get("probe (Heptora checks that the store answers)");
  } catch (error) {
    return { unavailable: `${description} is not reachable: ${oneLine(error)}` };
  }
  return { keychain };
}
