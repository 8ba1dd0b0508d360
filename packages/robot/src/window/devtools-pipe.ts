/**
 * A minimal Chrome DevTools Protocol client over the pipe a Chromium-family browser opens with
 * `--remote-debugging-pipe`: the browser reads commands on its fd 3 and writes answers and events
 * on its fd 4, each a JSON text ended by a NUL byte. Only the process that started the browser
 * holds these pipes, so what goes through them (the window's one-time link) is out of reach of
 * other local users, unlike a command line or a debugging port. Bounded: a message larger than
 * 4 MiB or a call unanswered after 15 s fails.
 *
 * @example
 * const cdp = attachDevToolsPipe(child.stdio[3], child.stdio[4]);
 * const { targetInfos } = await cdp.call("Target.getTargets");
 */
import type { Readable, Writable } from "node:stream";

const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
const CALL_TIMEOUT_MS = 15_000;

export interface DevToolsPipe {
  /** Sends one command (to the browser, or to an attached session) and waits for its answer. */
  call(
    method: string,
    params?: Record<string, unknown>,
    sessionId?: string,
  ): Promise<Record<string, unknown>>;
  /** Rejects every pending call and ignores what comes after. */
  close(): void;
}

interface Pending {
  resolve(result: Record<string, unknown>): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export function attachDevToolsPipe(input: Writable, output: Readable): DevToolsPipe {
  let nextId = 1;
  let closed = false;
  const pending = new Map<number, Pending>();
  let buffered: Buffer[] = [];
  let bufferedBytes = 0;

  function failAll(reason: string): void {
    closed = true;
    for (const [id, call] of pending) {
      clearTimeout(call.timer);
      call.reject(new Error(reason));
      pending.delete(id);
    }
  }

  function handle(text: string): void {
    let message: { id?: unknown; result?: unknown; error?: { message?: unknown } };
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof message.id !== "number") return; // an event: not needed here
    const call = pending.get(message.id);
    if (call === undefined) return;
    pending.delete(message.id);
    clearTimeout(call.timer);
    if (message.error !== undefined) {
      const why = typeof message.error.message === "string" ? message.error.message : "error";
      call.reject(new Error(`The browser refused a DevTools call: ${why}`));
    } else {
      call.resolve((message.result ?? {}) as Record<string, unknown>);
    }
  }

  output.on("data", (chunk: Buffer) => {
    if (closed) return;
    let start = 0;
    for (let end = chunk.indexOf(0); end !== -1; end = chunk.indexOf(0, start)) {
      buffered.push(chunk.subarray(start, end));
      handle(Buffer.concat(buffered).toString("utf8"));
      buffered = [];
      bufferedBytes = 0;
      start = end + 1;
    }
    if (start < chunk.length) {
      buffered.push(chunk.subarray(start));
      bufferedBytes += chunk.length - start;
      if (bufferedBytes > MAX_MESSAGE_BYTES) failAll("The browser sent an oversized message.");
    }
  });
  output.on("error", () => failAll("The browser's DevTools pipe failed."));
  output.on("close", () => failAll("The browser closed."));
  input.on("error", () => failAll("The browser's DevTools pipe failed."));

  return {
    call(method, params = {}, sessionId) {
      if (closed) return Promise.reject(new Error("The browser closed."));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`The browser did not answer ${method} in time.`));
        }, CALL_TIMEOUT_MS);
        timer.unref();
        pending.set(id, { resolve, reject, timer });
        const message = { id, method, params, ...(sessionId === undefined ? {} : { sessionId }) };
        input.write(`${JSON.stringify(message)}\0`);
      });
    },
    close() {
      failAll("The DevTools pipe was closed.");
    },
  };
}
