/**
 * Run records as the person sees them (docs/adr/0077), and the pre-run check's error: a run is
 * "running" while its `heptora run` is connected; a record that never got its end (the robot or
 * `heptora run` was killed) reads "ended" with an unknown end and exit code.
 */
import { HeptoraError, type RunDetail, type RunSummary } from "@heptora/protocol";
import type { RunRecordInfo } from "@heptora/vault";

export interface RunEndInput {
  exitCode: number;
  signal: string | null;
  masked: { stdout: number; stderr: number };
}

export function runSummary(record: RunRecordInfo, active: ReadonlySet<string>): RunSummary {
  const running = record.endedAt === null && active.has(record.runId);
  return {
    runId: record.runId,
    process: record.process,
    state: running ? "running" : "ended",
    startedAt: record.startedAt,
    endedAt: record.endedAt,
    exitCode: record.exitCode,
    signal: record.signal,
    masked: record.masked,
    namesRead: record.reads.length,
  };
}

export function runDetail(record: RunRecordInfo, active: ReadonlySet<string>): RunDetail {
  return { ...runSummary(record, active), command: record.command, reads: record.reads };
}

/** `heptora run` refused: the process declares names without a value for this person. */
export function missingValuesError(processName: string, missing: readonly string[]): HeptoraError {
  const shown = missing.slice(0, 20).join(", ");
  const more = missing.length > 20 ? ` and ${missing.length - 20} more` : "";
  return new HeptoraError("secret_value_missing", {
    message: `Process '${processName}' needs ${missing.length === 1 ? "a value" : "values"} you have not set on this robot: ${shown}${more}.`,
    hint: `Set ${missing.length === 1 ? "it" : "each"} with: heptora secrets set ${missing[0]} (or in the Secrets window: heptora ui), or start anyway with --allow-missing.`,
  });
}
