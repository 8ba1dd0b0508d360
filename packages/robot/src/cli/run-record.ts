/**
 * The end of `heptora run`'s record (docs/adr/0077): tells the daemon how the child ended and how
 * many values were masked per stream. A failure here never changes the run's exit code: the
 * record then reads "ended unknown" (the daemon ends it when the run's connection closes).
 */
import type { ChildOutcome } from "../runner/run-child.ts";
import type { CliIo } from "./command.ts";
import { writeLine } from "./command.ts";
import type { RobotClient } from "./robot-client.ts";

export async function endRunRecord(
  client: Pick<RobotClient, "endRun">,
  runId: string,
  outcome: ChildOutcome,
  io: CliIo,
): Promise<void> {
  try {
    await client.endRun(runId, {
      exitCode: Math.min(255, Math.max(0, outcome.exitCode)),
      signal: outcome.signal ?? null,
      masked: outcome.masked,
    });
  } catch (error) {
    writeLine(
      io.stderr,
      `heptora: the run's record could not be completed (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
}
