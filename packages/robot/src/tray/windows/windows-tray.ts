/**
 * The Windows tray: the daemon's side of heptora-tray.exe (ADR 0064). Starts the helper from the
 * robot's install with its stdin/stdout as pipes and no window, says `hello 1`, sends each state,
 * and turns its `action` lines into TrayAction callbacks. The helper exits when told `quit` and
 * when its stdin closes, so it never outlives the daemon, even one that is killed.
 *
 * @example
 * const tray = await startWindowsTray(state, {}); // the helper from resolveTrayHelper()
 * tray.onAction((action) => { if (action === TrayAction.Quit) void stop(); });
 * tray.update({ ...state, status: "Platform unreachable, working offline" });
 * await tray.close();
 */
import { type ChildProcess, spawn as nodeSpawn, type SpawnOptions } from "node:child_process";
import { dirname, isAbsolute } from "node:path";
import { type Tray, type TrayAction, type TrayState, TrayUnavailableError } from "../tray.ts";
import { resolveTrayHelper } from "./helper-path.ts";
import {
  decodeEvent,
  encodeCommand,
  PROTOCOL_VERSION,
  stateCommand,
  type TrayCommand,
  type TrayEvent,
  TrayLimits,
} from "./tray-protocol.ts";

export { resolveTrayHelper } from "./helper-path.ts";

export type SpawnHelper = (
  command: string,
  args: readonly string[],
  options: SpawnOptions,
) => ChildProcess;

export interface WindowsTrayOptions {
  /** The helper; the default is resolveTrayHelper(). A path given here must come from it. */
  helperPath?: string;
  /**
   * A program that runs the .exe, with its arguments: ["/usr/bin/mono"] for the tests on Linux.
   * Empty (the default) on Windows, where the .exe runs itself.
   */
  runtime?: readonly string[];
  spawn?: SpawnHelper;
  /** The helper's environment (default: the daemon's). */
  env?: NodeJS.ProcessEnv;
  /** How long the helper has to greet and show the first state (Mono's first start is slow). */
  startTimeoutMs?: number;
  /** The helper ended without close(): the tray is gone; the daemon goes on without it. */
  onExit?: (reason: string) => void;
  /** One line for the daemon's log: an error the helper reported, a line it could not read. */
  log?: (line: string) => void;
}

const STDERR_KEPT = 2048;
const CLOSE_TIMEOUT_MS = 5000;

/** Starts the helper and shows `state`; rejects with a TrayUnavailableError saying why not. */
export async function startWindowsTray(
  state: TrayState,
  options: WindowsTrayOptions = {},
): Promise<Tray> {
  const helperPath = options.helperPath ?? resolveTrayHelper();
  if (!isAbsolute(helperPath)) {
    throw new TrayUnavailableError("The Windows tray helper path must be absolute.");
  }
  const [command = helperPath, ...args] = [...(options.runtime ?? []), helperPath];
  const spawn = options.spawn ?? nodeSpawn;
  const log = options.log ?? (() => {});
  const listeners: ((action: TrayAction) => void)[] = [];
  let stderr = "";
  let buffered = "";
  let exited = false;
  let closing = false;
  let settleStart: ((error?: Error) => void) | undefined;
  let awaitingShown = false;

  let child: ChildProcess;
  try {
    child = spawn(command, args, {
      cwd: dirname(helperPath),
      env: options.env ?? process.env,
      stdio: ["pipe", "pipe", "pipe"],
      windowsHide: true,
    });
  } catch (error) {
    throw new TrayUnavailableError(`The Windows tray helper did not start: ${String(error)}.`);
  }
  const { stdin, stdout } = child;
  if (!stdin || !stdout) throw new TrayUnavailableError("The Windows tray helper has no pipes.");

  const send = (cmd: TrayCommand) => {
    if (exited || closing || stdin.destroyed) return;
    stdin.write(encodeCommand(cmd));
  };
  stdin.on("error", () => {}); // a helper gone mid-write: the exit handler reports it

  const onEvent = (event: TrayEvent) => {
    switch (event.type) {
      case "ready":
        if (event.version !== PROTOCOL_VERSION) {
          settleStart?.(new Error(`it speaks protocol version ${event.version}`));
          return;
        }
        awaitingShown = true;
        send(stateCommand(state));
        return;
      case "shown":
        if (awaitingShown) {
          awaitingShown = false;
          settleStart?.();
        }
        return;
      case "action":
        for (const listener of listeners) {
          try {
            listener(event.action);
          } catch (error) {
            log(`A tray action handler failed on ${event.action}: ${String(error)}`);
          }
        }
        return;
      case "error":
        log(`Windows tray helper: ${event.code} (${event.detail})`);
        if (settleStart) settleStart(new Error(`${event.code}: ${event.detail}`));
        return;
      case "menu":
        return;
    }
  };

  stdout.setEncoding("utf8");
  stdout.on("data", (chunk: string) => {
    buffered += chunk;
    let newline = buffered.indexOf("\n");
    while (newline >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      let event: TrayEvent | undefined;
      try {
        event = decodeEvent(line);
      } catch (error) {
        log(`Windows tray helper sent a line the robot cannot read: ${String(error)}`);
      }
      if (event) onEvent(event);
      newline = buffered.indexOf("\n");
    }
    if (buffered.length > TrayLimits.lineChars) {
      log("Windows tray helper sent an over-long line: stopping it.");
      buffered = "";
      child.kill();
    }
  });
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEPT);
  });

  const exitedPromise = new Promise<void>((resolve) => {
    const finish = (reason: string) => {
      if (exited) return;
      exited = true;
      settleStart?.(new Error(reason));
      if (!closing) options.onExit?.(reason);
      resolve();
    };
    child.once("error", (error) => finish(`it could not run (${error.message})`));
    child.once("exit", (code, signal) => {
      const why = signal ? `signal ${signal}` : `code ${code}`;
      const said = stderr.trim().split("\n")[0];
      finish(`it exited with ${why}${said ? `: ${said}` : ""}`);
    });
  });

  const startTimeoutMs = options.startTimeoutMs ?? 20_000;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => settleStart?.(new Error(`it did not answer within ${startTimeoutMs} ms`)),
      startTimeoutMs,
    );
    settleStart = (error) => {
      settleStart = undefined;
      clearTimeout(timer);
      if (error) {
        if (!exited) child.kill();
        reject(
          new TrayUnavailableError(`The Windows tray helper did not start: ${error.message}.`),
        );
      } else resolve();
    };
    send({ type: "hello", version: PROTOCOL_VERSION });
  });

  return {
    update(next: TrayState): void {
      state = next;
      send(stateCommand(next));
    },
    onAction(listener: (action: TrayAction) => void): void {
      listeners.push(listener);
    },
    async close(): Promise<void> {
      if (!closing && !exited) {
        send({ type: "quit" });
        closing = true;
        stdin.end();
        const timer = setTimeout(() => child.kill(), CLOSE_TIMEOUT_MS);
        await exitedPromise;
        clearTimeout(timer);
      }
      closing = true;
      await exitedPromise;
    },
  };
}
