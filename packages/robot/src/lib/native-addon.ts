/**
 * Loads an optional native addon (a `.node` file, such as the OS keychain slot's binding from
 * `@napi-rs/keyring`) or answers undefined when it is not there: the robot then works without
 * what it adds.
 *
 * From the sources it resolves like any package (node_modules). In the self-contained executable
 * (docs/adr/0082) the bundle cannot hold a `.node` file and a SEA's own `require` loads built-ins
 * only, so the addon is looked up in the install's folders with `module.createRequire`: on Linux
 * `../lib/heptora` from the executable's folder (`/usr/lib/heptora` for the .deb's
 * `/usr/bin/heptora`, also inside a root dpkg installed into) and the executable's own folder
 * (the bare-file install, and Windows). `name` is a package name (`node_modules/<name>` inside a
 * folder) or a file, `./keyring.linux-x64-gnu.node`.
 *
 * An addon that is found but does not load (ERR_DLOPEN_FAILED: another machine kind, a missing
 * library) is not silently absent: when no folder has a usable one, that error is thrown, so the
 * caller can say why.
 *
 * @example
 * const keyring = loadNativeAddon<typeof import("@napi-rs/keyring")>("@napi-rs/keyring");
 * if (keyring === undefined) { ... no OS keychain slot on this machine ... }
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** The folders an installed executable loads addons from, most specific first. */
export function addonFolders(execPath: string, platform: NodeJS.Platform): string[] {
  const beside = dirname(execPath);
  return platform === "linux" ? [join(beside, "..", "lib", "heptora"), beside] : [beside];
}

/** True in the self-contained executable. */
export function inExecutable(): boolean {
  return process.getBuiltinModule("node:sea")?.isSea() === true;
}

const MISSING = new Set(["MODULE_NOT_FOUND", "ERR_REQUIRE_ESM"]);

export function loadNativeAddon<T>(
  name: string,
  folders: readonly string[] = inExecutable()
    ? addonFolders(process.execPath, process.platform)
    : [],
): T | undefined {
  const bases =
    folders.length > 0
      ? folders.map((folder) => join(folder, "addons.cjs"))
      : [import.meta.filename];
  let unusable: unknown;
  for (const base of bases) {
    try {
      return createRequire(base)(name) as T;
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (code === "ERR_DLOPEN_FAILED") unusable ??= error;
      else if (typeof code !== "string" || !MISSING.has(code)) throw error;
    }
  }
  if (unusable !== undefined) throw unusable;
  return undefined;
}
