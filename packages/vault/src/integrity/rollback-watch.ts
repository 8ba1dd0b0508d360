/**
 * Compares the vault file with the rollback checkpoint kept beside the key file (see
 * checkpoint.ts, docs/adr/0074), at open and on `heptora audit verify`, and moves the checkpoint
 * forward after commits. Once the file is found older than the checkpoint, the checkpoint stays
 * where it was (the evidence) and every start says so again.
 */
import type { AuditProblem } from "../audit/chain.ts";
import type { IntegrityRepo } from "../store/integrity-repo.ts";
import {
  auditHash,
  type CheckpointState,
  checkpointPath,
  macMatches,
  readCheckpoint,
  writeCheckpoint,
} from "./checkpoint.ts";

export interface RollbackWatchDeps {
  keyFile: string;
  key: Buffer;
  vaultId: string;
  repo: Pick<IntegrityRepo, "auditHead" | "auditMacAt" | "record">;
  /** The vault was created by this open (nothing to compare with yet). */
  created: boolean;
  /** The vault had no integrity record before this open (a vault from before schema 5). */
  upgraded: boolean;
}

/** How the file compares with the checkpoint: what it last recorded, and what is wrong. */
interface Finding {
  /** The checkpoint's seq when the file's audit log is behind it or diverged from it. */
  behindSeq?: number;
  problems: string[];
}

export function createRollbackWatch(deps: RollbackWatchDeps) {
  const { keyFile, key, vaultId, repo } = deps;
  const path = checkpointPath(keyFile);
  let lost: CheckpointState["lost"];
  let frozen = false;
  /** Found at open: the file's log ended at `from - 1`, this machine had recorded `to`. */
  let cutAtOpen: { from: number; to: number } | undefined;
  let lastWritten = 0;

  function current(): { generation: number; auditSeq: number; auditHash: string } {
    const head = repo.auditHead();
    return {
      generation: repo.record()?.generation ?? 0,
      auditSeq: head?.seq ?? 0,
      auditHash: auditHash(head?.mac ?? ""),
    };
  }

  /** Compares the file with a checkpoint of this vault whose MAC holds. */
  function compare(state: CheckpointState): Finding {
    const now = current();
    const atSeq = repo.auditMacAt(state.auditSeq);
    const diverged =
      state.auditSeq > 0 &&
      now.auditSeq >= state.auditSeq &&
      (atSeq === undefined || auditHash(atSeq) !== state.auditHash);
    if (now.auditSeq < state.auditSeq || diverged || now.generation < state.generation) {
      return {
        behindSeq: state.auditSeq,
        problems: [
          `The vault file is older than what this machine last saw: it was restored from an older copy, or its audit log was cut and an older head put back. This machine recorded audit entry ${state.auditSeq} (write ${state.generation}, ${state.at}); the file ends at entry ${now.auditSeq} (write ${now.generation}).`,
        ],
      };
    }
    return { problems: [] };
  }

  function lostProblem(): string[] {
    if (lost === undefined) return [];
    return [
      `The vault file was deleted or replaced: this machine last saw vault ${lost.vaultId} with ${lost.auditSeq} audit entries (${lost.at}); this is another vault, ${vaultId}, with none of its values or history.`,
    ];
  }

  function inspect(): string[] {
    const read = readCheckpoint(path);
    if (read.kind === "missing") {
      if (deps.created || deps.upgraded) return [];
      return [
        `The rollback checkpoint ${path} is missing: a vault file restored from an older copy cannot be ruled out this time.`,
      ];
    }
    if (read.kind === "unreadable") {
      return [`The rollback checkpoint ${path} is damaged: it was changed outside Heptora.`];
    }
    if (read.state.vaultId !== vaultId) {
      // Another vault's checkpoint (its key is gone with its file): this vault replaced it.
      lost = read.state.lost ?? {
        vaultId: read.state.vaultId,
        auditSeq: read.state.auditSeq,
        at: read.state.at,
      };
      return lostProblem();
    }
    if (!macMatches(key, read)) {
      return [`The rollback checkpoint ${path} was changed outside Heptora.`];
    }
    lost = read.state.lost;
    const finding = compare(read.state);
    if (finding.behindSeq !== undefined) {
      frozen = true;
      const head = current().auditSeq;
      if (head < finding.behindSeq) cutAtOpen = { from: head + 1, to: finding.behindSeq };
    }
    return [...lostProblem(), ...finding.problems];
  }

  const startProblems = inspect();

  return {
    /** What the comparison at open found (empty when the file is as this machine last saw it). */
    startProblems(): string[] {
      return [...startProblems];
    },
    /** The highest audit seq this machine recorded for this vault (0 when unknown). */
    highWater(): number {
      const read = readCheckpoint(path);
      const recorded =
        read.kind === "found" && read.state.vaultId === vaultId && macMatches(key, read)
          ? read.state.auditSeq
          : 0;
      return Math.max(recorded, lastWritten);
    },
    /** The checkpoint's view of the audit log, as problems of `heptora audit verify`. */
    auditProblems(): AuditProblem[] {
      const read = readCheckpoint(path);
      if (read.kind !== "found" || read.state.vaultId !== vaultId || !macMatches(key, read)) {
        return [];
      }
      if (cutAtOpen !== undefined) {
        return [
          {
            seq: cutAtOpen.from,
            kind: "truncated",
            message: `Entries ${cutAtOpen.from} to ${cutAtOpen.to} were removed and an older audit head put back: this machine recorded entry ${cutAtOpen.to} (its checkpoint beside the key file).`,
          },
        ];
      }
      const finding = compare(read.state);
      if (finding.behindSeq === undefined) return [];
      const head = current().auditSeq;
      return [
        {
          seq: Math.min(head + 1, finding.behindSeq),
          kind: "truncated",
          message:
            head < finding.behindSeq
              ? `Entries ${head + 1} to ${finding.behindSeq} were removed and an older audit head put back: this machine recorded entry ${finding.behindSeq} (its checkpoint beside the key file).`
              : `The log was rewritten from before entry ${finding.behindSeq}: the entry this machine recorded there is gone (an older copy of the vault file was put back and written to since).`,
        },
      ];
    },
    /** Moves the checkpoint to the file's current state (not once the file was found older). */
    advance(): void {
      if (frozen) return;
      const now = current();
      if (now.auditSeq < lastWritten) return;
      const state: CheckpointState = { vaultId, ...now, at: new Date().toISOString() };
      if (lost !== undefined) state.lost = lost;
      try {
        writeCheckpoint(path, key, state);
        lastWritten = now.auditSeq;
      } catch {
        // A checkpoint that cannot be written weakens the rollback check; it never fails a write
        // that has committed. The next start says the checkpoint is missing or behind.
      }
    },
    path,
  };
}

export type RollbackWatch = ReturnType<typeof createRollbackWatch>;
