/**
 * Which tray this OS shows: Linux a StatusNotifierItem on the session D-Bus, Windows the
 * NotifyIcon helper; elsewhere (macOS, for now) none. Loaded only by the daemon.
 */
import type { Tray, TrayState } from "../tray/tray.ts";

export function trayStarter(
  platform: NodeJS.Platform,
  env: Readonly<Record<string, string | undefined>>,
  log: (line: string) => void,
): ((state: TrayState) => Promise<Tray>) | undefined {
  if (platform === "linux") {
    return async (state) => {
      const { startLinuxTray } = await import("../tray/linux/linux-tray.ts");
      return startLinuxTray(state, {
        sessionBusAddress: env.DBUS_SESSION_BUS_ADDRESS,
        onClosed: (reason) => log(`The tray icon is gone: ${reason}`),
        onWarning: (message) => log(`Tray: ${message}`),
      });
    };
  }
  if (platform === "win32") {
    return async (state) => {
      const { startWindowsTray } = await import("../tray/windows/windows-tray.ts");
      return startWindowsTray(state, {
        onExit: (why) => log(`The tray icon is gone: ${why}`),
        log,
      });
    };
  }
  return undefined;
}
