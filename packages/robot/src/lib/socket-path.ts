/**
 * Where the daemon listens for a data dir: `<dataDir>/robot.sock` on POSIX; on Windows a named
 * pipe whose name is derived from the data dir, so two robots with two data dirs never meet.
 */
import { CONTROL_TOKEN_FILE, ROBOT_SOCKET_FILE } from "@heptora/protocol/robot-api/environment";

// Builtins through getBuiltinModule, not `import`: an ESM import of a builtin evaluates all of its
// lazy exports (node:fs loads fs/promises, node:crypto webcrypto...), a cost on every CLI start
// (docs/adr/0061).
const { join, resolve } = process.getBuiltinModule("node:path");

/** Linux allows 107 bytes in sun_path (macOS 103); we refuse longer paths with a clear message. */
export const MAX_SOCKET_PATH_BYTES = 103;

export function socketPathFor(dataDir: string, platform: NodeJS.Platform = process.platform) {
  if (platform === "win32") {
    const { createHash } = process.getBuiltinModule("node:crypto");
    const digest = createHash("sha256").update(resolve(dataDir).toLowerCase()).digest("hex");
    return `\\\\.\\pipe\\heptora-${digest.slice(0, 24)}`;
  }
  return join(dataDir, ROBOT_SOCKET_FILE);
}

export function controlTokenPathFor(dataDir: string): string {
  return join(dataDir, CONTROL_TOKEN_FILE);
}
