/**
 * A real Linux desktop for a test, nothing of the developer's: Xvfb on a display it picks itself
 * (-displayfd), a private session D-Bus (`dbus-daemon --session`, so xfconfd starts by D-Bus
 * activation from /usr/share/dbus-1/services), and xfce4-panel with one panel at the bottom
 * holding only the systray plugin (its xfconf XML under a temp XDG_CONFIG_HOME, so no first-run
 * dialog). The systray plugin owns org.kde.StatusNotifierWatcher and shows the StatusNotifierItems.
 * Plus the X helpers the test drives it with: xdotool, ImageMagick's `import`, gdbus.
 *
 * Waits are on conditions (a display number written, a bus address printed, a D-Bus name owned,
 * a window mapped), polled with a bound; never a blind sleep.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";

export const SCREEN = { width: 1280, height: 900 } as const;
export const PANEL_SIZE = 36;

export interface Geometry {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DesktopStack {
  display: string;
  busAddress: string;
  /** HOME and XDG dirs in the stack's temp dir, the display and the bus: for every child. */
  env: Record<string, string>;
  /** Runs a command on this desktop; rejects with its stderr when it fails. */
  run(command: string, args: readonly string[]): Promise<string>;
  /** Visible X windows whose name matches `name` (a regex, as xdotool takes it). */
  windowsNamed(name: string): Promise<string[]>;
  /** Every visible X window. */
  visibleWindows(): Promise<string[]>;
  geometry(window: string): Promise<Geometry>;
  /** A PNG of part of the screen. */
  screenshot(path: string, area: Geometry): Promise<void>;
  /** Whether a bus name is owned now. */
  nameHasOwner(name: string): Promise<boolean>;
  /** The pid behind a bus name, for cleaning up what D-Bus activation started. */
  namePid(name: string): Promise<number | undefined>;
  stop(): Promise<void>;
}

/** Re-checks `condition` every `everyMs` until it holds (returns non-undefined) or time is up. */
export async function poll<T>(
  condition: () => Promise<T | undefined> | T | undefined,
  expected: string,
  timeoutMs = 15_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Expected ${expected} within ${timeoutMs} ms.`);
    await delay(everyMs);
  }
}

const PANEL_XML = `<?xml version="1.0" encoding="UTF-8"?>
<channel name="xfce4-panel" version="1.0">
  <property name="configver" type="int" value="2"/>
  <property name="panels" type="array">
    <value type="int" value="1"/>
    <property name="panel-1" type="empty">
      <property name="position" type="string" value="p=8;x=0;y=0"/>
      <property name="length" type="uint" value="100"/>
      <property name="position-locked" type="bool" value="true"/>
      <property name="size" type="uint" value="${PANEL_SIZE}"/>
      <property name="plugin-ids" type="array">
        <value type="int" value="1"/>
      </property>
    </property>
  </property>
  <property name="plugins" type="empty">
    <property name="plugin-1" type="string" value="systray"/>
  </property>
</channel>
`;

function spawnLogged(command: string, args: readonly string[], env: NodeJS.ProcessEnv) {
  const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  return { child, output: () => output };
}

/** Reads the first line `child` writes on `stream` (Xvfb's display, dbus-daemon's address). */
function firstLine(
  child: ChildProcess,
  stream: NodeJS.ReadableStream,
  what: string,
  log: () => string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    const timer = setTimeout(() => reject(new Error(`${what} did not start: ${log()}`)), 10_000);
    stream.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const newline = text.indexOf("\n");
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(text.slice(0, newline).trim());
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}): ${log()}`));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const killer = setTimeout(() => child.kill("SIGKILL"), 3_000);
  await exited;
  clearTimeout(killer);
}

/** Stops a process that is not our child (started by D-Bus activation or by the daemon). */
export async function stopPid(pid: number): Promise<void> {
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  process.kill(pid, "SIGTERM");
  try {
    await poll(() => (alive() ? undefined : true), `process ${pid} to exit`, 3_000, 50);
  } catch {
    if (alive()) process.kill(pid, "SIGKILL");
  }
}

