/**
 * One HTTP/1.1 request over the robot's Unix socket (or named pipe), with a JSON body and a JSON
 * answer. Used by the CLI; the SDKs have their own copy (they carry no dependency).
 * A socket that is missing or refuses connections means the daemon is not running.
 */
import { HeptoraError } from "@heptora/protocol/errors";

// Not `import ... from "node:http"`: the ESM facade of node:http evaluates every lazy export,
// undici included (about 25 ms of a CLI start, docs/adr/0061); getBuiltinModule does not.
const { request } = process.getBuiltinModule("node:http");

export interface SocketRequest {
  socketPath: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  token: string;
  body?: unknown;
  /** Milliseconds before giving up; sign-in and sync wait on the platform, so they get more. */
  timeoutMs?: number;
}

export interface SocketAnswer {
  status: number;
  body: unknown;
}

/** Error codes of connect() that mean "nobody is listening on that socket". */
const NOT_LISTENING = new Set(["ENOENT", "ECONNREFUSED", "ENOTSOCK", "ECONNRESET", "EPIPE"]);

export function isNotListening(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code !== undefined && NOT_LISTENING.has(code);
}

export function notRunning(cause?: unknown): HeptoraError {
  return new HeptoraError("robot_not_running", { cause });
}

export function socketRequest(options: SocketRequest): Promise<SocketAnswer> {
  const payload =
    options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath: options.socketPath,
        method: options.method,
        path: options.path,
        headers: {
          authorization: `Bearer ${options.token}`,
          accept: "application/json",
          ...(payload === undefined
            ? {}
            : { "content-type": "application/json", "content-length": payload.length }),
        },
        agent: false,
        timeout: options.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let body: unknown = null;
          if (text.length > 0) {
            try {
              body = JSON.parse(text);
            } catch (cause) {
              reject(
                new HeptoraError("internal_error", {
                  message: "The robot sent an answer that is not JSON.",
                  cause,
                }),
              );
              return;
            }
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
      },
    );
    req.on("timeout", () => {
      req.destroy(
        new HeptoraError("service_unavailable", {
          message: "The robot did not answer in time.",
          hint: "Check the daemon's output (`heptora start`).",
        }),
      );
    });
    req.on("error", (error) => reject(isNotListening(error) ? notRunning(error) : error));
    req.end(payload);
  });
}
