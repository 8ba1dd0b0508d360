/**
 * A private session bus for a test file: the real dbus-daemon (Debian's /usr/bin/dbus-daemon)
 * on a socket in a temp dir, its address read from its own output (no sleeping), killed after.
 * Plus helpers to await a signal on one of our connections.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { connectToBus, type DBusConnection } from "../../src/tray/linux/dbus-connection.ts";
import type { DBusMessage } from "../../src/tray/linux/dbus-message.ts";
import { makeTempDir, type TempDir } from "../support/temp.ts";

export interface PrivateBus {
  address: string;
  connect(): Promise<DBusConnection>;
  stop(): Promise<void>;
}

export async function startPrivateBus(): Promise<PrivateBus> {
  const dir: TempDir = makeTempDir("hb-");
  const daemon: ChildProcess = spawn(
    "/usr/bin/dbus-daemon",
    [
      "--session",
      "--nofork",
      "--nopidfile",
      "--print-address=1",
      `--address=unix:path=${join(dir.path, "bus")}`,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const address = await new Promise<string>((resolve, reject) => {
    let out = "";
    let err = "";
    daemon.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n")[0];
      if (out.includes("\n") && line) resolve(line.trim());
    });
    daemon.stderr?.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    daemon.once("error", reject);
    daemon.once("exit", (code) => reject(new Error(`dbus-daemon exited (${code}): ${err}`)));
  });
  const connections: DBusConnection[] = [];
  return {
    address,
    async connect() {
      const connection = await connectToBus({ address, uid: process.getuid?.() ?? 0 });
      connections.push(connection);
      return connection;
    },
    async stop() {
      await Promise.all(connections.map((connection) => connection.close()));
      if (daemon.exitCode === null) {
        const exited = once(daemon, "exit");
        daemon.kill("SIGTERM");
        await exited;
      }
      dir.remove();
    },
  };
}

/** The next signal on `connection` that `matches` (add the bus match rule first). */
export function nextSignal(
  connection: DBusConnection,
  matches: (message: DBusMessage) => boolean,
): Promise<DBusMessage> {
  return new Promise((resolve) => {
    const stop = connection.onSignal((message) => {
      if (matches(message)) {
        stop();
        resolve(message);
      }
    });
  });
}
