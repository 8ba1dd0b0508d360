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
import { dirname, join } from "node:path";
import type { Writable } from "node:stream";
import type { LocalStatus } from "@heptora/protocol";
import { isHeptoraError } from "@heptora/protocol";
import { keychainRewrapper, type Vault } from "@heptora/vault";
import { terminalSafe } from "./cli/terminal-text.ts";
import type { RobotConfig } from "./config.ts";
import { type Desktop, hasDesktop, startDesktop, TrayMode } from "./desktop/desktop.ts";
import { trayStarter } from "./desktop/tray-starter.ts";
import { noteOpenWindow, takeResume } from "./desktop/window-resume.ts";
import { createWindowShower } from "./desktop/window-shower.ts";
import { keyRoutes } from "./http/key-routes.ts";
import { probeOsKeychain } from "./keys/os-keychain.ts";
import { readPassphraseFile } from "./keys/passphrase-file.ts";
import { createUnlockAttempts } from "./keys/unlock-attempts.ts";
import { createVaultKeys } from "./keys/vault-keys.ts";
import { privateDirProblem } from "./lib/private-dirs.ts";
import { controlTokenPathFor } from "./lib/socket-path.ts";
import { newToken, tokenDigest } from "./lib/tokens.ts";
import { checkPlatformAllowed } from "./platform/insecure-platform.ts";
import { createPlatformClient } from "./platform/platform-client.ts";
import { createRobotService } from "./service/robot-service.ts";
import { removeControlToken, writeControlToken } from "./socket/control-token.ts";
import { createLocalApi } from "./socket/local-api.ts";
import { SocketInUseError } from "./socket/socket-listener.ts";
import { claimSocketServer, type SocketServer } from "./socket/socket-server.ts";
import { VERSION } from "./version.ts";
import { startWindowServer } from "./window/window-server.ts";

export interface DaemonOptions {
  config: RobotConfig;
  stdout: Writable;
  stderr: Writable;
  /** Resolves when the daemon should stop; default: the first SIGINT or SIGTERM. */
  stopSignal?: Promise<unknown>;
  /** The tray icon: "auto" (where a tray host exists), "on" (or fail), "off" (servers). */
  tray?: TrayMode;
  /** The environment the daemon was started with (display, session bus). */
  env?: Readonly<Record<string, string | undefined>>;
}

