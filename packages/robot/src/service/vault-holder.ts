/**
 * The open vault, or "locked". Every part of the service asks this holder for the vault at the
 * moment it needs it, so locking takes effect at once: reads then answer vault_locked (423).
 *
 * @example
 * const vaults = createVaultHolder(vault);
 * vaults.vault().getSecret("SAP_USER");
 * vaults.set(null); // locked: vaults.vault() throws vault_locked, vaults.peek() is null
 */
import { HeptoraError } from "@heptora/protocol";
import type { ServiceVault } from "./service-vault.ts";

export interface VaultHolder {
  /** The open vault; throws vault_locked when it is locked. */
  vault(): ServiceVault;
  /** The vault or null, for callers that must work while locked (status, the refusal audit). */
  peek(): ServiceVault | null;
  set(vault: ServiceVault | null): void;
}

export function createVaultHolder(initial: ServiceVault | null): VaultHolder {
  let current = initial;
  return {
    vault() {
      if (current === null) throw new HeptoraError("vault_locked");
      return current;
    },
    peek: () => current,
    set(vault) {
      current = vault;
    },
  };
}
