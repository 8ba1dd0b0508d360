/**
 * Secret values keyed by name: set (a new version every time), read, unset (history kept),
 * history and restore. Every write is one BEGIN IMMEDIATE transaction, so concurrent writers
 * (threads of one daemon or two processes) are serialised and version numbers never collide.
 * A write can carry an audit entry, committed in the same transaction as the value.
 */
import { HeptoraError } from "@heptora/protocol";
import type { AuditLog } from "./audit/audit-log.ts";
import type { Sealer } from "./sealing.ts";
import { type Db, writeTransaction } from "./store/database.ts";
import type { SecretRow, SecretsRepo } from "./store/secrets-repo.ts";
import type {
  AuditContext,
  AuditEventInput,
  SecretInfo,
  SecretValue,
  SecretVersion,
} from "./types.ts";
import { checkAuditEvent, checkSecretName, checkSecretValue, checkVersion } from "./validation.ts";

/** Versions kept per name: the current value and the 5 before it. */
export const KEPT_VERSIONS = 6;

export interface SecretStoreDeps {
  db: Db;
  repo: SecretsRepo;
  sealer: Sealer;
  audit: Pick<AuditLog, "appendWithin">;
  clock: () => Date;
}

function toInfo(row: SecretRow): SecretInfo {
  return {
    name: row.name,
    version: row.currentVersion ?? row.latestVersion,
    updatedAt: row.updatedAt,
    set: row.currentVersion !== null,
  };
}

function auditEvent(
  type: string,
  name: string,
  context: AuditContext | undefined,
  details?: Record<string, string | number | boolean>,
): AuditEventInput[] {
  if (context === undefined) return [];
  const merged = { ...context.details, ...details };
  return [
    checkAuditEvent({
      outcome: "ok",
      ...context,
      type,
      name,
      ...(Object.keys(merged).length > 0 ? { details: merged } : {}),
    }),
  ];
}

