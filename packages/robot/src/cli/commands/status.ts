/** `heptora status [--json]`: who the robot is signed in as, the platform, last sync, counts. */
import type { CommandRun } from "../command.ts";
import { flag, printJson, writeLine } from "../command.ts";
import { formatTime } from "../table.ts";

export const run: CommandRun = async ({ client, options, io }) => {
  const status = await client().status();
  if (flag(options, "json")) {
    printJson(io, status);
    return 0;
  }
  const sync = status.sync;
  const lines = [
    `Robot:         ${status.robotName}${status.robotId === null ? "" : ` (${status.robotId})`}`,
    `Signed in as:  ${status.signedIn ? (status.email ?? "?") : `not signed in (heptora login)${status.signedOutReason === null ? "" : `: ${status.signedOutReason}`}`}`,
    `Version:       ${status.version}`,
    `Platform:      ${status.platformUrl}`,
    `Data dir:      ${status.dataDir}`,
    `Socket:        ${status.socketPath}`,
    `Vault:         ${status.locked ? "locked" : "unlocked"}`,
    `Integrity:     ${status.integrity.ok ? "ok" : `FAILED (${status.integrity.problems.length} problem(s), see below)`}`,
    `Last sync:     ${formatTime(sync.lastSyncAt)}${sync.lastError === null ? "" : ` (last attempt failed: ${sync.lastError})`}`,
    `Processes:     ${status.counts.processes}`,
    `Secrets:       ${status.counts.set} set, ${status.counts.missing} not set (${status.counts.declared} declared)`,
    `Active runs:   ${status.activeRuns}`,
  ];
  for (const line of lines) writeLine(io.stdout, line);
  for (const problem of status.integrity.problems)
    writeLine(io.stdout, `TAMPERING:     ${problem}`);
  if (status.platformWarning !== null)
    writeLine(io.stdout, `Warning:       ${status.platformWarning}`);
  if (status.keyProtectionWarning !== null) {
    writeLine(io.stdout, `Warning:       ${status.keyProtectionWarning}`);
  }
  return 0;
};
