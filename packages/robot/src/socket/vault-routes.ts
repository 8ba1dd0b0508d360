/**
 * The vault's key operations on the socket, for the CLI only (docs/adr/0080):
 *
 * | name            | method | path               | vault call                                   |
 * | --------------- | ------ | ------------------ | -------------------------------------------- |
 * | vault.rotateKey | POST   | /vault/rotate-key  | rotateKey (NDJSON: progress lines, then the  |
 * |                 |        |                    | result or the error)                         |
 * | vault.backup    | POST   | /vault/backup      | writeBackup (the daemon writes the archive)  |
 *
 * Not on the Secrets window: a passphrase or a file path from a web page is not something a
 * person does there. The answer of a rotation starts with its first progress line, so an error
 * found before any row changed (slots that cannot take the key, a tampered vault) is a plain
 * error answer with its status.
 */
import type { ServerResponse } from "node:http";
import {
  BackupRequestSchema,
  type BackupSummaryBody,
  RotateKeyRequestSchema,
  type RotationResultBody,
} from "@heptora/protocol";
import type { RotateKeyOptions, Vault } from "@heptora/vault";
import { toHeptoraError } from "../http/http-kit.ts";
import { ANSWERED, defineRoute, type Route } from "../http/route.ts";

export interface VaultRoutesDeps {
  /** The open vault (throws vault_locked while locked). */
  vault: () => Pick<Vault, "rotateKey" | "writeBackup">;
  /** Re-wrappers of the slot kinds the vault does not know itself (the OS keychain's). */
  rewrappers?: () => Promise<RotateKeyOptions["rewrappers"]>;
  log: (line: string) => void;
  /**
   * Test hook (HEPTORA_TEST_ROTATION_KILL_AT=N, read by start-daemon): the daemon kills itself
   * with SIGKILL at the N-th step of a rotation, so the crash tests can stop it at every step.
   */
  killAtStep?: number;
}

/** Progress lines are sent at most this often (and at the end of each chunk that crosses it). */
const PROGRESS_EVERY_MS = 200;

export function vaultRoutes(deps: VaultRoutesDeps): Route[] {
  return [
    defineRoute({
      name: "vault.rotateKey",
      method: "POST",
      path: "/vault/rotate-key",
      summary: "A new data key for the vault; progress as NDJSON lines, then the result",
      body: RotateKeyRequestSchema,
      async handler({ body, actor, res }) {
        let started = false;
        let sentAt = 0;
        const send = (line: unknown) => {
          if (!started) {
            started = true;
            res.writeHead(200, {
              "content-type": "application/x-ndjson; charset=utf-8",
              "cache-control": "no-store",
            });
          }
          if (!res.destroyed) res.write(`${JSON.stringify(line)}\n`);
        };
        let steps = 0;
        try {
          const vault = deps.vault();
          const rewrappers = await deps.rewrappers?.();
          const result = await vault.rotateKey({
            ...(rewrappers === undefined ? {} : { rewrappers }),
            ...(body.passphrases === undefined ? {} : { passphrases: body.passphrases }),
            dropSlots: body.dropSlots === true,
            actor,
            onProgress(progress) {
              const now = Date.now();
              if (now - sentAt < PROGRESS_EVERY_MS && progress.done < progress.total) return;
              sentAt = now;
              send({ progress });
            },
            ...(deps.killAtStep === undefined
              ? {}
              : {
                  onStep: () => {
                    if (++steps === deps.killAtStep) process.kill(process.pid, "SIGKILL");
                  },
                }),
          });
          deps.log(
            `The vault's data key was rotated (${result.versions} kept versions re-sealed, ${result.slots.length} key slots).`,
          );
          send({ result: result satisfies RotationResultBody });
        } catch (error) {
          if (!started) throw error;
          send(toHeptoraError(error, deps.log).toBody());
        }
        end(res);
        return ANSWERED;
      },
    }),
    defineRoute({
      name: "vault.backup",
      method: "POST",
      path: "/vault/backup",
      summary: "Writes an encrypted archive of the whole vault to a file",
      body: BackupRequestSchema,
      handler({ body, actor }): BackupSummaryBody {
        const summary = deps.vault().writeBackup(body.file, body.passphrase, { actor });
        deps.log(`A backup of the vault was written to ${body.file}.`);
        return summary;
      },
    }),
  ];
}

function end(res: ServerResponse): void {
  if (!res.destroyed) res.end();
}
