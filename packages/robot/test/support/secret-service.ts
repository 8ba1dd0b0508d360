/**
 * A real Secret Service for a test: a private D-Bus session (`dbus-run-session`) with
 * gnome-keyring-daemon's secrets component, its login keyring created and unlocked with a random
 * password fed on stdin, in a home folder of the test's own. The session lives until `stop()`
 * (its shell waits on `cat`, which ends when we close its stdin).
 *
 * @example
 * const bus = await startSecretService(join(temp.path, "keyring-home"));
 * spawn("heptora", ["start"], { env: { ...env, DBUS_SESSION_BUS_ADDRESS: bus.address } });
 * await bus.stop();
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

export interface SecretService {
  /** DBUS_SESSION_BUS_ADDRESS of the session. */
  address: string;
  stop(): Promise<void>;
}

export async function startSecretService(home: string): Promise<SecretService> {
  for (const dir of [home, join(home, "run"), join(home, ".cache"), join(home, "share")]) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }
  const script = [
    'printf "%s" "$KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null',
    'echo "BUS $DBUS_SESSION_BUS_ADDRESS"',
    "exec cat",
  ].join(" && ");
  const child = spawn("dbus-run-session", ["--", "sh", "-c", script], {
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: home,
      XDG_RUNTIME_DIR: join(home, "run"),
      XDG_DATA_HOME: join(home, "share"),
      XDG_CACHE_HOME: join(home, ".cache"),
      KEYRING_PASSWORD: randomBytes(18).toString("base64url"),
    },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const exited = once(child, "exit");
  const address = await new Promise<string>((resolve, reject) => {
    let stdout = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`The Secret Service did not start. stderr: ${stderr}`));
    }, 20_000);
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      const found = stdout.match(/^BUS (\S+)$/m);
      if (found) {
        clearTimeout(timer);
        resolve(found[1] as string);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`dbus-run-session exited with ${code}: ${stderr}`));
    });
  });
  return {
    address,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin.end();
      await exited;
    },
  };
}
