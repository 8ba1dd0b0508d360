/**
 * The Debian packages some tests need beyond npm: Chromium for the browser tests, HAProxy for the
 * reverse-proxy test, D-Bus tools for the tray tests, Xvfb, a panel and Mono for the desktop tests. As root with apt-get the test
 * command installs what is missing; otherwise it says in one line what to install.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

export interface SystemTool {
  /** The file whose presence says the package is installed. */
  path: string;
  /** Debian's package. */
  pkg: string;
}

export const CHROMIUM_PATH = process.env.HEPTORA_CHROMIUM ?? "/usr/bin/chromium";

export const BROWSER_TOOLS: readonly SystemTool[] = [{ path: CHROMIUM_PATH, pkg: "chromium" }];

/** The reverse-proxy test (test/e2e/behind-haproxy.test.ts) runs two platforms behind HAProxy. */
export const PROXY_TOOLS: readonly SystemTool[] = [{ path: "/usr/sbin/haproxy", pkg: "haproxy" }];

export const DESKTOP_TOOLS: readonly SystemTool[] = [
  { path: "/usr/bin/dbus-daemon", pkg: "dbus-daemon" },
  { path: "/usr/bin/dbus-send", pkg: "dbus-bin" },
  { path: "/usr/bin/dbus-launch", pkg: "dbus-x11" },
  { path: "/usr/bin/gdbus", pkg: "libglib2.0-bin" },
  { path: "/usr/bin/Xvfb", pkg: "xvfb" },
  { path: "/usr/bin/xdotool", pkg: "xdotool" },
  { path: "/usr/bin/import", pkg: "imagemagick" },
  { path: "/usr/bin/xfce4-panel", pkg: "xfce4-panel" },
  { path: "/usr/bin/mcs", pkg: "mono-mcs" },
  { path: "/usr/bin/mono", pkg: "mono-runtime" },
  // mono-mcs alone has no WinForms: the Windows tray helper needs it to build and run.
  {
    path: "/usr/lib/mono/4.5/System.Windows.Forms.dll",
    pkg: "libmono-system-windows-forms4.0-cil",
  },
  { path: "/usr/lib/libgdiplus.so", pkg: "libgdiplus" },
];

/** A real Secret Service for the OS keychain tests (docs/adr/0078). */
export const KEYCHAIN_TOOLS: readonly SystemTool[] = [
  { path: "/usr/bin/gnome-keyring-daemon", pkg: "gnome-keyring" },
  { path: "/usr/bin/dbus-run-session", pkg: "dbus-bin" },
  { path: "/usr/bin/dbus-daemon", pkg: "dbus-daemon" },
  { path: "/usr/bin/dbus-launch", pkg: "dbus-x11" },
];

/** test/install: build the .deb files, strip the executables, check the systemd unit. */
export const INSTALL_TOOLS: readonly SystemTool[] = [
  { path: "/usr/bin/dpkg-deb", pkg: "dpkg" },
  { path: "/usr/bin/strip", pkg: "binutils" },
  { path: "/usr/bin/systemd-analyze", pkg: "systemd" },
  { path: "/usr/sbin/useradd", pkg: "passwd" },
];

let aptUpdated = false;

/** Installs what is missing (as root with apt-get), else exits with one line naming it. */
export function ensureTools(tools: readonly SystemTool[], forWhat: string): void {
  const missing = tools.filter((tool) => !existsSync(tool.path));
  if (missing.length === 0) return;
  const packages = [...new Set(missing.map((tool) => tool.pkg))];
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const hasApt = spawnSync("sh", ["-c", "command -v apt-get"], { stdio: "ignore" }).status === 0;
  if (isRoot && hasApt) {
    console.error(`Installing Debian's ${packages.join(" ")} for ${forWhat}...`);
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    if (!aptUpdated) {
      spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
      aptUpdated = true;
    }
    spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...packages], {
      stdio: "inherit",
      env,
    });
    if (missing.every((tool) => existsSync(tool.path))) return;
  }
  console.error(
    `${forWhat} need ${packages.join(", ")}: install them with 'sudo apt-get install -y ${packages.join(" ")}'.`,
  );
  process.exit(1);
}
