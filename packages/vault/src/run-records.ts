/**
 * Run records (docs/adr/0077): what each `heptora run` did, kept in the vault. A record is
 * written when the run starts (so a run whose robot was killed still shows, "ended unknown") and
 * completed when it ends: exit code or signal, how many values were masked per stream (counts,
 * never content). The names it read are noted at their first read, with the time. The command
 * line a person typed is sealed with the data key, bound to the run id and person; the
 * environment is never recorded. The newest RUN_RECORDS_KEPT records stay; older ones are
 * deleted when a new run starts.
 */
import { HeptoraError } from "@heptora/protocol";
import type { Sealer } from "./sealing.ts";
import { type Db, writeTransaction } from "./store/database.ts";

/** How many run records the vault keeps (the newest; older ones go when a run starts). */
export const RUN_RECORDS_KEPT = 1000;
const MAX_COMMAND_ARGS = 1000;
const MAX_COMMAND_BYTES = 64 * 1024;

export interface RunStart {
  runId: string;
  person: string;
  process: { id: string; name: string };
  /** argv[0] and the arguments as typed; never the environment. */
  command: readonly string[];
  startedAt: string;
}

export interface RunEnd {
  endedAt: string;
  /** null when the run ended without telling (its `heptora run` was killed). */
  exitCode: number | null;
  signal?: string | null;
  masked?: { stdout: number; stderr: number } | null;
}

export interface RunRecordInfo {
  runId: string;
  person: string;
  process: { id: string; name: string };
  command: string[];
  startedAt: string;
  endedAt: string | null;
  exitCode: number | null;
  signal: string | null;
  /** The names the run read, each with the time of its first read. */
  reads: { name: string; at: string }[];
  masked: { stdout: number; stderr: number } | null;
}

type Row = Record<string, unknown>;

export function createRunRecords(deps: { db: Db; sealer: Sealer }) {
  const { db, sealer } = deps;
  const insert = db.prepare(
    `INSERT INTO run_records (id, person, process_id, process_name, started_at, command_sealed)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const prune = db.prepare(
    "DELETE FROM run_records WHERE seq <= (SELECT MAX(seq) FROM run_records) - ?",
  );
  const readsOf = db.prepare("SELECT reads FROM run_records WHERE id = ?");
  const setReads = db.prepare("UPDATE run_records SET reads = ? WHERE id = ?");
  const end = db.prepare(
    `UPDATE run_records SET ended_at = ?, exit_code = ?, signal = ?, masked_stdout = ?,
       masked_stderr = ? WHERE id = ? AND ended_at IS NULL`,
  );
  const list = db.prepare("SELECT * FROM run_records WHERE person = ? ORDER BY seq DESC LIMIT ?");
  const one = db.prepare("SELECT * FROM run_records WHERE person = ? AND id = ?");

  const toInfo = (row: Row): RunRecordInfo => {
    const runId = row.id as string;
    const person = row.person as string;
    const command = JSON.parse(
      sealer.openRunCommand(runId, person, row.command_sealed as Uint8Array),
    ) as string[];
    const stdout = row.masked_stdout as number | null;
    const stderr = row.masked_stderr as number | null;
    return {
      runId,
      person,
      process: { id: row.process_id as string, name: row.process_name as string },
      command,
      startedAt: row.started_at as string,
      endedAt: (row.ended_at as string | null) ?? null,
      exitCode: (row.exit_code as number | null) ?? null,
      signal: (row.signal as string | null) ?? null,
      reads: JSON.parse(row.reads as string) as { name: string; at: string }[],
      masked: stdout === null || stderr === null ? null : { stdout, stderr },
    };
  };

  return {
    start(record: RunStart): void {
      const json = JSON.stringify(record.command);
      if (record.command.length > MAX_COMMAND_ARGS || Buffer.byteLength(json) > MAX_COMMAND_BYTES) {
        throw new HeptoraError("validation_failed", {
          message: "The command of the run is too long to record.",
          hint: `Keep it under ${MAX_COMMAND_ARGS} arguments and ${MAX_COMMAND_BYTES / 1024} KiB.`,
        });
      }
      const sealed = sealer.sealRunCommand(record.runId, record.person, json);
      writeTransaction(db, () => {
        insert.run(
          record.runId,
          record.person,
          record.process.id,
          record.process.name,
          record.startedAt,
          sealed,
        );
        prune.run(RUN_RECORDS_KEPT);
      });
    },
    /** Notes the first read of `name` by the run (later reads of the same name change nothing). */
    noteRead(runId: string, name: string, at: string): void {
      writeTransaction(db, () => {
        const row = readsOf.get(runId) as Row | undefined;
        if (row === undefined) return;
        const reads = JSON.parse(row.reads as string) as { name: string; at: string }[];
        if (reads.some((read) => read.name === name)) return;
        reads.push({ name, at });
        setReads.run(JSON.stringify(reads), runId);
      });
    },
    /** Completes a record; false when there is none or it has ended already. */
    end(runId: string, outcome: RunEnd): boolean {
      const result = end.run(
        outcome.endedAt,
        outcome.exitCode,
        outcome.signal ?? null,
        outcome.masked?.stdout ?? null,
        outcome.masked?.stderr ?? null,
        runId,
      );
      return Number(result.changes) > 0;
    },
    /** The person's runs, newest first. */
    list(person: string, limit: number): RunRecordInfo[] {
      return (list.all(person, limit) as Row[]).map(toInfo);
    },
    get(person: string, runId: string): RunRecordInfo | undefined {
      const row = one.get(person, runId) as Row | undefined;
      return row === undefined ? undefined : toInfo(row);
    },
  };
}
