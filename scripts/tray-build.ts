/**
 * Builds the Windows tray helper (packages/robot/tray-windows/*.cs) into
 * packages/robot/tray-windows/dist/heptora-tray.exe with Mono's C# compiler, for .NET Framework 4
 * (ADR 0064), when a source is newer than the build. Part of `npm ci` (prepare) and of the tests
 * that drive the helper. Without `mcs` (a developer on macOS) it says so in one line and builds
 * nothing: only the Windows tray needs the helper.
 */
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { logoIco } from "../packages/robot/src/tray/windows/tray-icon.ts";

const root = join(import.meta.dirname, "..");
export const TRAY_SOURCES = join(root, "packages", "robot", "tray-windows");
export const TRAY_HELPER = join(TRAY_SOURCES, "dist", "heptora-tray.exe");
export const MONO_INSTALL = "apt-get install -y mono-mcs libmono-system-windows-forms4.0-cil";

function hasMcs(): boolean {
  return spawnSync("sh", ["-c", "command -v mcs"], { stdio: "ignore" }).status === 0;
}

/** Which sources make the helper: its .cs files, and the logo drawn by tray-icon.ts. */
function inputs(): string[] {
  const sources = readdirSync(TRAY_SOURCES)
    .filter((f) => f.endsWith(".cs"))
    .sort()
    .map((f) => join(TRAY_SOURCES, f));
  return [...sources, join(root, "packages", "robot", "src", "tray", "windows", "tray-icon.ts")];
}

/**
 * Builds when needed; returns what happened. "no-mcs" and "no-winforms" (Mono without its
 * WinForms assemblies) are for `npm ci` to shrug at; the tests treat them as failures.
 */
export function buildTrayHelper(): "built" | "fresh" | "no-mcs" | "no-winforms" {
  const files = inputs();
  const newest = Math.max(
    ...files.map((f) => statSync(f).mtimeMs),
    statSync(import.meta.filename).mtimeMs,
  );
  if (existsSync(TRAY_HELPER) && statSync(TRAY_HELPER).mtimeMs >= newest) return "fresh";
  if (!hasMcs()) return "no-mcs";
  const dist = join(TRAY_SOURCES, "dist");
  mkdirSync(dist, { recursive: true, mode: 0o755 });
  // Built beside its final name and renamed: two test runs building at once never see half a file.
  const work = join(dist, `.build-${process.pid}`);
  mkdirSync(work, { recursive: true });
  try {
    const ico = join(work, "heptora.ico");
    writeFileSync(ico, logoIco());
    const out = join(work, "heptora-tray.exe");
    const result = spawnSync(
      "mcs",
      [
        "-nologo",
        "-target:winexe",
        // No -sdk: Debian's Mono resolves only its default profile (lib/mono/4.5, the 4.0.0.0
        // assemblies); the .exe names runtime v4.0.30319, the .NET Framework 4.x of every
        // Windows 10/11.
        "-optimize+",
        "-warnaserror+",
        "-r:System.Windows.Forms.dll",
        "-r:System.Drawing.dll",
        `-resource:${ico},Heptora.ico`,
        `-win32icon:${ico}`,
        `-out:${out}`,
        ...files.filter((f) => f.endsWith(".cs")),
      ],
      { encoding: "utf8" },
    );
    if (result.status !== 0) {
      const detail = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim();
      if (/CS0006.*(System\.Windows\.Forms|System\.Drawing)/.test(detail)) return "no-winforms";
      throw new Error(`Building the Windows tray helper failed:\n${detail}`);
    }
    renameSync(out, TRAY_HELPER);
    return "built";
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  try {
    const outcome = buildTrayHelper();
    if (outcome === "built") console.error("Built the Windows tray helper.");
    if (outcome === "no-mcs") {
      console.error(`Skipping the Windows tray helper: no Mono C# compiler (${MONO_INSTALL}).`);
    }
    if (outcome === "no-winforms") {
      console.error(`Skipping the Windows tray helper: Mono has no WinForms (${MONO_INSTALL}).`);
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
