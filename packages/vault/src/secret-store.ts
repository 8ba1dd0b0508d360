/**
 * Secret values keyed by person and name (docs/adr/0066; every call names the person, already
 * normalised by the facade): set (a new version every time), read, unset (history kept),
 * history and restore. Every write is one BEGIN IMMEDIATE transaction, so concurrent writers
 * (threads of one daemon or two processes) are serialised and version numbers never collide.
 * A write can carry an audit entry, committed in the same transaction as the value.
 */
import { HeptoraError } from "@heptora/protocol";
import type { AuditLog } from "./audit/audit-log.ts";
import type { Ledger, LedgerTracker } from "./integrity/ledger.ts";
import type { Sealer } from "./sealing.ts";
import { type Db, writeTransaction } from "./store/database.ts";
import type { SecretRow, SecretsRepo } from "./store/secrets-repo.ts";
import type {
  AuditContext,
  AuditEventInput,
  RenameOutcome,
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
  ledger: Pick<Ledger, "check" | "problem" | "trackWithin" | "rebaseWithin" | "rowsOf">;
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
  person: string,
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
      person,
      ...(Object.keys(merged).length > 0 ? { details: merged } : {}),
    }),
  ];
}

export function createSecretStore(deps: SecretStoreDeps) {
  const { db, repo, sealer, audit, clock, ledger } = deps;

  /**
   * A person's own write (set, restore, unset): tracked by the ledger. When the vault-wide state
   * had already failed its check, the person has been told (status, refused reads); their write
   * accepts the vault as it now is (a rebase), recorded as a `vault.tampered` entry in the same
   * transaction (docs/adr/0074).
   */
  const personWrite = <T>(work: (tracker: LedgerTracker) => T): T => {
    const found = ledger.problem();
    const result = ledger.trackWithin(work);
    if (found !== undefined) {
      ledger.rebaseWithin();
      audit.appendWithin([
        {
          type: "vault.tampered",
          outcome: "failed",
          reason: `${found} The vault's current records were accepted by a person's write.`,
        },
      ]);
    }
    return result;
  };
  // The list of names is cached, per person. This instance's own writes patch it; when another
  // connection (another process) has committed (PRAGMA data_version), only the person's rows
  // changed since the last change_seq seen are fetched. Only the first list of a person after
  // opening scans all their names.
  const listCaches = new Map<
    string,
    { dataVersion: number; lastChange: number; list: SecretInfo[] }
  >();

  /** Applies a committed write to the person's cached list (binary search by name). */
  const patchList = (person: string, info: SecretInfo): void => {
    const listCache = listCaches.get(person);
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
  const writeVersion = (
    tracker: LedgerTracker,
    person: string,
    name: string,
    value: string,
    at: string,
  ): SecretRow => {
    const previous = repo.find(person, name);
    // After a row was rolled back (docs/adr/0074), newer versions than its latest may be kept.
    const newestKept = previous === undefined ? 0 : (repo.versions(person, name)[0]?.version ?? 0);
    const version = Math.max(previous?.latestVersion ?? 0, newestKept) + 1;
    const row: SecretRow = { name, currentVersion: version, latestVersion: version, updatedAt: at };
    repo.save(person, row);
    tracker.secretChanged(person, name);
    repo.insertVersion(person, name, {
      version,
      ciphertext: sealer.sealSecret(person, name, version, at, value),
      createdAt: at,
    });
    if (version > KEPT_VERSIONS) repo.pruneThrough(person, name, version - KEPT_VERSIONS);
    return row;
  };

  const openCurrent = (person: string, name: string): SecretValue | undefined => {
    // The row and data_version come from one statement (one snapshot): the vault-wide check is
    // then one comparison while no other connection has written (docs/adr/0074).
    const row = repo.current(person, name);
    ledger.check(`which version of '${name}' is current`, { person, name }, row?.dataVersion);
    if (row === undefined || row.currentVersion === null) return undefined;
    if (row.ciphertext === null || row.createdAt === null) {
      throw new HeptoraError("vault_integrity", {
        message: `The vault failed an integrity check: the stored value of '${name}' is missing.`,
        hint: "Restore the data dir from a backup, or set the value again.",
      });
    }
    const value = sealer.openSecret(
      person,
      name,
      row.currentVersion,
      row.createdAt,
      row.ciphertext,
    );
    return { name, value, version: row.currentVersion, updatedAt: row.createdAt };
  };

  /**
   * Moves `person`'s row `from` and its kept versions to `to`, each version opened with its old
   * associated data and sealed again under the new name. Call inside a write transaction, with
   * `to` free for the person.
   */
  const moveName = (tracker: LedgerTracker, person: string, from: string, to: string): void => {
    const kept = repo.versions(person, from);
    // The versions follow (ON UPDATE CASCADE); they are re-sealed just below. The row keeps its
    // old MAC until secretChanged replaces it (and its share of the digest).
    repo.rename(person, from, to);
    tracker.secretChanged(person, to);
    for (const { version } of kept) {
      const old = repo.version(person, to, version);
      if (old === undefined) continue;
      const value = sealer.openSecret(person, from, version, old.createdAt, old.ciphertext);
      repo.reseal(
        person,
        to,
        version,
        sealer.sealSecret(person, to, version, old.createdAt, value),
      );
    }
  };

  const renameTracked = (
    tracker: LedgerTracker,
    from: string,
    to: string,
    context: AuditContext | undefined,
  ): RenameOutcome => {
    const outcome: RenameOutcome = { from, to, moved: 0, kept: 0 };
    const events: AuditEventInput[] = [];
    for (const person of repo.peopleWith(from)) {
      if (repo.find(person, to) !== undefined) {
        outcome.kept++;
        if (context !== undefined) {
          events.push(
            checkAuditEvent({
              ...context,
              type: "secret.renamed",
              name: from,
              person,
              outcome: "failed",
              reason:
                "the new name already has a value here: both are kept, the old one undeclared",
              details: { ...context.details, from, to },
            }),
          );
        }
        continue;
      }
      moveName(tracker, person, from, to);
      outcome.moved++;
      events.push(...auditEvent("secret.renamed", person, to, context, { from, to }));
    }
    if (events.length > 0) audit.appendWithin(events);
    return outcome;
  };

  return {
    /**
     * A variable renamed on the platform: every person's value and history under `from` move to
     * `to` (re-sealed). A person who already has `to` keeps both; the old one stays, undeclared,
     * and the entry says so. Call inside a write transaction (the definitions' apply); then
     * `forgetLists()`.
     */
    renameWithin(from: string, to: string, context?: AuditContext): RenameOutcome {
      return ledger.trackWithin((tracker) => renameTracked(tracker, from, to, context));
    },
    /** Drops the cached lists of names (after renames). */
    forgetLists(): void {
      listCaches.clear();
    },

    /**
     * Moves `person`'s value `from` (no process declares it any more) and its history onto the
     * declared name `to`, which has no value yet; refuses otherwise. One transaction, audited
     * `secret.moved`.
     */
    move(
      person: string,
      from: string,
      to: string,
      declared: () => ReadonlySet<string>,
      context?: AuditContext,
    ): SecretInfo {
      const source = checkSecretName(from);
      const target = checkSecretName(to);
      const events = auditEvent("secret.moved", person, target, context, {
        from: source,
        to: target,
      });
      const info = writeTransaction(db, () => {
        const names = declared();
        if (source === target) {
          throw new HeptoraError("validation_failed", {
            message: `'${source}' cannot be moved onto itself.`,
          });
        }
        if (names.has(source)) {
          throw new HeptoraError("validation_failed", {
            message: `'${source}' is declared by a process: only a value no process declares any more can be moved.`,
          });
        }
        if (!names.has(target)) {
          throw new HeptoraError("secret_not_declared", {
            message: `No process assigned to you declares '${target}': a value can only be moved onto a declared name.`,
          });
        }
        if (repo.find(person, source) === undefined) {
          throw new HeptoraError("secret_value_missing", {
            message: `You have no value under '${source}' on this robot.`,
          });
        }
        if (repo.find(person, target) !== undefined) {
          throw new HeptoraError("validation_failed", {
            message: `'${target}' already has a value (or its history) on this robot: it is not overwritten.`,
            hint: `Remove the one you do not want first, then move '${source}' again.`,
          });
        }
        personWrite((tracker) => moveName(tracker, person, source, target));
        if (events.length > 0) audit.appendWithin(events);
        return toInfo(repo.find(person, target) as SecretRow);
      });
      listCaches.delete(person);
      return info;
    },

    set(person: string, name: string, value: string, context?: AuditContext): SecretInfo {
      const checkedName = checkSecretName(name);
      const checkedValue = checkSecretValue(value);
      const events = auditEvent("secret.set", person, checkedName, context);
      const at = clock().toISOString();
      const info = writeTransaction(db, () => {
        const row = personWrite((tracker) =>
          writeVersion(tracker, person, checkedName, checkedValue, at),
        );
        if (events.length > 0) audit.appendWithin(events);
        return toInfo(row);
      });
      patchList(person, info);
      return info;
    },

    /** Many values in one transaction (seeding, imports). */
    setMany(person: string, entries: readonly { name: string; value: string }[]): SecretInfo[] {
      const checked = entries.map((e) => ({
        name: checkSecretName(e.name),
        value: checkSecretValue(e.value),
      }));
      const at = clock().toISOString();
      const infos = writeTransaction(db, () =>
        ledger.trackWithin((tracker) =>
          checked.map((e) => toInfo(writeVersion(tracker, person, e.name, e.value, at))),
        ),
      );
      for (const info of infos) patchList(person, info);
      return infos;
    },

    get(person: string, name: string): SecretValue | undefined {
      return openCurrent(person, checkSecretName(name));
    },

    /** `get` for a name the caller has already checked (a run's read, inside its batch). */
    getChecked(person: string, name: string): SecretValue | undefined {
      return openCurrent(person, name);
    },

    info(person: string, name: string): SecretInfo | undefined {
      const row = repo.find(person, checkSecretName(name));
      return row === undefined ? undefined : toInfo(row);
    },

    list(person: string): SecretInfo[] {
      const dataVersion = repo.dataVersion();
      let listCache = listCaches.get(person);
      if (listCache === undefined) {
        // Read the high-water mark first: a row changed during the scan is fetched again later.
        const lastChange = repo.lastChange();
        const list = repo.listInfo(person);
        for (const info of list) Object.freeze(info);
        listCache = { dataVersion, lastChange, list };
        listCaches.set(person, listCache);
      } else if (listCache.dataVersion !== dataVersion) {
        for (const change of repo.changedSince(person, listCache.lastChange)) {
          patchList(person, change.info);
          listCache.lastChange = change.seq;
        }
        listCache.dataVersion = dataVersion;
      }
      return listCache.list.slice();
    },

    unset(person: string, name: string, context?: AuditContext): boolean {
      const checkedName = checkSecretName(name);
      const events = auditEvent("secret.unset", person, checkedName, context);
      const at = clock().toISOString();
      const changed = writeTransaction(db, () => {
        const unset = personWrite((tracker) => {
          const changed = repo.unset(person, checkedName, at);
          if (changed) tracker.secretChanged(person, checkedName);
          return changed;
        });
        if (unset && events.length > 0) audit.appendWithin(events);
        return unset;
      });
      const row = changed ? repo.find(person, checkedName) : undefined;
      if (row !== undefined) patchList(person, toInfo(row));
      return changed;
    },

    history(person: string, name: string): SecretVersion[] {
      const checkedName = checkSecretName(name);
      const current = repo.find(person, checkedName)?.currentVersion ?? null;
      return repo.versions(person, checkedName).map((v) => ({
        version: v.version,
        createdAt: v.createdAt,
        current: v.version === current,
      }));
    },

    restore(person: string, name: string, version: number, context?: AuditContext): SecretInfo {
      const checkedName = checkSecretName(name);
      const checkedVersion = checkVersion(version);
      const events = auditEvent("secret.restore", person, checkedName, context, {
        restoredVersion: checkedVersion,
      });
      const at = clock().toISOString();
      const info = writeTransaction(db, () => {
        const old = repo.version(person, checkedName, checkedVersion);
        if (old === undefined) {
          throw new HeptoraError("version_not_found", {
            message: `'${checkedName}' has no version ${checkedVersion}.`,
            hint: `See the versions kept with \`heptora secrets history ${checkedName}\`.`,
          });
        }
        const value = sealer.openSecret(
          person,
          checkedName,
          old.version,
          old.createdAt,
          old.ciphertext,
        );
        const row = personWrite((tracker) => writeVersion(tracker, person, checkedName, value, at));
        if (events.length > 0) audit.appendWithin(events);
        return toInfo(row);
      });
      patchList(person, info);
      return info;
    },

    /**
     * Removes every value and kept version of `person` (someone else's values, stranded on this
     * machine); never opens them. The entry carries the number of names removed.
     */
    forget(person: string, context?: AuditContext): number {
      const count = writeTransaction(db, () => {
        const removed = ledger.trackWithin((tracker) => {
          for (const row of ledger.rowsOf(person)) tracker.secretRemoving(person, row.name);
          return repo.forget(person);
        });
        if (context !== undefined) {
          audit.appendWithin([
            checkAuditEvent({
              outcome: "ok",
              ...context,
              type: "person.forgotten",
              person,
              details: { ...context.details, count: removed },
            }),
          ]);
        }
        return removed;
      });
      listCaches.delete(person);
      return count;
    },

    /** The persons with values here; "" is the unclaimed owner of values from before schema 4. */
    people(): string[] {
      return repo.people();
    },

    /**
     * Gives the unclaimed values (from before schema 4) to `person`: each kept version is opened
     * with its old associated data and sealed again bound to the person, in one transaction. A
     * name the person already has stays theirs; the unclaimed one is kept unclaimed. Returns the
     * number of names claimed.
     */
    claimUnowned(person: string, context?: AuditContext): number {
      const count = writeTransaction(db, () =>
        ledger.trackWithin((tracker) => {
          const taken = new Set(repo.listInfo(person).map((i) => i.name));
          const versions = repo.allVersions("").filter((v) => !taken.has(v.name));
          const claimed = new Set<string>();
          for (const info of repo.listInfo("")) {
            if (taken.has(info.name)) continue;
            // Its versions follow (ON UPDATE CASCADE); they are re-sealed just below.
            repo.move("", person, info.name);
            tracker.secretChanged(person, info.name);
            claimed.add(info.name);
          }
          for (const old of versions) {
            const value = sealer.openSecret(
              "",
              old.name,
              old.version,
              old.createdAt,
              old.ciphertext,
            );
            const sealed = sealer.sealSecret(person, old.name, old.version, old.createdAt, value);
            repo.reseal(person, old.name, old.version, sealed);
          }
          if (claimed.size > 0 && context !== undefined) {
            audit.appendWithin([
              checkAuditEvent({
                outcome: "ok",
                ...context,
                type: "person.claimed",
                person,
                details: { ...context.details, count: claimed.size },
              }),
            ]);
          }
          return claimed.size;
        }),
      );
      listCaches.clear();
      return count;
    },
  };
}

export type SecretStore = ReturnType<typeof createSecretStore>;
