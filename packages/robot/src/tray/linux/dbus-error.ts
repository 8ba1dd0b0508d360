/**
 * A D-Bus error: what a method call's error reply carries (name and message), and what an
 * exported method throws to send one. Well-known names are in `DBusErrorName`.
 */

export const DBusErrorName = {
  Failed: "org.freedesktop.DBus.Error.Failed",
  UnknownMethod: "org.freedesktop.DBus.Error.UnknownMethod",
  UnknownObject: "org.freedesktop.DBus.Error.UnknownObject",
  UnknownInterface: "org.freedesktop.DBus.Error.UnknownInterface",
  UnknownProperty: "org.freedesktop.DBus.Error.UnknownProperty",
  PropertyReadOnly: "org.freedesktop.DBus.Error.PropertyReadOnly",
  InvalidArgs: "org.freedesktop.DBus.Error.InvalidArgs",
  LimitsExceeded: "org.freedesktop.DBus.Error.LimitsExceeded",
  NoReply: "org.freedesktop.DBus.Error.NoReply",
  Disconnected: "org.freedesktop.DBus.Error.Disconnected",
  ServiceUnknown: "org.freedesktop.DBus.Error.ServiceUnknown",
} as const;

export class DBusError extends Error {
  readonly errorName: string;

  constructor(errorName: string, message: string) {
    super(message);
    this.name = "DBusError";
    this.errorName = errorName;
  }
}
