/** `heptora runs show RUN_ID [--json]`: everything recorded for one of your runs (ADR 0077). */
import type { CommandRun } from "../command.ts";
import { flag, printJson, writeLine } from "../command.ts";
import { formatTable, formatTime } from "../table.ts";
import { exitText, maskedText } from "./runs-list.ts";

export const run: CommandRun = async ({ client, args, options, io }) => {
  const detail = await client().runsShow(args[0] as string);
  if (flag(options, "json")) {
    printJson(io, detail);
    return 0;
  }
  const ended =
    detail.state === "running"
      ? ""
      : detail.endedAt === null
        ? "unknown"
        : formatTime(detail.endedAt);
  const lines: [string, string][] = [
    ["Run", detail.runId],
    ["Process", detail.process.name],
    ["Command", detail.command.map(quote).join(" ")],
    ["State", detail.state],
    ["Started", formatTime(detail.startedAt)],
    ["Ended", ended],
    ["Exit", exitText(detail)],
    ["Masked", detail.masked === null ? "" : `${maskedText(detail)} (stdout/stderr)`],
  ];
  for (const [label, value] of lines) writeLine(io.stdout, `${`${label}:`.padEnd(10)}${value}`);
  writeLine(io.stdout);
  if (detail.reads.length === 0) writeLine(io.stdout, "It read no secret.");
  else {
    const rows = detail.reads.map((read) => [read.name, formatTime(read.at)]);
    writeLine(io.stdout, formatTable(["Name read", "First read"], rows));
  }
  return 0;
};

/** An argument as a shell would need it, so the command reads as typed. */
function quote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}
