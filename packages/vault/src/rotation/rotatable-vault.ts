/**
 * The vault facade around its keys (docs/adr/0080): every call goes to the vault assembled for the
 * current data key, and `rotateKey` replaces that vault with one assembled for the new key, on the
 * same database connection, so the robot's references to its vault stay valid across a rotation.
 *
 * While a rotation runs (its transaction spans turns of the event loop), nobody else may touch
 * the connection: synchronous calls answer `key_rotation_in_progress` (503, try again), and the
 * audited calls that return a promise (`recordAudit`, `readForRun`: a run's getSecret) wait for
 * the rotation and then go to the new vault.
 */
import { HeptoraError } from "@heptora/protocol";
import { type BackupSummary, writeBackup } from "../backup/backup.ts";
import { wipe } from "../crypto/kdf.ts";
import type { AssembleDeps, InnerVault, Vault } from "../vault.ts";
import {
  copyKey,
  type RotateKeyOptions,
  type RotationResult,
  rotateDataKey,
} from "./rotate-key.ts";

/** Calls that return a promise: they wait for a rotation instead of failing. */
const WAITING = new Set(["recordAudit", "readForRun"]);

type AnyFunction = (...args: unknown[]) => unknown;

export interface KeyOperations {
  rotateKey(options?: RotateKeyOptions): Promise<RotationResult>;
  writeBackup(file: string, passphrase: string, options?: { actor?: string }): BackupSummary;
}

export function rotatableVault(
  first: AssembleDeps,
  assemble: (deps: AssembleDeps) => InnerVault,
): Vault {
  let retiring = false;
  let deps: AssembleDeps = {
    ...first,
    closeDb: () => {
      if (!retiring) first.db.close();
    },
  };
  let inner = assemble(deps);
  let rotation: Promise<void> | undefined;
  let closed = false;
  let stopping = false;

  const busy = () => new HeptoraError("key_rotation_in_progress", { retryAfterSeconds: 1 });
  const call = (target: () => Record<string, unknown>, key: string): AnyFunction => {
    if (WAITING.has(key)) {
      return (...args) => {
        const run = () => (target()[key] as AnyFunction)(...args);
        return rotation === undefined ? run() : rotation.then(run);
      };
    }
    return (...args) => {
      if (rotation !== undefined) throw busy();
      return (target()[key] as AnyFunction)(...args);
    };
  };

  const facade: Record<string, unknown> = {};
  const current = () => inner as unknown as Record<string, unknown>;
  for (const [key, member] of Object.entries(current())) {
    if (key === "close") continue;
    if (typeof member === "function") {
      facade[key] = call(current, key);
    } else if (
      typeof member === "object" &&
      member !== null &&
      Object.values(member).every((inside) => typeof inside === "function")
    ) {
      const nested: Record<string, unknown> = {};
      for (const inside of Object.keys(member)) {
        nested[inside] = call(() => current()[key] as Record<string, unknown>, inside);
      }
      facade[key] = nested;
    } else {
      // Data (the vault id, the slot that unlocked it) is read from the current vault: a
      // rotation gives the unlocking slot a new id.
      Object.defineProperty(facade, key, { get: () => current()[key], enumerable: true });
    }
  }

  const operations: KeyOperations & Pick<Vault, "close"> = {
    async rotateKey(options = {}) {
      if (closed) throw new HeptoraError("vault_locked", { message: "The vault is closed." });
      if (rotation !== undefined) throw busy();
      // A new key must not vouch for a state that does not verify now.
      inner.verifyAudit();
      const integrity = inner.integrity();
      if (!integrity.ok) {
        throw new HeptoraError("vault_integrity", {
          message: `The data key was not rotated: the vault reports a problem. ${integrity.problems[0] ?? ""}`,
          hint: "Run `heptora status` to see what was found; restore the data dir from a backup first.",
        });
      }
      let release: () => void = () => {};
      rotation = new Promise((resolve) => {
        release = resolve;
      });
      const oldDek = copyKey(deps.dek);
      retiring = true;
      try {
        inner.close(); // writes what is queued and the checkpoint, wipes the old keys
      } finally {
        retiring = false;
      }
      try {
        let rotated: Awaited<ReturnType<typeof rotateDataKey>>;
        try {
          rotated = await rotateDataKey(
            {
              db: deps.db,
              vaultId: deps.vaultId,
              keyFile: deps.keyFile,
              clock: deps.clock,
              dek: oldDek,
              stopping: () => stopping,
            },
            options,
          );
        } catch (error) {
          // Not committed: the old key still opens everything.
          if (stopping) {
            wipe(oldDek);
            deps.db.close();
          } else {
            deps = { ...deps, dek: oldDek, created: false };
            inner = assemble(deps);
          }
          throw error;
        }
        // Committed: only the new key opens the vault from here on.
        wipe(oldDek);
        // The slot that unlocked the vault may have a new id now (key file, OS keychain).
        const slot = { ...deps.slot, id: rotated.slotIds.get(deps.slot.id) ?? deps.slot.id };
        deps = { ...deps, dek: rotated.dek, created: false, slot };
        if (stopping) {
          wipe(rotated.dek);
          deps.db.close();
          return rotated.result;
        }
        inner = assemble(deps);
        inner.verifyAudit();
        return rotated.result;
      } finally {
        rotation = undefined;
        release();
      }
    },
    writeBackup(file, passphrase, options = {}) {
      if (closed) throw new HeptoraError("vault_locked", { message: "The vault is closed." });
      if (rotation !== undefined) throw busy();
      const { db, dek, vaultId, dataDir, clock } = deps;
      const summary = writeBackup({ db, dek, vaultId, dataDir, clock }, file, passphrase);
      inner.appendAudit({
        type: "vault.backed_up",
        actor: options.actor ?? "robot",
        outcome: "ok",
        details: { names: summary.values, persons: summary.persons, versions: summary.versions },
      });
      return summary;
    },
    close() {
      if (closed) return;
      closed = true;
      // A rotation under way stops at its next chunk, rolls back and closes the file.
      if (rotation !== undefined) stopping = true;
      else inner.close();
    },
  };
  return Object.assign(facade, operations) as unknown as Vault;
}
