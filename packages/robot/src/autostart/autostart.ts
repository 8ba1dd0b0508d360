/**
 * `heptora autostart enable|disable|status`: the robot starts with the person's session, per user,
 * with no administrator rights.
 *
 * | OS      | what enable writes                                                            |
 * | ------- | ----------------------------------------------------------------------------- |
 * | Linux   | `$XDG_CONFIG_HOME/autostart/heptora.desktop` (XDG autostart; on systemd      |
 * |         | sessions systemd-xdg-autostart-generator runs it as a user unit)              |
 * | Windows | the value `Heptora` under `HKCU\Software\Microsoft\Windows\CurrentVersion\Run` |
 * | macOS   | `~/Library/LaunchAgents/com.heptora.robot.plist` (RunAtLoad)                   |
 *
 * Every entry runs `heptora start` with the data dir it was enabled for. Enabling twice writes the
 * same bytes; disabling removes exactly what enable wrote; status says where and what.
 *
 * On Linux the Debian package also installs a system-wide entry, /etc/xdg/autostart/heptora.desktop
 * (any directory of $XDG_CONFIG_DIRS): it starts the robot for everyone. A person's own entry of the
 * same name wins over it (XDG autostart spec), so there disable writes one with `Hidden=true`
 * instead of removing the file, and status reports the system entry when the person has none.
 *
 * @example
 * const autostart = createAutostart({ platform: "linux", home: "/home/ana", env, command });
 * await autostart.enable(); // { enabled: true, where: "/home/ana/.config/autostart/heptora.desktop" }
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { posix, win32 } from "node:path";

export const WINDOWS_RUN_KEY = "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run";
export const WINDOWS_RUN_VALUE = "Heptora";
export const MAC_AGENT_LABEL = "com.heptora.robot";

export interface AutostartStatus {
  enabled: boolean;
  /** The file or registry value that starts the robot. */
  where: string;
  /** What it runs, as one line (for people). */
  command: string | null;
}

/** What the Windows registry needs: `reg.exe` calls, replaceable in tests. */
export interface RegistryShell {
  query(key: string, name: string): string | undefined;
  set(key: string, name: string, value: string): void;
  remove(key: string, name: string): void;
}

export interface AutostartOptions {
  platform: NodeJS.Platform;
  home: string;
  env: Readonly<Record<string, string | undefined>>;
  /** The program and its arguments: e.g. [heptora, "start", "--data-dir", D]. */
  command: readonly string[];
  /** Linux: whether a file exists (the system-wide entries); replaceable in tests. */
  exists?: (path: string) => boolean;
  registry?: RegistryShell;
}

/** Quotes one argument for a desktop entry's Exec key (freedesktop.org Desktop Entry spec). */
export function desktopExecArg(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg.replace(/%/g, "%%");
  return `"${arg.replace(/[\\"`$]/g, (c) => `\\${c}`).replace(/%/g, "%%")}"`;
}

export function desktopEntry(command: readonly string[]): string {
  return [
    "[Desktop Entry]",
    "Type=Application",
    "Name=Heptora",
    "Comment=Keeps your automations' secrets on this machine",
    `Exec=${command.map(desktopExecArg).join(" ")}`,
    "Icon=heptora",
    "Terminal=false",
    "Categories=Utility;Security;",
    "X-GNOME-Autostart-enabled=true",
    "",
  ].join("\n");
}

function xmlEscape(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

export function launchAgentPlist(command: readonly string[]): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    "<dict>",
    "  <key>Label</key>",
    `  <string>${MAC_AGENT_LABEL}</string>`,
    "  <key>ProgramArguments</key>",
    "  <array>",
    ...command.map((arg) => `    <string>${xmlEscape(arg)}</string>`),
    "  </array>",
    "  <key>RunAtLoad</key>",
    "  <true/>",
    "  <key>ProcessType</key>",
    "  <string>Interactive</string>",
    "</dict>",
    "</plist>",
    "",
  ].join("\n");
}

/** One Windows command line (CommandLineToArgvW rules: quotes, backslashes before quotes). */
export function windowsCommandLine(command: readonly string[]): string {
  return command
    .map((arg) => {
      if (arg !== "" && !/[\s"]/.test(arg)) return arg;
      const escaped = arg.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\+)$/, "$1$1");
      return `"${escaped}"`;
    })
    .join(" ");
}

/** Where the entry lives on this OS. */
export function autostartLocation(
  platform: NodeJS.Platform,
  home: string,
  env: Readonly<Record<string, string | undefined>>,
): string {
  if (platform === "win32") return `${WINDOWS_RUN_KEY}\\${WINDOWS_RUN_VALUE}`;
  if (platform === "darwin") {
    return posix.join(home, "Library", "LaunchAgents", `${MAC_AGENT_LABEL}.plist`);
  }
  const configured = env.XDG_CONFIG_HOME;
  const config =
    configured !== undefined && posix.isAbsolute(configured)
      ? configured
      : posix.join(home, ".config");
  return posix.join(config, "autostart", "heptora.desktop");
}

