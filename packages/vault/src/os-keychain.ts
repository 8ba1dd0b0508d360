/**
 * The `os-keychain` key slot: the data key wrapped by a random key-encryption key that the
 * operating system's credential store keeps (Windows Credential Manager, macOS Keychain, the
 * Secret Service on Linux). The vault talks to that store only through this interface, which the
 * robot passes in (its adapter uses @napi-rs/keyring): the vault stays free of native code and
 * anything networked, and tests can give it an in-memory store.
 *
 * @example
 * const keychain: OsKeychain = { get: (a) => map.get(a), set: (a, s) => map.set(a, s), delete: (a) => map.delete(a) };
 * openVault({ dataDir, keyFile, keychain, unlockWith: "os-keychain" });
 */

export interface OsKeychain {
  /** A short name for messages ("the Secret Service", "the OS keychain"). */
  readonly description: string;
  /** The stored secret, or undefined when there is no entry; throws when the store is unreachable. */
  get(account: string): string | undefined;
  set(account: string, secret: string): void;
  /** False when there was no entry. */
  delete(account: string): boolean;
}

/** The keychain entry's service name (the account names the vault and slot). */
export const KEYCHAIN_SERVICE = "Heptora";

/** The entry's account: it names the vault and the slot, so one store can hold many robots. */
export function keychainAccount(vaultId: string, slotId: string): string {
  return `vault ${vaultId} slot ${slotId}`;
}
