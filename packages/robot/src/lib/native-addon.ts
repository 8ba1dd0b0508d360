/**
 * Loads an optional native addon (a `.node` file, such as `@napi-rs/keyring` for the OS keychain
 * slot) or answers undefined when it is not there: the robot then works without what it adds.
 *
 * From the sources it resolves like any package (node_modules). In the self-contained executable
 * (docs/adr/0082) the bundle cannot hold a `.node` file and a SEA's own `require` loads built-ins
 * only, so the addon is looked up in the install's library folder: `/usr/lib/heptora` (the .deb)
 * and the executable's own folder, each with a `node_modules/<name>` inside.
 *
 * @example
 * const keyring = loadNativeAddon<typeof import("@napi-rs/keyring")>("@napi-rs/keyring");
 * if (keyring === undefined) { ... no OS keychain slot on this machine ... }
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** The folders an installed executable loads addons from, most specific first. */
export function addonFolders(execPath: string, platform: NodeJS.Platform): string[] {
  return platform === "linux" ? ["/usr/lib/heptora", dirname(execPath)] : [dirname(execPath)];
}

const MISSING = new Set(["MODULE_NOT_FOUND", "ERR_DLOPEN_FAILED", "ERR_REQUIRE_ESM"]);

export function loadNativeAddon<T>(
  name: string,
  folders: readonly string[] = process.getBuiltinModule("node:sea")?.isSea() === true
    ? addonFolders(process.execPath, process.platform)
    : [],
): T | undefined {
  const bases =
    folders.length > 0
      ? folders.map((folder) => join(folder, "addons.cjs"))
      : [import.meta.filename];
  for (const base of bases) {
    try {
      return createRequire(base)(name) as T;
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (typeof code !== "string" || !MISSING.has(code)) throw error;
    }
  }
  return undefined;
}