export function createSecretStore(deps: SecretStoreDeps) {
  const { db, repo, sealer, audit, clock } = deps;
  // The list of names is cached. This instance's own writes patch it; when another connection
  // (another process) has committed (PRAGMA data_version), only the rows changed since the last
  // change_seq seen are fetched. Only the first list after opening scans all names.
  let listCache: { dataVersion: number; lastChange: number; list: SecretInfo[] } | undefined;

  /** Applies a committed write to the cached list (binary search by name). */
  const patchList = (info: SecretInfo): void => {
    if (listCache === undefined) return;
    const list = listCache.list;
    let low = 0;
    let high = list.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((list[mid] as SecretInfo).name < info.name) low = mid + 1;
      else high = mid;
    }
    const frozen = Object.freeze({ ...info });
    if (list[low]?.name === info.name) list[low] = frozen;
    else list.splice(low, 0, frozen);
  };

  /** Writes `value` as the next version of `name`. Call inside a write transaction. */
  const writeVersion = (name: string, value: string, at: string): SecretRow => {
    const previous = repo.find(name);
    const version = (previous?.latestVersion ?? 0) + 1;
    const row: SecretRow = { name, currentVersion: version, latestVersion: version, updatedAt: at };
    repo.save(row);
    repo.insertVersion(name, {
      version,
      ciphertext: sealer.sealSecret(name, version, at, value),
      createdAt: at,
    });
    if (version > KEPT_VERSIONS) repo.pruneThrough(name, version - KEPT_VERSIONS);
    return row;
  };

  const openCurrent = (name: string): SecretValue | undefined => {
    const row = repo.current(name);
    if (row === undefined || row.currentVersion === null) return undefined;
    if (row.ciphertext === null || row.createdAt === null) {
      throw new HeptoraError("vault_integrity", {
        message: `The vault failed an integrity check: the stored value of '${name}' is missing.`,
        hint: "Restore the data dir from a backup, or set the value again.",
      });
    }
    const value = sealer.openSecret(name, row.currentVersion, row.createdAt, row.ciphertext);
    return { name, value, version: row.currentVersion, updatedAt: row.createdAt };
  };

  return {
    set(name: string, value: string, context?: AuditContext): SecretInfo {
      const checkedName = checkSecretName(name);
      const checkedValue = checkSecretValue(value);
      const events = auditEvent("secret.set", checkedName, context);
      const at = clock().toISOString();
      const info = writeTransaction(db, () => {
        const row = writeVersion(checkedName, checkedValue, at);
        if (events.length > 0) audit.appendWithin(events);
        return toInfo(row);
      });
      patchList(info);
      return info;
    },

    /** Many values in one transaction (seeding, imports). */
    setMany(entries: readonly { name: string; value: string }[]): SecretInfo[] {
      const checked = entries.map((e) => ({
        name: checkSecretName(e.name),
        value: checkSecretValue(e.value),
      }));
      const at = clock().toISOString();
      return writeTransaction(db, () =>
        checked.map((e) => toInfo(writeVersion(e.name, e.value, at))),
      );
    },

    get(name: string): SecretValue | undefined {
      return openCurrent(checkSecretName(name));
    },

    /** `get` for a name the caller has already checked (a run's read, inside its batch). */
    getChecked(name: string): SecretValue | undefined {
      return openCurrent(name);
    },

    info(name: string): SecretInfo | undefined {
      const row = repo.find(checkSecretName(name));
      return row === undefined ? undefined : toInfo(row);
    },

    list(): SecretInfo[] {
      const dataVersion = repo.dataVersion();
      if (listCache === undefined) {
        // Read the high-water mark first: a row changed during the scan is fetched again later.
        const lastChange = repo.lastChange();
        const list = repo.listInfo();
        for (const info of list) Object.freeze(info);
        listCache = { dataVersion, lastChange, list };
      } else if (listCache.dataVersion !== dataVersion) {
        for (const change of repo.changedSince(listCache.lastChange)) {
          patchList(change.info);
          listCache.lastChange = change.seq;
        }
        listCache.dataVersion = dataVersion;
      }
      return listCache.list.slice();
    },

    unset(name: string, context?: AuditContext): boolean {
      const checkedName = checkSecretName(name);
      const events = auditEvent("secret.unset", checkedName, context);
      const at = clock().toISOString();
      const changed = writeTransaction(db, () => {
        const unset = repo.unset(checkedName, at);
        if (unset && events.length > 0) audit.appendWithin(events);
        return unset;
      });
      const row = changed ? repo.find(checkedName) : undefined;
      if (row !== undefined) patchList(toInfo(row));
      return changed;
    },

    history(name: string): SecretVersion[] {
      const checkedName = checkSecretName(name);
      const current = repo.find(checkedName)?.currentVersion ?? null;
      return repo.versions(checkedName).map((v) => ({
        version: v.version,
        createdAt: v.createdAt,
        current: v.version === current,
      }));
    },

    restore(name: string, version: number, context?: AuditContext): SecretInfo {
      const checkedName = checkSecretName(name);
      const checkedVersion = checkVersion(version);
      const events = auditEvent("secret.restore", checkedName, context, {
        restoredVersion: checkedVersion,
      });
      const at = clock().toISOString();
      const info = writeTransaction(db, () => {
        const old = repo.version(checkedName, checkedVersion);
        if (old === undefined) {
          throw new HeptoraError("version_not_found", {
            message: `'${checkedName}' has no version ${checkedVersion}.`,
            hint: `See the versions kept with \`heptora secrets history ${checkedName}\`.`,
          });
        }
        const value = sealer.openSecret(checkedName, old.version, old.createdAt, old.ciphertext);
        const row = writeVersion(checkedName, value, at);
        if (events.length > 0) audit.appendWithin(events);
        return toInfo(row);
      });
      patchList(info);
      return info;
    },
  };
}

export type SecretStore = ReturnType<typeof createSecretStore>;
