/** `heptora logout`: revoke the robot token at the platform and forget it; values stay. */
import type { CommandRun } from "../command.ts";
import { flag, printJson, writeLine } from "../command.ts";

export const run: CommandRun = async ({ client, options, io }) => {
  const result = await client().logout();
  if (flag(options, "json")) {
    printJson(io, result);
    return 0;
  }
  writeLine(io.stdout, "Signed out. The secret values stay on this machine.");
  if (!result.revokedAtPlatform) {
    writeLine(
      io.stderr,
      "The platform could not be reached to revoke this robot's token: an admin can revoke the robot on the platform.",
    );
  }
  return 0;
};