export async function runDaemon(options: DaemonOptions): Promise<number> {
  const { config, stdout, stderr } = options;
  const env = options.env ?? {};
  process.title = "heptora";
  // Log lines can quote the platform's text: no control sequence reaches the terminal.
  const log = (line: string) => stderr.write(`${new Date().toISOString()} ${terminalSafe(line)}\n`);
  const fail = (line: string) => {
    stderr.write(`${terminalSafe(line)}\n`);
    return 1;
  };

  // Before anything is read or written there: folders someone else owns or can write to are
  // refused (docs/adr/0073). The socket and the management token live in the data dir.
  for (const [dir, what] of [
    [config.dataDir, "data dir"],
    [dirname(config.socketPath), "socket folder"],
    [dirname(config.keyFile), "key file's folder"],
  ] as const) {
    const problem = process.platform === "win32" ? undefined : privateDirProblem(dir, what);
    if (problem !== undefined) return fail(problem);
  }
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  let socket: SocketServer;
  try {
    socket = await claimSocketServer(config.socketPath);
  } catch (error) {
    if (error instanceof SocketInUseError) return fail(error.message);
    return fail(`Cannot listen on ${config.socketPath}: ${(error as Error).message}`);
  }

  // The vault's key slots decide how it opens: unlocked, or locked until `heptora unlock`
  // (docs/adr/0078).
  let startPassphrase: string | undefined;
  if (config.passphraseFile !== undefined) {
    try {
      startPassphrase = readPassphraseFile(config.passphraseFile);
    } catch (error) {
      socket.close();
      return fail((error as Error).message);
    }
  }
  const keys = createVaultKeys({
    dataDir: config.dataDir,
    keyFile: config.keyFile,
    probeKeychain: () =>
      config.osKeychain
        ? probeOsKeychain()
        : Promise.resolve({ unavailable: "turned off by HEPTORA_OS_KEYCHAIN" }),
    ...(startPassphrase === undefined ? {} : { startPassphrase }),
    autoLockMs: config.autoLockMs,
    attempts: createUnlockAttempts(join(config.dataDir, "unlock-attempts.json")),
    log,
  });
  startPassphrase = undefined;
  let opened: Awaited<ReturnType<typeof keys.openAtStart>>;
  try {
    opened = await keys.openAtStart();
  } catch (error) {
    socket.close();
    if (isHeptoraError(error)) {
      return fail(error.hint === undefined ? error.message : `${error.message} ${error.hint}`);
    }
    return fail(`Cannot open the vault in ${config.dataDir}: ${(error as Error).message}`);
  }
  for (const note of opened.notes) log(note);
  const initial = opened.vault;
  if (initial !== null) {
    await initial.recordAudit({
      type: "unlock",
      actor: "daemon",
      outcome: "ok",
      details: { slot: initial.unlockedBy.kind },
    });
  }

  const controlPath = controlTokenPathFor(config.dataDir);
  const controlToken = newToken();
  writeControlToken(controlPath, controlToken);

  const service = createRobotService({
    vault: initial === null ? null : keys.tracked(initial),
    // A URL remembered from an earlier start (allowed then) is checked again on every use.
    platformFor: (baseUrl) => {
      checkPlatformAllowed(baseUrl, config.allowInsecurePlatform);
      return createPlatformClient({ baseUrl });
    },
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
    recordAudit: async (event) => keys.current()?.recordAudit(event),
    log,
    idleMs: config.windowIdleMs,
    extraRoutes: keyRoutes(keys, () => signedInEmail(service.status())),
  }).catch((error: unknown) => {
    log(`The Secrets window is not available: ${(error as Error).message}`);
    return undefined;
  });
  const desktopPresent = hasDesktop(process.platform, env);
  const showWindow = createWindowShower({
    window: secretsWindow,
    platform: process.platform,
    env,
    browser: config.browser,
    profileDir: join(config.dataDir, "window-profile"),
    desktop: desktopPresent,
    log,
  });
  socket.serve(
    createLocalApi({
      service,
      controlDigest: tokenDigest(controlToken),
      log,
      vaultKeys: {
        // The unlocked vault of the moment: a locked robot answers vault_locked.
        vault: () => keys.unlocked(),
        rewrappers: async () => {
          const keychain = await keys.keychain();
          return keychain === undefined ? {} : { "os-keychain": keychainRewrapper(keychain) };
        },
        ...rotationKillHook(env),
      },
      extraRoutes: keyRoutes(keys, () => signedInEmail(service.status())),
      ...(secretsWindow === undefined
        ? {}
        : {
            openWindowLink: () => secretsWindow.openLink(),
            // A browser that fails to start is not an error of `heptora ui`: it prints a link.
            openWindow: (next) =>
              showWindow.show(next).catch((error: unknown) => {
                log(`The Secrets window could not be opened: ${(error as Error).message}`);
                return { opened: false };
              }),
          }),
    }),
  );
  service.startBackgroundSync();

  // The audit chain is checked at every start and unlock (docs/adr/0074); with the rollback
  // checkpoint and the vault-wide state, whatever is wrong is said loudly, here and in `heptora status`.
  const checkOpened = (vault: Vault) => {
    const warning = vault.keyProtectionWarning();
    if (warning !== undefined) log(`Warning: ${warning}`);
    vault.verifyAudit();
    for (const problem of vault.integrity().problems) {
      stdout.write(`TAMPERING DETECTED: ${problem}\n`);
      log(`TAMPERING DETECTED: ${problem}`);
    }
  };
  keys.attach({
    unlocked: (vault) => {
      service.unlock(keys.tracked(vault));
      checkOpened(vault);
    },
    locked: () => service.lock(),
  });
  if (initial === null) {
    const line = `The vault is locked (${opened.lockedReason ?? "no slot opened it"}). Unlock it with: heptora unlock`;
    stdout.write(`${terminalSafe(line)}\n`);
    log(line);
  } else checkOpened(initial);
  // Listen for signals before announcing readiness: a supervisor may stop us at once.
  let quit: (reason: string) => void = () => {};
  const quitting = new Promise<string>((resolve) => {
    quit = resolve;
  });
  const stopping = Promise.race([options.stopSignal ?? firstSignal(), quitting]);
  let desktop: Desktop;
  try {
    desktop = await startDesktop({
      status: () => service.status(),
      changes: service.changes,
      showWindow: (next) => showWindow.show(next).then(() => undefined),
      startTray: trayStarter(process.platform, env, log),
      mode: options.tray ?? TrayMode.Auto,
      resumeWindow: desktopPresent && takeResume(config.dataDir, Date.now(), config.windowIdleMs),
      desktop: desktopPresent,
      version: VERSION,
      quit: () => quit("Quit from the tray"),
      log,
      say: (line) => stdout.write(`${line}\n`),
    });
  } catch (error) {
    await secretsWindow?.close();
    service.close();
    socket.close();
    removeControlToken(controlPath);
    keys.close();
    keys.current()?.close();
    return fail(`Cannot show the tray icon: ${(error as Error).message}`);
  }
  stdout.write(`Heptora robot running (data dir ${config.dataDir}, socket ${config.socketPath})\n`);

  const signal = await stopping;
  log(`Stopping${typeof signal === "string" ? ` (${signal})` : ""}.`);
  await desktop.close();
  if (showWindow.isOpen) noteOpenWindow(config.dataDir, secretsWindow?.lastActivityAt());
  await showWindow.close();
  await secretsWindow?.close();
  service.close();
  socket.close();
  removeControlToken(controlPath);
  keys.close();
  keys.current()?.close();
  return 0;
}

function signedInEmail(status: LocalStatus): string | null {
  return status.signedIn ? status.email : null;
}

/** The crash tests' hook (socket/vault-routes.ts): HEPTORA_TEST_ROTATION_KILL_AT=N. */
function rotationKillHook(env: Readonly<Record<string, string | undefined>>) {
  const step = Number(env.HEPTORA_TEST_ROTATION_KILL_AT);
  return Number.isSafeInteger(step) && step > 0 ? { killAtStep: step } : {};
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
