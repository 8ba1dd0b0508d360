/**
 * `heptora runs list [--limit N] [--json]`: your recent runs, newest first (docs/adr/0077): state,
 * exit code, how many names each read, how many values were masked in stdout/stderr.
 */
import type { RunSummary } from "@heptora/protocol";
import type { CommandRun } from "../command.ts";
import { flag, printJson, stringOption, UsageError, writeLine } from "../command.ts";
import { formatTable, formatTime } from "../table.ts";

export const run: CommandRun = async ({ client, options, io }) => {
  const limitText = stringOption(options, "limit");
  const limit = limitText === undefined ? 50 : Number(limitText);
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000) {
    throw new UsageError("--limit must be a whole number between 1 and 1000.");
  }
  const answer = await client().runsList(limit);
  if (flag(options, "json")) {
    printJson(io, answer);
    return 0;
  }
  if (answer.runs.length === 0) {
    writeLine(
      io.stdout,
      "You have no runs on this robot yet. Start one with: heptora run PROCESS -- CMD",
    );
    return 0;
  }
  const rows = answer.runs.map((r) => [
    r.runId,
    r.process.name,
    formatTime(r.startedAt),
    r.state,
    exitText(r),
    String(r.namesRead),
    maskedText(r),
  ]);
  writeLine(
    io.stdout,
    formatTable(
      ["Run", "Process", "Started", "State", "Exit", "Names read", "Masked (out/err)"],
      rows,
    ),
  );
  return 0;
};

export function exitText(r: RunSummary): string {
  if (r.state === "running") return "";
  if (r.exitCode === null) return "unknown";
  return r.signal === null ? String(r.exitCode) : `${r.exitCode} (${r.signal})`;
}

export function maskedText(r: RunSummary): string {
  return r.masked === null ? "" : `${r.masked.stdout}/${r.masked.stderr}`;
}
