/**
 * `heptora vault rotate-key [--passphrase-stdin] [--drop-slots] [--json]`: a new data key for the
 * vault (docs/adr/0080). The daemon re-seals everything in one transaction and streams progress;
 * passphrase slots need their passphrase (stdin, one a line, or a prompt on a terminal when the
 * robot asks for it), a recovery slot gets a new recovery key printed once.
 */
import { HeptoraError, isHeptoraError, VaultKeyPaths } from "@heptora/protocol";
import type { RotationResult } from "@heptora/vault";
import { errorFromAnswer } from "../../lib/error-body.ts";
import type { CliIo, CommandRun } from "../command.ts";
import { flag, printJson, writeLine } from "../command.ts";
import { readPassphrase, readPassphraseLines } from "./vault-passphrase.ts";

/** What the daemon sends back: the vault's own result (a type only; nothing of the vault loads). */
type Result = RotationResult;

export const run: CommandRun = async ({ client, options, io }) => {
  const robot = client();
  const json = flag(options, "json");
  const dropSlots = flag(options, "drop-slots");
  let passphrases = flag(options, "passphrase-stdin") ? await readPassphraseLines(io) : undefined;
  const progress = progressPrinter(io, json);
  const attempt = async (): Promise<Result> => {
    let result: Result | undefined;
    let failure: HeptoraError | undefined;
    await robot.stream(
      VaultKeyPaths.rotateKey,
      { ...(passphrases === undefined ? {} : { passphrases }), dropSlots },
      (line) => {
        const l = line as { progress?: { done: number; total: number }; result?: Result };
        if (l.progress !== undefined) progress(l.progress.done, l.progress.total);
        else if (l.result !== undefined) result = l.result;
        else failure = errorFromAnswer(500, line);
      },
    );
    progress.done();
    if (failure !== undefined) throw failure;
    if (result === undefined) {
      throw new HeptoraError("internal_error", {
        message: "The robot did not say how the rotation ended.",
      });
    }
    return result;
  };
  let result: Result;
  try {
    result = await attempt();
  } catch (error) {
    // On a terminal, a passphrase slot's passphrase is asked for when the robot needs it.
    const needsPassphrase =
      isHeptoraError(error) &&
      error.code === "key_slots_not_rewrapped" &&
      passphrases === undefined &&
      io.interactive &&
      `${error.message} ${error.hint ?? ""}`.includes("passphrase");
    if (!needsPassphrase) throw error;
    passphrases = [
      await readPassphrase(io, false, "The vault's passphrase (for its passphrase slots): "),
    ];
    result = await attempt();
  }
  if (json) {
    printJson(io, result);
    return 0;
  }
  writeLine(
    io.stdout,
    `The vault's data key was rotated: ${result.values} values of ${result.persons} ${result.persons === 1 ? "person" : "persons"} (${result.versions} kept versions), settings, definitions and ${result.runRecords} run records re-sealed; the old key is forgotten.`,
  );
  writeLine(
    io.stdout,
    `Key slots that open it now: ${result.slots.map((s) => `${s.id} (${s.kind})`).join(", ")}.`,
  );
  if (result.dropped.length > 0) {
    writeLine(
      io.stdout,
      `Removed key slots that could not take the new key: ${result.dropped.map((s) => `${s.id} (${s.kind})`).join(", ")}.`,
    );
  }
  if (result.recoveryKey !== undefined) {
    writeLine(
      io.stdout,
      "Your old recovery key no longer opens this vault. Write down the new one now; it is shown only once:",
    );
    writeLine(io.stdout, `  ${result.recoveryKey}`);
  }
  return 0;
};

/** Progress on stderr: one updating line on a terminal, else a line per tenth. */
function progressPrinter(io: CliIo, quiet: boolean) {
  const terminal = (io.stderr as { isTTY?: boolean }).isTTY === true;
  let lastTenth = -1;
  let shown = false;
  const print = (done: number, total: number) => {
    if (quiet || total === 0) return;
    const percent = Math.floor((done * 100) / total);
    const text = `Re-sealing values: ${done.toLocaleString("en")} / ${total.toLocaleString("en")} (${percent}%)`;
    if (terminal) {
      io.stderr.write(`\r${text}`);
      shown = true;
      return;
    }
    const tenth = Math.floor(percent / 10);
    if (tenth !== lastTenth) {
      lastTenth = tenth;
      io.stderr.write(`${text}\n`);
    }
  };
  return Object.assign(print, {
    done() {
      if (shown) io.stderr.write("\n");
      shown = false;
    },
  });
}
