/**
 * `heptora vault status [--json]`: locked or unlocked, the key slots by kind, the auto-lock, and
 * the warning where only a key file protects the vault's key (docs/adr/0078).
 */
import type { CommandRun } from "../command.ts";
import { flag, printJson, writeLine } from "../command.ts";
import { kindName, statusCheck } from "./vault-keys-client.ts";

export const run: CommandRun = async ({ client, options, io }) => {
  const status = await client().vaultKeys(statusCheck, "GET", "/status");
  if (flag(options, "json")) {
    printJson(io, status);
    return 0;
  }
  const out = (line: string) => writeLine(io.stdout, line);
  if (status.locked) {
    out(`Vault:      locked${status.lockedReason === null ? "" : ` (${status.lockedReason})`}`);
    out("            Unlock it with: heptora unlock");
  } else {
    const by =
      status.unlockedWith === null
        ? ""
        : ` (opened with its ${kindName(status.unlockedWith)} slot)`;
    out(`Vault:      unlocked${by}`);
  }
  const counts = new Map<string, number>();
  for (const slot of status.slots) counts.set(slot.kind, (counts.get(slot.kind) ?? 0) + 1);
  const kinds = [...counts].map(([kind, n]) => `${n} ${kindName(kind)}`).join(", ");
  out(`Key slots:  ${status.slots.length} (${kinds})`);
  out(
    `Auto-lock:  ${status.autoLockMinutes === null ? "off" : `after ${status.autoLockMinutes} minute(s) without use`}`,
  );
  if (status.failedUnlocks > 0) {
    out(`Wrong tries since the last unlock: ${status.failedUnlocks}`);
  }
  if (status.warning !== null) {
    writeLine(io.stderr, `Warning: ${status.warning}`);
    writeLine(
      io.stderr,
      "Add a passphrase or an OS keychain slot, then remove the key file: heptora vault slots add passphrase; heptora vault slots remove ID",
    );
  }
  return 0;
};
