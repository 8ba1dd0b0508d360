/**
 * One HTTP/1.1 request over the robot's Unix socket (or named pipe), with a JSON body and a JSON
 * answer. Used by the CLI; the SDKs have their own copy (they carry no dependency).
 * A socket that is missing or refuses connections means the daemon is not running.
 */
import { HeptoraError } from "@heptora/protocol/errors";

// node:net, not node:http: loading node:http (agent, client, parser, server) and sending one
// request through it cost about 30 ms of every CLI command that talks to the daemon, most of the
// start-up of `heptora secrets get` (docs/adr/0082, "Start-up"). The daemon answers one JSON
// request per connection, so the client below speaks just that much HTTP/1.1. getBuiltinModule,
// not `import`: see docs/adr/0061.
const { connect } = process.getBuiltinModule("node:net");

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

/** What may go into a request line or a header value: printable ASCII, no CR, LF or controls. */
const SAFE_HEADER_TEXT = /^[\x20-\x7e]*$/;

export function socketRequest(options: SocketRequest): Promise<SocketAnswer> {
  const payload =
    options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
  if (!/^[\x21-\x7e]+$/.test(options.path) || !SAFE_HEADER_TEXT.test(options.token)) {
    // Node's HTTP client refused these too (ERR_UNESCAPED_CHARACTERS, ERR_INVALID_CHAR).
    return Promise.reject(
      new HeptoraError("internal_error", {
        message: "The request to the robot has characters a request line or header cannot carry.",
      }),
    );
  }
  const head = [
    `${options.method} ${options.path} HTTP/1.1`,
    "host: localhost",
    "connection: close",
    `authorization: Bearer ${options.token}`,
    "accept: application/json",
    ...(payload === undefined
      ? []
      : ["content-type: application/json", `content-length: ${payload.length}`]),
    "",
    "",
  ].join("\r\n");
  return new Promise((resolve, reject) => {
    const socket = connect({ path: options.socketPath });
    const chunks: Buffer[] = [];
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      reject(isNotListening(error) ? notRunning(error) : error);
    };
    socket.setTimeout(options.timeoutMs ?? 30_000, () =>
      fail(
        new HeptoraError("service_unavailable", {
          message: "The robot did not answer in time.",
          hint: "Check the daemon's output (`heptora start`).",
        }),
      ),
    );
    socket.on("error", fail);
    let received = 0;
    // Once the head says how long the answer is, nothing is parsed again until it is all here:
    // a large answer (audit list, secrets list) is not copied and re-read for every chunk.
    let needed = 0;
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (received < needed) return;
      const bytes = Buffer.concat(chunks);
      const answer = parseAnswer(bytes, false);
      if (answer !== undefined) finish(answer);
      else needed = expectedLength(bytes) ?? 0;
    });
    socket.on("end", () => {
      const answer = parseAnswer(Buffer.concat(chunks), true);
      if (answer !== undefined) finish(answer);
      // Closed before a whole answer: the daemon went away (what Node's "socket hang up" said).
      else
        fail(Object.assign(new Error("The robot closed the connection."), { code: "ECONNRESET" }));
    });
    function finish(answer: { status: number; text: string }) {
      if (settled) return;
      settled = true;
      socket.destroy();
      let body: unknown = null;
      if (answer.text.length > 0) {
        try {
          body = JSON.parse(answer.text);
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
      resolve({ status: answer.status, body });
    }
    socket.write(payload === undefined ? head : Buffer.concat([Buffer.from(head), payload]));
  });
}

/** The whole answer's length when its head is in `bytes` and gives a content-length. */
function expectedLength(bytes: Buffer): number | undefined {
  const headEnd = bytes.indexOf("\r\n\r\n");
  if (headEnd < 0) return undefined;
  const length = /\r\ncontent-length:[ \t]*(\d{1,15})[ \t]*\r\n/i.exec(
    bytes.subarray(0, headEnd + 2).toString("latin1"),
  )?.[1];
  return length === undefined ? undefined : headEnd + 4 + Number(length);
}

/**
 * The status and body of an HTTP/1.1 answer in `bytes`, or undefined while it is incomplete.
 * The body is delimited by content-length, by chunked transfer coding, or (neither) by the end of
 * the connection (`ended`). A malformed answer throws nothing: it stays incomplete, and the end of
 * the connection then reports it as a cut connection.
 */
function parseAnswer(bytes: Buffer, ended: boolean): { status: number; text: string } | undefined {
  const headEnd = bytes.indexOf("\r\n\r\n");
  if (headEnd < 0) return undefined;
  const lines = bytes.subarray(0, headEnd).toString("latin1").split("\r\n");
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? "")?.[1];
  if (status === undefined) return undefined;
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon > 0)
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const body = bytes.subarray(headEnd + 4);
  const length = headers.get("content-length");
  if (length !== undefined) {
    const size = Number(length);
    if (!Number.isSafeInteger(size) || size < 0 || body.length < size) return undefined;
    return { status: Number(status), text: body.subarray(0, size).toString("utf8") };
  }
  if (/\bchunked\b/i.test(headers.get("transfer-encoding") ?? "")) {
    const parts: Buffer[] = [];
    let at = 0;
    for (;;) {
      const lineEnd = body.indexOf("\r\n", at);
      if (lineEnd < 0) return undefined;
      const size = Number.parseInt(body.subarray(at, lineEnd).toString("latin1"), 16);
      if (!Number.isSafeInteger(size) || size < 0) return undefined;
      if (size === 0)
        return { status: Number(status), text: Buffer.concat(parts).toString("utf8") };
      if (body.length < lineEnd + 2 + size + 2) return undefined;
      parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
  }
  return ended ? { status: Number(status), text: body.toString("utf8") } : undefined;
}
