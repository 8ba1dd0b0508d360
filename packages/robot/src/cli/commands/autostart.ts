/**
 * `heptora autostart enable|disable|status [--json]`: start the robot with this person's session
 * (per user, no administrator rights): an XDG autostart entry on Linux, the HKCU Run value on
 * Windows, a LaunchAgent on macOS (src/autostart/autostart.ts). The entry runs `heptora start`
 * for this data dir.
 */
import { homedir } from "node:os";
import { createAutostart } from "../../autostart/autostart.ts";
import type { CommandRun } from "../command.ts";
import { flag, printJson, UsageError, writeLine } from "../command.ts";

const ACTIONS = ["enable", "disable", "status"] as const;

/** How this `heptora` was started: a script run by Node, or a self-contained executable. */
function heptoraCommand(): string[] {
  const script = process.argv[1];
  return script !== undefined && /\.(c|m)?[jt]s$/.test(script)
    ? [process.execPath, script]
    : [process.execPath];
}

export const run: CommandRun = async ({ args, config, env, options, io }) => {
  const action = args[0] as (typeof ACTIONS)[number];
  if (!ACTIONS.includes(action)) {
    throw new UsageError(`Say enable, disable or status (not '${args[0]}').`);
  }
  const autostart = createAutostart({
    platform: process.platform,
    home: homedir(),
    env,
    command: [...heptoraCommand(), "start", "--data-dir", config.dataDir],
  });
  const result =
    action === "enable"
      ? autostart.enable()
      : action === "disable"
        ? autostart.disable()
        : autostart.status();
  if (flag(options, "json")) {
    printJson(io, result);
    return 0;
  }
  if (result.enabled) {
    writeLine(io.stdout, `The robot starts when you log in (${result.where}).`);
    if (result.command !== null) writeLine(io.stdout, `It runs: ${result.command}`);
  } else {
    writeLine(io.stdout, `The robot does not start when you log in (${result.where}).`);
  }
  return 0;
};
