/**
 * The robot's default paths: where it keeps its vault (the data dir) and, elsewhere, the key file
 * that opens it, by OS convention. The overrides (`--data-dir`/`HEPTORA_HOME`, `--key-file`/
 * `HEPTORA_KEY_FILE`) are settings (settings.ts); the vault itself is given both paths and reads
 * no environment.
 *
 * The key file lives under the OS config dir, never inside the data dir, so that a copy of the
 * data dir alone (a backup, a synced folder, a stolen disk image of one folder) opens nothing.
 */
import type { PlatformPath } from "node:path";

// Builtins through getBuiltinModule, not `import`: an ESM import of a builtin evaluates all of its
// lazy exports (node:fs loads fs/promises, node:crypto webcrypto...), a cost on every CLI start
// (docs/adr/0061).
const { realpathSync } = process.getBuiltinModule("node:fs");
const { homedir: osHomedir } = process.getBuiltinModule("node:os");
const { posix: posixPath, win32: win32Path } = process.getBuiltinModule("node:path");

interface PathOptions {
  env: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  homedir?: string;
}

function pathsFor(platform: NodeJS.Platform): PlatformPath {
  return platform === "win32" ? win32Path : posixPath;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== "" ? value : undefined;
}

/** An environment directory counts only when absolute (the XDG spec says to ignore others). */
function absoluteEnv(value: string | undefined, path: PlatformPath): string | undefined {
  const v = nonEmpty(value);
  return v !== undefined && path.isAbsolute(v) ? v : undefined;
}

/**
 * The data dir when none is given: the OS convention.
 *
 * @example
 * defaultDataDir({ env: process.env }); // "/home/ana/.local/share/heptora" on Linux
 */
export function defaultDataDir(opts: PathOptions): string {
  const platform = opts.platform ?? process.platform;
  const path = pathsFor(platform);
  const home = opts.homedir ?? osHomedir();
  if (platform === "win32") {
    const local = absoluteEnv(opts.env.LOCALAPPDATA, path) ?? path.join(home, "AppData", "Local");
    return path.join(local, "Heptora");
  }
  if (platform === "darwin") return path.join(home, "Library", "Application Support", "Heptora");
  const data = absoluteEnv(opts.env.XDG_DATA_HOME, path) ?? path.join(home, ".local", "share");
  return path.join(data, "heptora");
}

/** A path given by the user (flag or variable), made absolute with the platform's rules. */
export function absolutePath(input: string, platform: NodeJS.Platform = process.platform): string {
  return pathsFor(platform).resolve(input);
}

/**
 * The key file of a data dir when none is given:
 * `<OS config dir>/heptora/keys/<hash of the data dir's real path>.key`.
 *
 * @example
 * defaultKeyFilePath({ dataDir: "/srv/robot", env: process.env });
 * // "/home/ana/.config/heptora/keys/3f2a...c1.key"
 */
export function defaultKeyFilePath(opts: PathOptions & { dataDir: string }): string {
  const platform = opts.platform ?? process.platform;
  const path = pathsFor(platform);
  const home = opts.homedir ?? osHomedir();
  let keys: string;
  if (platform === "win32") {
    const roaming = absoluteEnv(opts.env.APPDATA, path) ?? path.join(home, "AppData", "Roaming");
    keys = path.join(roaming, "Heptora", "keys");
  } else if (platform === "darwin") {
    keys = path.join(home, "Library", "Preferences", "Heptora", "keys");
  } else {
    const config = absoluteEnv(opts.env.XDG_CONFIG_HOME, path) ?? path.join(home, ".config");
    keys = path.join(config, "heptora", "keys");
  }
  // node:crypto costs 15 ms or more to load: only here, which only the daemon reaches.
  const { createHash } = process.getBuiltinModule("node:crypto");
  const id = createHash("sha256")
    .update(canonicalDir(opts.dataDir, platform))
    .digest("hex")
    .slice(0, 32);
  return path.join(keys, `${id}.key`);
}

/**
 * The real path of `dir` (symlinks resolved) even when it does not exist yet: the deepest
 * existing ancestor is resolved and the rest appended, so the hash is stable before and after
 * the data dir is created.
 */
function canonicalDir(dir: string, platform: NodeJS.Platform): string {
  const path = pathsFor(platform);
  const absolute = path.resolve(dir);
  if (platform !== process.platform) return absolute;
  const rest: string[] = [];
  let current = absolute;
  for (let depth = 0; depth < 256; depth++) {
    try {
      const real = realpathSync.native(current);
      return rest.length === 0 ? real : path.join(real, ...rest.reverse());
    } catch {
      const parent = path.dirname(current);
      if (parent === current) break;
      rest.push(path.basename(current));
      current = parent;
    }
  }
  return absolute;
}
