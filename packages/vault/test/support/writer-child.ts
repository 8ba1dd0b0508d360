/**
 * A child process for the concurrency and durability tests. It opens the vault given on the
 * command line, prints "ready <vault id>", waits for a line on stdin, and runs one of two workloads, printing one line per acknowledged write (after the
 * call returned, i.e. after COMMIT):
 *
 *   burst <dataDir> <keyFile> <count> <prefix>   distinct names PREFIX_i = "value-PREFIX-i",
 *                                                each followed by an awaited recordAudit
 *   shared <dataDir> <keyFile> <count> <names>   setSecret on shared names (comma-separated)
 *                                                interleaved with reads, every one audited
 */
import { createInterface } from "node:readline";
import { openVault } from "../../src/index.ts";

const ANA = "ana@example.com";

const [mode, dataDir, keyFile, countText, arg] = process.argv.slice(2);
if (
  dataDir === undefined ||
  keyFile === undefined ||
  countText === undefined ||
  arg === undefined
) {
  throw new Error("usage: writer-child.ts burst|shared <dataDir> <keyFile> <count> <arg>");
}
const count = Number(countText);
const vault = openVault({ dataDir, keyFile });
const write = (line: string) => process.stdout.write(`${line}\n`);
write(`ready ${vault.id}`);
// Start only when the parent says so, so that every child writes at the same time.
for await (const _line of createInterface({ input: process.stdin })) break;
process.stdin.destroy();

if (mode === "burst") {
  for (let i = 0; i < count; i++) {
    const name = `${arg}_${i}`;
    const info = vault.setSecret(ANA, name, `value-${arg}-${i}`);
    await vault.recordAudit({ type: "secret.set", name });
    write(`ack ${name} ${info.version}`);
  }
} else {
  const names = arg.split(",");
  for (let i = 0; i < count; i++) {
    const name = names[i % names.length] ?? "";
    const info = vault.setSecret(ANA, name, `v-${process.pid}-${i}`, {
      actor: `pid-${process.pid}`,
    });
    write(`ack ${name} ${info.version}`);
    const read = vault.getSecret(ANA, name);
    if (read === undefined || read.version < info.version) throw new Error("lost update");
    await vault.recordAudit({ type: "secret.read", name, process: `pid-${process.pid}` });
  }
}
vault.close();
write("done");
