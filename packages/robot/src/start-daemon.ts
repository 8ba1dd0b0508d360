/**
 * `heptora start`: the composition root of the daemon, and the only place that knows every part.
 * In this order, so that a second daemon on the same data dir changes nothing: claim the socket
 * (refuse if a robot answers on it), open the vault, write the management token, build the robot
 * service, start its two faces side by side (the socket server for the CLI and runs, the Secrets
 * window server for people), start syncing, print the ready line. SIGINT and SIGTERM stop it
 * cleanly (runs end, the socket and the token file are removed).
 *
 * The two servers never import each other: the socket's `heptora ui` route reaches the window
 * through the `openWindowLink` function handed over here.
 */
import { mkdirSync } from "node:fs";
import { hostname } from "node:os";
import type { Writable } from "node:stream";
import { isHeptoraError } from "@heptora/protocol";
import { openVault } from "@heptora/vault";
import type { RobotConfig } from "./config.ts";
import { controlTokenPathFor } from "./lib/socket-path.ts";
import { newToken, tokenDigest } from "./lib/tokens.ts";
import { createPlatformClient } from "./platform/platform-client.ts";
import { createRobotService } from "./service/robot-service.ts";
import { removeControlToken, writeControlToken } from "./socket/control-token.ts";
import { createLocalApi } from "./socket/local-api.ts";
import { SocketInUseError } from "./socket/socket-listener.ts";
import { claimSocketServer, type SocketServer } from "./socket/socket-server.ts";
import { startWindowServer } from "./window/window-server.ts";

export interface DaemonOptions {
  config: RobotConfig;
  stdout: Writable;
  stderr: Writable;
  /** Resolves when the daemon should stop; default: the first SIGINT or SIGTERM. */
  stopSignal?: Promise<unknown>;
}

export async function runDaemon(options: DaemonOptions): Promise<number> {
  const { config, stdout, stderr } = options;
  const log = (line: string) => stderr.write(`${new Date().toISOString()} ${line}\n`);
  const fail = (line: string) => {
    stderr.write(`${line}\n`);
    return 1;
  };

  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  let socket: SocketServer;
  try {
    socket = await claimSocketServer(config.socketPath);
  } catch (error) {
    if (error instanceof SocketInUseError) return fail(error.message);
    return fail(`Cannot listen on ${config.socketPath}: ${(error as Error).message}`);
  }

  let vault: ReturnType<typeof openVault>;
  try {
    vault = openVault({ dataDir: config.dataDir, keyFile: config.keyFile });
  } catch (error) {
    socket.close();
    if (isHeptoraError(error)) {
      return fail(error.hint === undefined ? error.message : `${error.message} ${error.hint}`);
    }
    return fail(`Cannot open the vault in ${config.dataDir}: ${(error as Error).message}`);
  }

  await vault.recordAudit({
    type: "unlock",
    actor: "daemon",
    outcome: "ok",
    details: { slot: "keyfile" },
  });

  const controlPath = controlTokenPathFor(config.dataDir);
  const controlToken = newToken();
  writeControlToken(controlPath, controlToken);

  const service = createRobotService({
    vault,
    platformFor: (baseUrl) => createPlatformClient({ baseUrl }),
    config: {
      dataDir: config.dataDir,
      socketPath: config.socketPath,
      platformUrl: config.platformUrl,
      syncIntervalMs: config.syncIntervalMs,
    },
    hostname: hostname(),
    log,
  });
  // The Secrets window: 127.0.0.1, random port, opened through `heptora ui`.
  const secretsWindow = await startWindowServer({
    service,
    recordAudit: (event) => vault.recordAudit(event),
    log,
    idleMs: config.windowIdleMs,
  }).catch((error: unknown) => {
    log(`The Secrets window is not available: ${(error as Error).message}`);
    return undefined;
  });
  socket.serve(
    createLocalApi({
      service,
      controlDigest: tokenDigest(controlToken),
      log,
      ...(secretsWindow === undefined ? {} : { openWindowLink: () => secretsWindow.openLink() }),
    }),
  );
  service.startBackgroundSync();

  const warning = vault.keyProtectionWarning();
  if (warning !== undefined) log(`Warning: ${warning}`);
  // Listen for signals before announcing readiness: a supervisor may stop us at once.
  const stopping = options.stopSignal ?? firstSignal();
  stdout.write(`Heptora robot running (data dir ${config.dataDir}, socket ${config.socketPath})\n`);

  const signal = await stopping;
  log(`Stopping${typeof signal === "string" ? ` (${signal})` : ""}.`);
  await secretsWindow?.close();
  service.close();
  socket.close();
  removeControlToken(controlPath);
  vault.close();
  return 0;
}

function firstSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve(signal);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
