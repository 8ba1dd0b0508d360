/**
 * A stand-in for the robot's local API: node:http on a temporary Unix socket, recording every
 * request and counting connections, answering with whatever the test's handler says.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface RecordedRequest {
  method: string | undefined;
  url: string | undefined;
  authorization: string | undefined;
  host: string | undefined;
}

export interface FakeRobot {
  socketPath: string;
  dir: string;
  requests: RecordedRequest[];
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export async function startFakeRobot(handler: Handler): Promise<FakeRobot> {
  const dir = mkdtempSync(join(tmpdir(), "heptora-sdk-"));
  const socketPath = join(dir, "robot.sock");
  const requests: RecordedRequest[] = [];
  let connections = 0;
  const server = createServer((req, res) => {
    requests.push({
      method: req.method,
      url: req.url,
      authorization: req.headers.authorization,
      host: req.headers.host,
    });
    handler(req, res);
  });
  // Longer than any test: idle kept-alive connections stay open until close().
  server.keepAliveTimeout = 60_000;
  server.on("connection", () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    socketPath,
    dir,
    requests,
    connections: () => connections,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Answers like the robot: 200 with `{ name, value }` from `values`, else its error body. */
export function secretsHandler(values: Record<string, string>): Handler {
  return (req, res) => {
    const name = decodeURIComponent((req.url ?? "").replace(/^\/v1\/secrets\//, ""));
    const value = values[name];
    if (value === undefined) {
      json(res, 404, {
        error: { code: "secret_not_declared", message: `The process does not declare '${name}'.` },
      });
    } else {
      json(res, 200, { name, value });
    }
  };
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}
