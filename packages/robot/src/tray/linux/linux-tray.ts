/**
 * The Linux tray: connects to the session D-Bus with our own client, takes the well-known name
 * `org.kde.StatusNotifierItem-<pid>-<n>`, exports the item (/StatusNotifierItem) and its menu
 * (/MenuBar), and registers with org.kde.StatusNotifierWatcher; if the watcher restarts (a
 * panel restart), it registers again. Where there is no tray host it throws
 * TrayUnavailableError with a one-line reason, and the robot goes on without an icon.
 *
 * The bus address is passed in (the robot reads its environment once, in its config).
 *
 * @example
 * try {
 *   const tray = await startLinuxTray(state, { sessionBusAddress: env.DBUS_SESSION_BUS_ADDRESS });
 *   tray.onAction((action) => ...);
 * } catch (error) {
 *   if (!(error instanceof TrayUnavailableError)) throw error;
 *   console.log(`No tray icon: ${error.message} Open the window with \`heptora ui\`.`);
 * }
 */
import { type Tray, type TrayAction, type TrayState, TrayUnavailableError } from "../tray.ts";
import { connectToBus, type DBusConnection } from "./dbus-connection.ts";
import type { DBusMessage } from "./dbus-message.ts";
import { exportDbusMenu } from "./dbusmenu.ts";
import { exportStatusNotifierItem } from "./status-notifier-item.ts";

export interface LinuxTrayOptions {
  /** DBUS_SESSION_BUS_ADDRESS as the robot's config read it (undefined when unset). */
  sessionBusAddress: string | undefined;
  /** Our uid, for the bus's SASL EXTERNAL; defaults to the process's. */
  uid?: number;
  /** For connecting to the bus and each call to it (ms); default 3000. */
  timeoutMs?: number;
  /** Told once if the bus connection ends while the tray is open (the icon is gone). */
  onClosed?: (reason: string) => void;
  /** Told about what the tray ignored: malformed messages, a listener's failure (for the log). */
  onWarning?: (message: string) => void;
}

export const WATCHER_NAME = "org.kde.StatusNotifierWatcher";
export const WATCHER_PATH = "/StatusNotifierWatcher";
const MAX_ITEMS = 8;
/** RequestName: fail rather than wait in the queue. */
const DO_NOT_QUEUE = 4;
const PRIMARY_OWNER = 1;

let instances = 0;

/** Shows the tray icon; throws TrayUnavailableError where no tray host can show it. */
export async function startLinuxTray(state: TrayState, options: LinuxTrayOptions): Promise<Tray> {
  checkState(state);
  const address = options.sessionBusAddress?.trim();
  if (!address) {
    throw new TrayUnavailableError("No session D-Bus: DBUS_SESSION_BUS_ADDRESS is not set.");
  }
  const warn = options.onWarning ?? (() => {});
  let bus: DBusConnection;
  try {
    bus = await connectToBus({
      address,
      uid: options.uid ?? process.getuid?.() ?? 0,
      connectTimeoutMs: options.timeoutMs,
      callTimeoutMs: options.timeoutMs,
      onDropped: (reason) => warn(`D-Bus: ${reason}`),
    });
  } catch (error) {
    throw new TrayUnavailableError(
      `The session D-Bus cannot be reached (${(error as Error).message}).`,
    );
  }

  try {
    const [watched] = await bus.callBus("NameHasOwner", "s", [WATCHER_NAME]);
    if (watched !== true) {
      throw new TrayUnavailableError(
        "No tray on this desktop: nothing serves org.kde.StatusNotifierWatcher " +
          "(on GNOME, the AppIndicator extension provides it).",
      );
    }
    const name = `org.kde.StatusNotifierItem-${process.pid}-${++instances}`;
    const [owned] = await bus.callBus("RequestName", "su", [name, DO_NOT_QUEUE]);
    if (owned !== PRIMARY_OWNER) {
      throw new TrayUnavailableError(`The D-Bus name ${name} is taken.`);
    }
    return await openTray(bus, name, state, options, warn);
  } catch (error) {
    await bus.close();
    if (error instanceof TrayUnavailableError) throw error;
    throw new TrayUnavailableError(`The tray host refused the icon (${(error as Error).message}).`);
  }
}

async function openTray(
  bus: DBusConnection,
  name: string,
  initial: TrayState,
  options: LinuxTrayOptions,
  warn: (message: string) => void,
): Promise<Tray> {
  const listeners = new Set<(action: TrayAction) => void>();
  const pick = (action: TrayAction) => {
    for (const listener of listeners) {
      try {
        listener(action);
      } catch (error) {
        warn(`a tray action listener failed: ${(error as Error).message}`);
      }
    }
  };
  const menu = exportDbusMenu(bus, initial, pick);
  const item = exportStatusNotifierItem(bus, initial.tooltip, pick);

  const register = () =>
    bus.call({
      destination: WATCHER_NAME,
      path: WATCHER_PATH,
      interface: WATCHER_NAME,
      member: "RegisterStatusNotifierItem",
      signature: "s",
      body: [name],
    });
  bus.onSignal((message) => {
    if (isWatcherStarted(message)) {
      register().catch((error: Error) => warn(`re-registering the tray icon: ${error.message}`));
    }
  });
  await bus.addMatch(
    `type='signal',sender='org.freedesktop.DBus',interface='org.freedesktop.DBus',` +
      `member='NameOwnerChanged',arg0='${WATCHER_NAME}'`,
  );
  await register();

  let closing = false;
  bus.onClose((reason) => {
    if (!closing) options.onClosed?.(reason);
  });
  return {
    update(state) {
      checkState(state);
      menu.update(state);
      item.setTooltip(state.tooltip);
    },
    onAction(listener) {
      listeners.add(listener);
    },
    async close() {
      closing = true;
      menu.dispose();
      item.dispose();
      await bus.close();
    },
  };
}

/** A new owner of the watcher's name, as told by the bus itself (no peer can forge its sender). */
function isWatcherStarted(message: DBusMessage): boolean {
  return (
    message.sender === "org.freedesktop.DBus" &&
    message.interface === "org.freedesktop.DBus" &&
    message.member === "NameOwnerChanged" &&
    message.signature === "sss" &&
    message.body[0] === WATCHER_NAME &&
    message.body[2] !== ""
  );
}

function checkState(state: TrayState): void {
  if (state.items.length > MAX_ITEMS)
    throw new RangeError(`a tray menu has at most ${MAX_ITEMS} items`);
  const actions = new Set(state.items.map((item) => item.action));
  if (actions.size !== state.items.length) throw new RangeError("a tray action appears twice");
}
