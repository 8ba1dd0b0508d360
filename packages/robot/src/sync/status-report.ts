/**
 * The status report sent to the platform after each sync: for every name an assigned process
 * declares, whether it has a value on this robot and when it last changed. Built from a closed
 * shape, so nothing but a name, a boolean and a timestamp can go out.
 */
import type { SecretStatus } from "@heptora/protocol";
import type { Vault } from "@heptora/vault";

export function statusReport(
  vault: Pick<Vault, "definitions" | "secretInfo">,
  person: string,
): SecretStatus[] {
  const names = new Set<string>();
  for (const process of vault.definitions().processes) {
    for (const variable of process.variables) names.add(variable.name);
  }
  return [...names].sort().map((name) => {
    const info = vault.secretInfo(person, name);
    return info?.set === true
      ? { name, set: true, updatedAt: info.updatedAt }
      : { name, set: false };
  });
}
