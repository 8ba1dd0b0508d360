/** Short-lived temp dirs (short paths: a Unix socket path must fit in ~100 bytes). */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TempDir {
  path: string;
  dataDir: string;
  keyFile: string;
  remove(): void;
}

export function makeTempDir(prefix = "hr-"): TempDir {
  const base = tmpdir().length > 40 ? "/tmp" : tmpdir();
  const path = mkdtempSync(join(base, prefix));
  return {
    path,
    dataDir: join(path, "data"),
    keyFile: join(path, "keys", "robot.key"),
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}