/** Linux: the system-wide entries, most important first ($XDG_CONFIG_DIRS, else /etc/xdg). */
export function systemAutostartEntries(
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  const dirs = (env.XDG_CONFIG_DIRS ?? "").split(":").filter((dir) => posix.isAbsolute(dir));
  return (dirs.length > 0 ? dirs : ["/etc/xdg"]).map((dir) =>
    posix.join(dir, "autostart", "heptora.desktop"),
  );
}

/** A person's entry that hides a system-wide one of the same name. */
export const HIDDEN_ENTRY = "[Desktop Entry]\nType=Application\nName=Heptora\nHidden=true\n";

const isHidden = (text: string) => /^Hidden=true\s*$/m.test(text);

export function createAutostart(options: AutostartOptions) {
  const { platform, command } = options;
  const where = autostartLocation(platform, options.home, options.env);
  const registry = options.registry ?? regExe(options.env.SystemRoot);

  if (platform === "win32") {
    const line = windowsCommandLine(command);
    return {
      where,
      enable(): AutostartStatus {
        registry.set(WINDOWS_RUN_KEY, WINDOWS_RUN_VALUE, line);
        return { enabled: true, where, command: line };
      },
      disable(): AutostartStatus {
        if (registry.query(WINDOWS_RUN_KEY, WINDOWS_RUN_VALUE) !== undefined) {
          registry.remove(WINDOWS_RUN_KEY, WINDOWS_RUN_VALUE);
        }
        return { enabled: false, where, command: null };
      },
      status(): AutostartStatus {
        const value = registry.query(WINDOWS_RUN_KEY, WINDOWS_RUN_VALUE);
        return { enabled: value !== undefined, where, command: value ?? null };
      },
    };
  }

  const content = platform === "darwin" ? launchAgentPlist(command) : desktopEntry(command);
  const read = (): string | undefined => {
    try {
      return readFileSync(where, "utf8");
    } catch {
      return undefined;
    }
  };
  const exists = options.exists ?? existsSync;
  const systemEntry = (): string | undefined =>
    platform === "linux" ? systemAutostartEntries(options.env).find(exists) : undefined;
  const commandIn = (text: string): string | null => {
    if (platform === "darwin") {
      const args = [...text.matchAll(/^ {4}<string>(.*)<\/string>$/gm)].map((m) => m[1] ?? "");
      return args.length === 0 ? null : args.join(" ");
    }
    return /^Exec=(.*)$/m.exec(text)?.[1] ?? null;
  };
  return {
    where,
    enable(): AutostartStatus {
      mkdirSync(posix.dirname(where), { recursive: true, mode: 0o700 });
      if (read() !== content) writeFileSync(where, content, { mode: 0o600 });
      return { enabled: true, where, command: commandIn(content) };
    },
    disable(): AutostartStatus {
      if (systemEntry() === undefined) rmSync(where, { force: true });
      else if (read() !== HIDDEN_ENTRY) {
        mkdirSync(posix.dirname(where), { recursive: true, mode: 0o700 });
        writeFileSync(where, HIDDEN_ENTRY, { mode: 0o600 });
      }
      return { enabled: false, where, command: null };
    },
    status(): AutostartStatus {
      const text = read();
      if (text !== undefined) {
        const hidden = isHidden(text);
        return { enabled: !hidden, where, command: hidden ? null : commandIn(text) };
      }
      const system = systemEntry();
      if (system !== undefined) {
        const systemText = readFileSync(system, "utf8");
        const hidden = isHidden(systemText);
        return { enabled: !hidden, where: system, command: hidden ? null : commandIn(systemText) };
      }
      return { enabled: false, where, command: null };
    },
  };
}

/** The registry through Windows' own reg.exe (no shell: arguments go as they are). */
function regExe(systemRoot: string | undefined): RegistryShell {
  const reg = (args: string[]) =>
    spawnSync(win32.join(systemRoot ?? "C:\\Windows", "System32", "reg.exe"), args, {
      encoding: "utf8",
      windowsHide: true,
    });
  return {
    query(key, name) {
      const result = reg(["query", key, "/v", name]);
      if (result.status !== 0) return undefined;
      const line = result.stdout.split(/\r?\n/).find((l) => l.trim().startsWith(name));
      return line?.replace(/^\s*\S+\s+REG_\w+\s+/, "");
    },
    set(key, name, value) {
      const result = reg(["add", key, "/v", name, "/t", "REG_SZ", "/d", value, "/f"]);
      if (result.status !== 0) throw new Error(`reg.exe could not write ${key}\\${name}.`);
    },
    remove(key, name) {
      const result = reg(["delete", key, "/v", name, "/f"]);
      if (result.status !== 0) throw new Error(`reg.exe could not remove ${key}\\${name}.`);
    },
  };
}
