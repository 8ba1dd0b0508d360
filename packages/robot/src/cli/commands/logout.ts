/** `heptora logout`: revoke the robot token at the platform and forget it; values stay. */
import type { Command } from "../command.ts";
import { flag, printJson, writeLine } from "../command.ts";

export const logoutCommand: Command = {
  name: "logout",
  usage: "heptora logout [--json]",
  summary: "sign the robot out (values stay on this machine)",
  options: { json: { type: "boolean" } },
  args: { min: 0, max: 0 },
  async run({ client, options, io }) {
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
  },
};
