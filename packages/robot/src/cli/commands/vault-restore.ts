/**
 * `heptora vault restore FILE --data-dir D [--passphrase-stdin] [--json]`: restores an archive of
 * `heptora vault backup` into the data dir D, with no robot running there and no vault in it yet
 * (docs/adr/0080). The whole archive is authenticated before anything is written; the restored
 * vault gets a new slot for this machine, like a new vault (the OS keychain where one answers,
 * else a key file where the robot looks for D's key, with the warning); its passphrase and
 * recovery slots still open it. Then `heptora start --data-dir D` serves its values.
 */
import { connect } from "node:net";
import { resolve } from "node:path";
import { HeptoraError } from "@heptora/protocol";
import { privateDirProblem } from "../../lib/private-dirs.ts";
import type { CommandRun } from "../command.ts";
import { flag, printJson, writeLine } from "../command.ts";
import { readPassphrase } from "./vault-passphrase.ts";

export const run: CommandRun = async ({ config, args, options, io }) => {
  const file = resolve(args[0] as string);
  const { dataDir, keyFile, socketPath } = config;
  if (await robotAnswers(socketPath)) {
    throw new HeptoraError("restore_refused", {
      message: `A robot is running on ${dataDir}: nothing was restored.`,
      hint: "Stop it first (Ctrl-C where `heptora start` runs), or restore into another --data-dir.",
    });
  }
  if (process.platform !== "win32") {
    for (const [dir, what] of [
      [dataDir, "data dir"],
      [resolve(keyFile, ".."), "key file's folder"],
    ] as const) {
      const problem = privateDirProblem(dir, what);
      if (problem !== undefined) throw new HeptoraError("unsafe_directory", { message: problem });
    }
  }
  const passphrase = await readPassphrase(
    io,
    flag(options, "passphrase-stdin"),
    "The backup's passphrase: ",
  );
  const { restoreBackup } = await import("@heptora/vault");
  // The new machine's slot: the OS keychain where one answers, else a key file (as a new vault).
  const probe = config.osKeychain
    ? await (await import("../../keys/os-keychain.ts")).probeOsKeychain()
    : { unavailable: "turned off by HEPTORA_OS_KEYCHAIN" };
  const restored = restoreBackup({
    file,
    dataDir,
    keyFile,
    passphrase,
    actor: "cli",
    ...(probe.keychain === undefined ? {} : { keychain: probe.keychain }),
  });
  if (flag(options, "json")) {
    printJson(io, { dataDir, ...restored });
    return 0;
  }
  writeLine(
    io.stdout,
    `Restored vault ${restored.vaultId} (backup of ${restored.createdAt}) into ${dataDir}: ${restored.values} values of ${restored.persons} ${restored.persons === 1 ? "person" : "persons"} (${restored.versions} kept versions), ${restored.auditEntries} audit entries, ${restored.runRecords} run records.`,
  );
  if (restored.slotKind === "os-keychain") {
    writeLine(io.stdout, "Its new key is kept in this machine's OS keychain.");
  } else {
    const why = restored.keychainRefused ?? probe.unavailable ?? "no OS keychain answered";
    writeLine(io.stdout, `Its new key file: ${restored.keyFile} (no OS keychain here: ${why}).`);
    writeLine(
      io.stdout,
      `Warning: the vault key is protected by file permissions only (${restored.keyFile}). Add a passphrase with: heptora vault slots add passphrase`,
    );
  }
  if (restored.keyFileSetAside !== undefined) {
    writeLine(io.stdout, `The key file that was there is kept as ${restored.keyFileSetAside}.`);
  }
  writeLine(io.stdout, `Start the robot there with: heptora start --data-dir ${dataDir}`);
  return 0;
};

/** Whether something answers on the robot's socket (a running robot). */
function robotAnswers(socketPath: string): Promise<boolean> {
  return new Promise((resolveAnswer) => {
    const socket = connect(socketPath);
    socket.once("connect", () => {
      socket.destroy();
      resolveAnswer(true);
    });
    socket.once("error", () => resolveAnswer(false));
  });
}
