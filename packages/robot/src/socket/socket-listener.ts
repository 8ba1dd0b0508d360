/**
 * Claims the robot's socket for a data dir. A socket file left by a killed daemon (nobody
 * accepts on it) is replaced; one where a daemon answers means another robot runs on this data
 * dir, and we refuse. The socket is created under umask 0177, so it is 0600 from birth.
 */
import { rmSync } from "node:fs";
import type { Server } from "node:net";
import { connect } from "node:net";

export class SocketInUseError extends Error {
  constructor(socketPath: string) {
    super(`Another robot is already running on this data dir (socket ${socketPath}).`);
    this.name = "SocketInUseError";
  }
}

/** Whether something accepts connections on `socketPath`. */
export function isSocketAlive(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ path: socketPath });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

function listenOnce(server: Server, socketPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off("listening", onListening);
      reject(error);
    };
    const onListening = () => {
      server.off("error", onError);
      resolve();
    };
    server.once("error", onError);
    server.once("listening", onListening);
    const windows = process.platform === "win32";
    const previous = windows ? 0 : process.umask(0o177);
    try {
      server.listen({ path: socketPath, readableAll: false, writableAll: false });
    } finally {
      if (!windows) process.umask(previous);
    }
  });
}

export async function listenOnSocket(server: Server, socketPath: string): Promise<void> {
  try {
    await listenOnce(server, socketPath);
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
  }
  if (await isSocketAlive(socketPath)) throw new SocketInUseError(socketPath);
  // Stale: left behind by a daemon that did not shut down cleanly.
  if (process.platform !== "win32") rmSync(socketPath, { force: true });
  try {
    await listenOnce(server, socketPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
      throw new SocketInUseError(socketPath);
    }
    throw error;
  }
}
