/** `heptora audit list [--json]`: the newest audit entries (no value is ever in the log). */
import { LocalAuditEventTypes } from "@heptora/protocol";
import type { CommandRun } from "../command.ts";
import { flag, printJson, stringOption, UsageError, writeLine } from "../command.ts";
import { formatTable, formatTime } from "../table.ts";

export const run: CommandRun = async ({ client, options, io }) => {
  const limitText = stringOption(options, "limit");
  const limit = limitText === undefined ? 50 : Number(limitText);
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000) {
    throw new UsageError("--limit must be a whole number between 1 and 1000.");
  }
  const type = stringOption(options, "type");
  if (type !== undefined && !(LocalAuditEventTypes as readonly string[]).includes(type)) {
    throw new UsageError(`--type must be one of ${LocalAuditEventTypes.join(", ")}.`);
  }
  const { entries } = await client().auditList({
    limit,
    type,
    name: stringOption(options, "name"),
  });
  if (flag(options, "json")) {
    printJson(io, { entries });
    return 0;
  }
  if (entries.length === 0) {
    writeLine(io.stdout, "The audit log is empty.");
    return 0;
  }
  const rows = entries.map((e) => [
    String(e.seq),
    formatTime(e.at),
    e.type,
    e.name ?? "",
    e.process ?? "",
    e.actor ?? "",
    [e.outcome ?? "", e.reason ?? ""].filter((s) => s !== "").join(": "),
  ]);
  writeLine(
    io.stdout,
    formatTable(["SEQ", "TIME", "EVENT", "NAME", "PROCESS", "ACTOR", "OUTCOME"], rows),
  );
  return 0;
};
