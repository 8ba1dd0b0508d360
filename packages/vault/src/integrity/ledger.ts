/**
 * Which version of each name is current (or that it is unset), and which process definitions are
 * cached, authenticated as one vault-wide state (docs/adr/0074).
 *
 * Every secrets and processes row carries the generation it was written at and a MAC over its
 * columns (row key). The integrity record holds the vault's generation, the XOR of a secret-keyed
 * hash of every row's MAC (the digest) and a seal over both; every write updates the rows it
 * touched, the digest and the record in the same transaction. A row put back from an older copy of
 * the file carries a genuine MAC, but its hash is not the one the digest holds, so the whole state
 * no longer matches: that is what a per-row MAC alone cannot see. The digest's elements are keyed
 * (never stored), so nobody without the key can pick old rows whose changes cancel out.
 *
 * The full check walks every row; it runs once after opening and again only when another
 * connection has committed (PRAGMA data_version), so a read costs one pragma while nothing else
 * wrote. Updates are incremental: a write never hides a mismatch found before it, except an
 * explicit rebase (a person's own write after being told, see secret-store.ts), which is audited.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { HeptoraError } from "@heptora/protocol";
import type { Db } from "../store/database.ts";
import type {
  IntegrityRecord,
  IntegrityRepo,
  ProcessRowState,
  SecretRowState,
} from "../store/integrity-repo.ts";

const DIGEST_BYTES = 32;

export interface LedgerKeys {
  /** MACs of rows and the seal of the record. */
  rowKey: Buffer;
  /** The digest's elements: HMAC(elementKey, row MAC), never stored. */
  elementKey: Buffer;
}

/** What a write transaction tells the ledger about the rows it changed. */
export interface LedgerTracker {
  /** After inserting or updating (person, name): the row is MAC'd at this write's generation. */
  secretChanged(person: string, name: string): void;
  /** Before deleting (person, name), or before renaming it away. */
  secretRemoving(person: string, name: string): void;
  processChanged(id: string): void;
  processRemoving(id: string): void;
}

const secretKey = (person: string, name: string): string => `s\u0000${person}\u0000${name}`;
const processKey = (id: string): string => `p\u0000${id}`;

export function integrityError(message: string): HeptoraError {
  return new HeptoraError("vault_integrity", {
    message: `The vault failed an integrity check: ${message}`,
    hint: "Run `heptora status` to see what was found; restore the data dir from a backup, or set the value again.",
  });
}

function sameHex(a: string | null, b: string): boolean {
  if (a === null || a.length !== b.length || !/^[0-9a-f]+$/.test(a)) return false;
  return timingSafeEqual(Buffer.from(a, "hex"), Buffer.from(b, "hex"));
}

