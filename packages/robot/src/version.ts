/** The robot's version, as `heptora --version`, status, Settings and the tray show it. */
export const VERSION = "0.1.0";
