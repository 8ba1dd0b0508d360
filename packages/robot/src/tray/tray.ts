/**
 * The tray icon of an attended robot, whatever the OS draws it with: a status line (disabled),
 * the actions a person takes from it, and a tooltip. The daemon owns the state and updates it;
 * the tray reports clicks. Implementations: Linux (a StatusNotifierItem with a
 * com.canonical.dbusmenu menu on the session D-Bus) and Windows (a NotifyIcon helper program
 * driven over its stdin/stdout). No value, token or link ever goes through a tray.
 *
 * @example
 * const tray = await startTray(initialState); // undefined where no tray host exists
 * tray?.onAction((action) => { if (action === "secrets") openWindow(); });
 * tray?.update({ ...initialState, status: "Signed in as ana@example.com" });
 */

/** What a person can pick in the tray menu. */
export const TrayAction = {
  Secrets: "secrets",
  Settings: "settings",
  LogOut: "logout",
  Quit: "quit",
} as const;
export type TrayAction = (typeof TrayAction)[keyof typeof TrayAction];

export interface TrayMenuItem {
  action: TrayAction;
  label: string;
  enabled: boolean;
}

export interface TrayState {
  /** The first, disabled line: "Signed in as ana@example.com", "Not signed in", ... */
  status: string;
  /** Shown on hover: the status and the version. */
  tooltip: string;
  items: readonly TrayMenuItem[];
}

export interface Tray {
  /** Redraws the menu and tooltip (cheap; call on every change). */
  update(state: TrayState): void;
  /** Called for each menu pick. */
  onAction(listener: (action: TrayAction) => void): void;
  /** Removes the icon. */
  close(): Promise<void>;
}

/** Why no tray could be shown, for `heptora start` to say in one line. */
export class TrayUnavailableError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "TrayUnavailableError";
  }
}
