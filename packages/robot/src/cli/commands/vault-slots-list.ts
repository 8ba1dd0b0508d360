/** `heptora vault slots list [--json]`: one slot a line, with its id and kind. */
import type { CommandRun } from "../command.ts";
import { flag, printJson, writeLine } from "../command.ts";
import { slotLine, slotsCheck } from "./vault-keys-client.ts";

export const run: CommandRun = async ({ client, options, io }) => {
  const { slots } = await client().vaultKeys(slotsCheck, "GET", "/slots");
  if (flag(options, "json")) {
    printJson(io, { slots });
    return 0;
  }
  for (const slot of slots) writeLine(io.stdout, slotLine(slot));
  return 0;
};