export function createLedger(deps: {
  db: Db;
  repo: IntegrityRepo;
  keys: LedgerKeys;
  vaultId: string;
}) {
  const { db, repo, keys, vaultId } = deps;

  const secretMac = (row: SecretRowState, gen: number): string =>
    createHmac("sha256", keys.rowKey)
      .update(
        `heptora secret row v1\n${vaultId}\n${row.person}\n${row.name}\n${row.currentVersion ?? "unset"}\n${row.latestVersion}\n${row.updatedAt}\n${gen}`,
        "utf8",
      )
      .digest("hex");

  const processMac = (row: ProcessRowState, gen: number): string =>
    createHmac("sha256", keys.rowKey)
      .update(`heptora process row v1\n${vaultId}\n${row.id}\n${gen}\n`, "utf8")
      .update(row.sealed)
      .digest("hex");

  const sealOf = (generation: number, digest: string): string =>
    createHmac("sha256", keys.rowKey)
      .update(`heptora integrity record v1\n${vaultId}\n${generation}\n${digest}`, "utf8")
      .digest("hex");

  const toggle = (digest: Buffer, mac: string): void => {
    const element = createHmac("sha256", keys.elementKey).update(mac, "utf8").digest();
    for (let i = 0; i < DIGEST_BYTES; i++) {
      digest[i] = (digest[i] as number) ^ (element[i] as number);
    }
  };

  /** The tracker of the write under way: a nested trackWithin joins it. */
  let active: LedgerTracker | undefined;
  /**
   * The last full check: the data_version it saw, what it found (undefined: all fine) and which
   * rows it concerns: "all" when the state as a whole does not match (no way to tell which row
   * was put back), else the rows whose own MAC fails (their stored MACs still add up).
   */
  let verified:
    | { dataVersion: number; problem: string | undefined; bad: ReadonlySet<string> | "all" }
    | undefined;

  /**
   * Every row's MAC (a prefix) as of the last check that passed, kept up to date by this
   * instance's own writes: when the state stops matching, the rows that differ from it are the
   * ones put back, and only they are refused. Without it (a first check after opening) every read
   * is refused, since nothing says which row is the older one.
   */
  let known: Map<string, string> | undefined;
  const short = (mac: string): string => mac.slice(0, 16);

  /** Walks every row: what is wrong, and where. */
  function fullCheck(record: IntegrityRecord | undefined): {
    problem: string | undefined;
    bad: ReadonlySet<string> | "all";
  } {
    if (record === undefined) {
      return {
        problem: "its integrity record (which versions are current) is missing.",
        bad: "all",
      };
    }
    if (!sameHex(record.seal, sealOf(record.generation, record.digest))) {
      return {
        problem: "its integrity record (which versions are current) was changed outside Heptora.",
        bad: "all",
      };
    }
    const digest = Buffer.alloc(DIGEST_BYTES);
    const bad = new Set<string>();
    const problems: string[] = [];
    const seen = new Map<string, string>();
    const names = new Map<string, string>();
    for (const row of repo.allSecrets()) {
      const key = secretKey(row.person, row.name);
      seen.set(key, short(row.mac ?? ""));
      names.set(key, `the record of '${row.name}'`);
      if (row.gen > record.generation || !sameHex(row.mac, secretMac(row, row.gen))) {
        bad.add(secretKey(row.person, row.name));
        problems.push(
          `the record of '${row.name}' (which version is current) was changed outside Heptora.`,
        );
      }
      if (row.mac !== null) toggle(digest, row.mac);
    }
    for (const row of repo.allProcesses()) {
      const key = processKey(row.id);
      seen.set(key, short(row.mac ?? ""));
      names.set(key, `the cached process '${row.id}'`);
      if (row.gen > record.generation || !sameHex(row.mac, processMac(row, row.gen))) {
        bad.add(processKey(row.id));
        problems.push(`the cached process '${row.id}' was changed outside Heptora.`);
      }
      if (row.mac !== null) toggle(digest, row.mac);
    }
    if (!sameHex(record.digest, digest.toString("hex"))) {
      const changed = new Set<string>();
      if (known !== undefined) {
        for (const [key, mac] of seen) if (known.get(key) !== mac) changed.add(key);
        for (const key of known.keys()) if (!seen.has(key)) changed.add(key);
      }
      const named = [...changed].flatMap((key) => names.get(key) ?? []);
      if (named.length > 0) {
        return {
          problem: `${named.slice(0, 5).join(", ")} was put back to an older state or removed (rows copied from an older copy of the vault file).`,
          bad: changed,
        };
      }
      return {
        problem:
          "which versions are current, which values are unset or which process definitions are cached was put back to an older state (rows copied from an older copy of the vault file).",
        bad: "all",
      };
    }
    known = seen;
    if (problems.length === 0) return { problem: undefined, bad };
    return { problem: problems.slice(0, 5).join(" "), bad };
  }

  /**
   * Runs `work` on one snapshot of the file (a read transaction, unless the caller's transaction
   * already is one): a writer committing halfway through the walk must not look like tampering.
   */
  function snapshot<T>(work: () => T): T {
    if (db.isTransaction) return work();
    db.exec("BEGIN");
    try {
      return work();
    } finally {
      if (db.isTransaction) db.exec("COMMIT");
    }
  }

  /** The last full check, done again only when another connection committed. */
  function current(seen?: number): NonNullable<typeof verified> {
    const dataVersion = seen ?? repo.dataVersion();
    if (verified === undefined || verified.dataVersion !== dataVersion) {
      verified = snapshot(() => ({ dataVersion: repo.dataVersion(), ...fullCheck(repo.record()) }));
    }
    return verified;
  }

  /** What is wrong with the vault-wide state, or undefined. */
  function problem(): string | undefined {
    return current().problem;
  }

  /** MACs every row at `generation` and returns the digest (a first open, or a rebase). */
  function macEverything(generation: number): Buffer {
    const digest = Buffer.alloc(DIGEST_BYTES);
    const secrets = [...repo.allSecrets()];
    const seen = new Map<string, string>();
    for (const row of secrets) {
      const mac = secretMac(row, generation);
      repo.markSecret(row.person, row.name, generation, mac);
      toggle(digest, mac);
      seen.set(secretKey(row.person, row.name), short(mac));
    }
    for (const row of repo.allProcesses()) {
      const mac = processMac(row, generation);
      repo.markProcess(row.id, generation, mac);
      toggle(digest, mac);
      seen.set(processKey(row.id), short(mac));
    }
    known = seen;
    return digest;
  }

  return {
    /**
     * Throws vault_integrity about `what` (e.g. "which version of 'SAP_USER' is current") when
     * the vault-wide state does not verify. One pragma while nothing else wrote.
     */
    check(
      what: string,
      row?: { person: string; name: string } | { processes: true },
      dataVersion?: number,
    ): void {
      const found = current(dataVersion);
      if (found.problem === undefined) return;
      const concerned =
        found.bad === "all" ||
        row === undefined ||
        ("processes" in row
          ? [...found.bad].some((key) => key.startsWith("p\u0000"))
          : found.bad.has(secretKey(row.person, row.name)));
      if (concerned) throw integrityError(`${what} cannot be trusted: ${found.problem}`);
    },
    /** What is wrong with the vault-wide state, or undefined. */
    problem,
    /** The generation of the last write (0 before the record exists). */
    generation(): number {
      return repo.record()?.generation ?? 0;
    },
    /** True when the vault has no integrity record yet (a vault from before schema 5). */
    missing(): boolean {
      return repo.record() === undefined;
    },
    /**
     * MACs every row and writes the record: the first open after schema 5, and a person's rebase.
     * Call inside a write transaction.
     */
    rebaseWithin(): void {
      const generation = (repo.record()?.generation ?? 0) + 1;
      const digest = macEverything(generation).toString("hex");
      repo.saveRecord({ generation, digest, seal: sealOf(generation, digest) });
      verified = { dataVersion: repo.dataVersion(), problem: undefined, bad: new Set() };
    },
    /**
     * Runs `work` (inside the caller's write transaction) and records the rows it reported as
     * one new generation. Never fixes a mismatch found earlier: that stays visible.
     */
    trackWithin<T>(work: (tracker: LedgerTracker) => T): T {
      if (active !== undefined) return work(active);
      const record = repo.record();
      const generation = (record?.generation ?? 0) + 1;
      const digest =
        record !== undefined && /^[0-9a-f]{64}$/.test(record.digest)
          ? Buffer.from(record.digest, "hex")
          : Buffer.alloc(DIGEST_BYTES);
      const tracker: LedgerTracker = {
        secretChanged(person, name) {
          const row = repo.secret(person, name);
          if (row === undefined) return;
          if (row.mac !== null) toggle(digest, row.mac);
          const mac = secretMac(row, generation);
          repo.markSecret(person, name, generation, mac);
          toggle(digest, mac);
          known?.set(secretKey(person, name), short(mac));
        },
        secretRemoving(person, name) {
          const mac = repo.secret(person, name)?.mac ?? null;
          if (mac !== null) toggle(digest, mac);
          known?.delete(secretKey(person, name));
        },
        processChanged(id) {
          const row = repo.process(id);
          if (row === undefined) return;
          if (row.mac !== null) toggle(digest, row.mac);
          const mac = processMac(row, generation);
          repo.markProcess(id, generation, mac);
          toggle(digest, mac);
          known?.set(processKey(id), short(mac));
        },
        processRemoving(id) {
          const mac = repo.process(id)?.mac ?? null;
          if (mac !== null) toggle(digest, mac);
          known?.delete(processKey(id));
        },
      };
      active = tracker;
      let result: T;
      try {
        result = work(tracker);
      } finally {
        active = undefined;
      }
      const hex = digest.toString("hex");
      repo.saveRecord({ generation, digest: hex, seal: sealOf(generation, hex) });
      return result;
    },
    /** Every secrets row of `person` (to report removals of a whole person). */
    rowsOf(person: string): SecretRowState[] {
      return repo.secretsOf(person);
    },
    /** Every process id (to report a full replacement). */
    processIds(): string[] {
      return repo.allProcesses().map((p) => p.id);
    },
  };
}

export type Ledger = ReturnType<typeof createLedger>;
