/**
 * The socket server: the robot's HTTP server on its Unix socket (a named pipe on Windows), for
 * the CLI and the runs. It claims the socket first, answering "starting" until the daemon hands
 * it the local API, so a second daemon on the same data dir is refused before anything opens.
 *
 * @example
 * const socket = await claimSocketServer(config.socketPath); // throws SocketInUseError
 * socket.serve(createLocalApi({ service, controlDigest, log }));
 * await socket.close();
 */
import { rmSync } from "node:fs";
import { createServer, type RequestListener } from "node:http";
import { HeptoraError } from "@heptora/protocol";
import { sendError } from "../http/http-kit.ts";
import { listenOnSocket } from "./socket-listener.ts";

export interface SocketServer {
  /** From now on, requests go to `handler`. */
  serve(handler: RequestListener): void;
  /** Stops listening, ends open connections (runs end with them) and removes the socket file. */
  close(): void;
}

export async function claimSocketServer(socketPath: string): Promise<SocketServer> {
  let handler: RequestListener = (_req, res) =>
    sendError(res, new HeptoraError("service_unavailable", { message: "The robot is starting." }));
  const server = createServer((req, res) => handler(req, res));
  await listenOnSocket(server, socketPath);
  return {
    serve(next) {
      handler = next;
    },
    close() {
      server.close();
      server.closeAllConnections();
      if (process.platform !== "win32") rmSync(socketPath, { force: true });
    },
  };
}
