/** Every `heptora` command, in the order `heptora --help` lists them. */
import type { Command } from "../command.ts";
import { auditListCommand } from "./audit-list.ts";
import { auditVerifyCommand } from "./audit-verify.ts";
import { loginCommand } from "./login.ts";
import { logoutCommand } from "./logout.ts";
import { runCommand } from "./run.ts";
import { secretsGetCommand } from "./secrets-get.ts";
import { secretsHistoryCommand } from "./secrets-history.ts";
import { secretsListCommand } from "./secrets-list.ts";
import { secretsRestoreCommand } from "./secrets-restore.ts";
import { secretsSetCommand } from "./secrets-set.ts";
import { secretsUnsetCommand } from "./secrets-unset.ts";
import { startCommand } from "./start.ts";
import { statusCommand } from "./status.ts";
import { syncCommand } from "./sync.ts";
import { uiCommand } from "./ui.ts";

export const commands: readonly Command[] = [
  startCommand,
  loginCommand,
  logoutCommand,
  statusCommand,
  syncCommand,
  uiCommand,
  secretsListCommand,
  secretsSetCommand,
  secretsGetCommand,
  secretsUnsetCommand,
  secretsHistoryCommand,
  secretsRestoreCommand,
  runCommand,
  auditListCommand,
  auditVerifyCommand,
];
