/**
 * `heptora audit verify`: checks the audit chain; exits non-zero and names the first broken entry
 * when an entry was edited, deleted, inserted or reordered.
 */
import type { CommandRun } from "../command.ts";
import { flag, printJson, writeLine } from "../command.ts";

export const run: CommandRun = async ({ client, options, io }) => {
  const result = await client().auditVerify();
  if (flag(options, "json")) {
    printJson(io, result);
    return result.ok ? 0 : 1;
  }
  if (result.ok) {
    writeLine(io.stdout, `The audit log is intact (${result.count} entries verified).`);
    return 0;
  }
  const first = result.problems[0];
  writeLine(
    io.stderr,
    first === undefined
      ? "The audit log failed verification."
      : `The audit log failed verification at entry ${first.seq}: ${first.message}`,
  );
  for (const problem of result.problems.slice(1, 20)) {
    writeLine(io.stderr, `  entry ${problem.seq} (${problem.kind}): ${problem.message}`);
  }
  return 1;
};
