/**
 * A client of the robot's local API: `GET /v1/secrets/{name}` over its Unix socket (or Windows
 * named pipe) with the run token as bearer. One keep-alive agent per client, so an automation
 * that reads ten secrets opens one connection, not ten; idle pooled sockets are unref'd by Node
 * and never keep the automation alive.
 */
import { Agent, request } from "node:http";
import { HeptoraSecretError, SdkErrorCodes } from "./errors.ts";
import { assertSecretName } from "./names.ts";
import { namesFromResponse, secretFromResponse } from "./response.ts";

export const DEFAULT_TIMEOUT_MS = 10_000;
/** Bounds a runaway answer; secret values are far smaller. */
const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
/** Enough for parallel reads; a `Promise.all` over 10,000 names queues instead of flooding. */
const MAX_SOCKETS = 16;
/** What a run token looks like on the wire: visible ASCII, no spaces (header-safe). */
const TOKEN_SHAPE = /^[\x21-\x7e]{1,1024}$/;

export interface ClientOptions {
  /** Path of the robot's socket (HEPTORA_ROBOT_SOCKET), or a `\\.\pipe\...` name on Windows. */
  socketPath: string;
  /** The run token `heptora run` gave this automation (HEPTORA_RUN_TOKEN). */
  token: string;
  /** Whole-request deadline; 10 s unless set. */
  timeoutMs?: number;
}

export interface HeptoraClient {
  /** The value of `name` for the running process; rejects with a HeptoraSecretError. */
  getSecret(name: string): Promise<string>;
  /**
   * The names the running process declares (names only: no value, not whether one is set), in
   * the order the process lists them; rejects with a HeptoraSecretError.
   */
  listSecretNames(): Promise<string[]>;
  /** Closes pooled connections. Optional: idle connections never hold the process open. */
  close(): void;
}

/**
 * A client bound to one socket and token. `getSecret()` builds one from the environment; use this
 * to pass them explicitly (tests, a long-lived worker that outlives its run's environment).
 *
 * @example
 * const robot = createClient({ socketPath: "/tmp/robot.sock", token });
 * const user = await robot.getSecret("SAP_USER");
 * robot.close();
 */
export function createClient(options: ClientOptions): HeptoraClient {
  const { socketPath } = options;
  const token = options.token;
  if (!TOKEN_SHAPE.test(token)) {
    throw new HeptoraSecretError(
      SdkErrorCodes.NotInARun,
      "The run token is malformed: run this automation with `heptora run PROCESS -- ...` so " +
        "that it gets a valid one.",
    );
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const agent = new Agent({ keepAlive: true, maxSockets: MAX_SOCKETS });
  const exchange: Exchange = { agent, socketPath, token, timeoutMs };

  return {
    async getSecret(name: string): Promise<string> {
      assertSecretName(name);
      const answer = await sendOnce(exchange, `/v1/secrets/${encodeURIComponent(name)}`);
      return secretFromResponse(name, answer.status, answer.body, token);
    },
    async listSecretNames(): Promise<string[]> {
      const answer = await sendOnce(exchange, "/v1/secrets");
      return namesFromResponse(answer.status, answer.body, token);
    },
    close(): void {
      agent.destroy();
    },
  };
}

/** One GET, retried once when a kept-alive connection turns out to be dropped. */
async function sendOnce(exchange: Exchange, path: string): Promise<Answer> {
  try {
    return await send(exchange, path);
  } catch (error) {
    // A kept-alive connection the robot closed while idle fails on first use: the request
    // never reached it, so one retry on a fresh connection is safe (GET, no side effect
    // beyond an audit entry).
    if (!isDroppedReusedSocket(error)) throw toSdkError(error, exchange.socketPath);
    try {
      return await send(exchange, path);
    } catch (retryError) {
      throw toSdkError(retryError, exchange.socketPath);
    }
  }
}

interface Exchange {
  agent: Agent;
  socketPath: string;
  token: string;
  timeoutMs: number;
}

interface Answer {
  status: number;
  body: string;
}

/** A transport failure, tagged with whether it happened on a pooled (reused) connection. */
interface TransportError extends NodeJS.ErrnoException {
  heptoraReusedSocket?: boolean;
}

function send(exchange: Exchange, path: string): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const req = request(
      {
        agent: exchange.agent,
        socketPath: exchange.socketPath,
        method: "GET",
        path,
        headers: {
          host: "localhost",
          authorization: `Bearer ${exchange.token}`,
          accept: "application/json",
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) {
            settle(() =>
              reject(
                new HeptoraSecretError(
                  SdkErrorCodes.BadResponse,
                  "The robot's answer is too large.",
                  {
                    status: res.statusCode,
                  },
                ),
              ),
            );
            req.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on("end", () =>
          settle(() =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
          ),
        );
        res.on("error", (error: TransportError) => settle(() => reject(error)));
      },
    );
    const timer = setTimeout(() => {
      const seconds = Math.round(exchange.timeoutMs / 100) / 10;
      settle(() =>
        reject(
          new HeptoraSecretError(
            SdkErrorCodes.RobotTimeout,
            `The robot did not answer within ${seconds} s. Check it with \`heptora status\` and ` +
              "try again.",
          ),
        ),
      );
      req.destroy();
    }, exchange.timeoutMs);
    req.on("error", (error: TransportError) => {
      error.heptoraReusedSocket = req.reusedSocket;
      settle(() => reject(error));
    });
    req.end();
  });
}

function isDroppedReusedSocket(error: unknown): boolean {
  const e = error as TransportError;
  return e?.heptoraReusedSocket === true && (e.code === "ECONNRESET" || e.code === "EPIPE");
}

/** Maps a transport failure to a message for the user; quotes the OS code, never the request. */
function toSdkError(error: unknown, socketPath: string): HeptoraSecretError {
  if (error instanceof HeptoraSecretError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT" || code === "ECONNREFUSED") {
    return new HeptoraSecretError(
      SdkErrorCodes.RobotNotRunning,
      "The robot is not running. Start it with `heptora start`.",
      { cause: error },
    );
  }
  return new HeptoraSecretError(
    SdkErrorCodes.RobotUnreachable,
    `Could not talk to the robot at ${socketPath} (${code ?? "unknown error"}).`,
    {
      hint: "Check it with `heptora status`; the automation must run as the robot's user.",
      cause: error,
    },
  );
}