/** The pids whose command line contains `needle` (e.g. a browser profile dir in a temp dir). */
export function pidsWithArgument(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(join("/proc", entry, "cmdline"), "utf8");
      if (cmdline.includes(needle)) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

export async function startDesktopStack(dir: string): Promise<DesktopStack> {
  const children: ChildProcess[] = [];
  const activated: number[] = [];
  const home = join(dir, "home");
  const env: Record<string, string> = {
    HOME: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_CACHE_HOME: join(home, ".cache"),
    XDG_DATA_HOME: join(home, ".local", "share"),
    // No accessibility bus: GTK would start one more dbus-daemon for it.
    NO_AT_BRIDGE: "1",
    GTK_A11Y: "none",
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    LANG: "C.UTF-8",
  };
  const panelDir = join(env.XDG_CONFIG_HOME as string, "xfce4", "xfconf", "xfce-perchannel-xml");
  mkdirSync(panelDir, { recursive: true });
  writeFileSync(join(panelDir, "xfce4-panel.xml"), PANEL_XML);

  async function stopAll(): Promise<void> {
    for (const pid of activated.splice(0)) await stopPid(pid);
    for (const child of children.splice(0).reverse()) await stopChild(child);
  }

  try {
    // Xvfb picks a free display and writes its number on fd 3 once it accepts clients.
    const xvfb = spawnLogged(
      "/usr/bin/Xvfb",
      [
        "-displayfd",
        "3",
        "-screen",
        "0",
        `${SCREEN.width}x${SCREEN.height}x24`,
        "-nolisten",
        "tcp",
      ],
      env,
    );
    children.push(xvfb.child);
    const number = await firstLine(
      xvfb.child,
      xvfb.child.stdio[3] as NodeJS.ReadableStream,
      "Xvfb",
      xvfb.output,
    );
    env.DISPLAY = `:${number}`;

    // The bus gets the same HOME and XDG dirs: xfconfd, started by activation, inherits them.
    const bus = spawnLogged(
      "/usr/bin/dbus-daemon",
      [
        "--session",
        "--nofork",
        "--nopidfile",
        "--print-address=1",
        `--address=unix:path=${join(dir, "bus")}`,
      ],
      env,
    );
    children.push(bus.child);
    env.DBUS_SESSION_BUS_ADDRESS = await firstLine(
      bus.child,
      bus.child.stdout as NodeJS.ReadableStream,
      "dbus-daemon",
      bus.output,
    );
  } catch (error) {
    await stopAll();
    throw error;
  }

  async function run(command: string, args: readonly string[]): Promise<string> {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = (await once(child, "close")) as [number | null];
    if (code !== 0) throw new Error(`${command} ${args.join(" ")} failed (${code}): ${stderr}`);
    return stdout;
  }

  /** xdotool search exits 1 when nothing matches: that is an empty list here. */
  async function search(args: readonly string[]): Promise<string[]> {
    try {
      return (await run("xdotool", ["search", ...args])).split("\n").filter((line) => line !== "");
    } catch {
      return [];
    }
  }

  async function nameHasOwner(name: string): Promise<boolean> {
    const answer = await run("gdbus", [
      "call",
      "--session",
      "--dest",
      "org.freedesktop.DBus",
      "--object-path",
      "/org/freedesktop/DBus",
      "--method",
      "org.freedesktop.DBus.NameHasOwner",
      name,
    ]);
    return answer.includes("true");
  }

  async function namePid(name: string): Promise<number | undefined> {
    try {
      const answer = await run("gdbus", [
        "call",
        "--session",
        "--dest",
        "org.freedesktop.DBus",
        "--object-path",
        "/org/freedesktop/DBus",
        "--method",
        "org.freedesktop.DBus.GetConnectionUnixProcessID",
        name,
      ]);
      const pid = /(\d+)/.exec(answer)?.[1];
      return pid === undefined ? undefined : Number(pid);
    } catch {
      return undefined;
    }
  }

  try {
    const panel = spawnLogged("/usr/bin/xfce4-panel", ["--disable-wm-check"], env);
    children.push(panel.child);
    await poll(
      async () => ((await nameHasOwner("org.kde.StatusNotifierWatcher")) ? true : undefined),
      `xfce4-panel's systray to own org.kde.StatusNotifierWatcher (panel output: ${panel.output()})`,
    );
    // xfconfd (D-Bus activated) and the systray plugin's wrapper are not our children.
    for (const name of ["org.kde.StatusNotifierWatcher", "org.xfce.Xfconf"]) {
      const pid = await namePid(name);
      if (pid !== undefined) activated.push(pid);
    }
  } catch (error) {
    await stopAll();
    throw error;
  }

  return {
    display: env.DISPLAY as string,
    busAddress: env.DBUS_SESSION_BUS_ADDRESS as string,
    env,
    run,
    windowsNamed: (name) => search(["--onlyvisible", "--name", name]),
    visibleWindows: () => search(["--onlyvisible", "--name", ""]),
    async geometry(window) {
      const shell = await run("xdotool", ["getwindowgeometry", "--shell", window]);
      const value = (key: string) => Number(new RegExp(`^${key}=(-?\\d+)$`, "m").exec(shell)?.[1]);
      return { x: value("X"), y: value("Y"), width: value("WIDTH"), height: value("HEIGHT") };
    },
    async screenshot(path, area) {
      await run("import", [
        "-display",
        env.DISPLAY as string,
        "-window",
        "root",
        "-crop",
        `${area.width}x${area.height}+${area.x}+${area.y}`,
        "+repage",
        path,
      ]);
    },
    nameHasOwner,
    namePid,
    stop: stopAll,
  };
}
