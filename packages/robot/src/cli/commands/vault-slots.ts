/**
 * `heptora vault slots list | add KIND | remove ID`: the command line finds commands by their
 * first two words, so `vault slots` dispatches on its first argument to the three commands
 * (vault-slots-list.ts, vault-slots-add.ts, vault-slots-remove.ts).
 */
import type { CommandRun } from "../command.ts";
import { UsageError } from "../command.ts";

const USAGE = "Use: heptora vault slots list | add passphrase|recovery|os-keychain | remove ID";

export const run: CommandRun = async (context) => {
  const [action, ...rest] = context.args;
  const takes = (n: number) => {
    if (rest.length !== n)
      throw new UsageError(
        `'heptora vault slots ${action}' ${n === 0 ? "takes no argument" : "takes one argument"}. ${USAGE}`,
      );
  };
  if (action === "list") {
    takes(0);
    return (await import("./vault-slots-list.ts")).run({ ...context, args: rest });
  }
  if (action === "add") {
    takes(1);
    return (await import("./vault-slots-add.ts")).run({ ...context, args: rest });
  }
  if (action === "remove") {
    takes(1);
    return (await import("./vault-slots-remove.ts")).run({ ...context, args: rest });
  }
  throw new UsageError(`There is no 'heptora vault slots ${action ?? ""}'. ${USAGE}`);
};
