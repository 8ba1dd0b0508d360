/**
 * An exported D-Bus object described as data: its interfaces, each with methods (the argument
 * signature they accept and a handler) and read-only properties. `objectHandler` turns that into
 * the connection's MethodHandler and adds the standard org.freedesktop.DBus.Properties (Get,
 * GetAll; Set refused) and org.freedesktop.DBus.Introspectable (so `gdbus call` and hosts that
 * introspect know our signatures). A call whose arguments do not match the signature is refused
 * with InvalidArgs before any handler sees it.
 */
import type { MethodHandler, MethodResult } from "./dbus-connection.ts";
import { DBusError, DBusErrorName } from "./dbus-error.ts";
import type { DBusValue, Variant } from "./dbus-marshal.ts";
import type { DBusMessage } from "./dbus-message.ts";
import { printable } from "./dbus-signature.ts";

export interface MethodSpec {
  /** The input signature (what the caller sends). */
  in: string;
  /** The output signature, for introspection (the handler's result carries its own). */
  out: string;
  handle(args: DBusValue[], call: DBusMessage): MethodResult;
}

export interface InterfaceSpec {
  name: string;
  methods: Record<string, MethodSpec>;
  /** Signal names and their signatures, for introspection. */
  signals: Record<string, string>;
  /** The current read-only properties. */
  properties(): Record<string, Variant>;
}

const PROPERTIES = "org.freedesktop.DBus.Properties";
const INTROSPECTABLE = "org.freedesktop.DBus.Introspectable";

export function objectHandler(interfaces: readonly InterfaceSpec[]): MethodHandler {
  const byName = new Map(interfaces.map((spec) => [spec.name, spec]));
  const find = (name: unknown): InterfaceSpec => {
    const spec = typeof name === "string" ? byName.get(name) : undefined;
    if (!spec) {
      throw new DBusError(
        DBusErrorName.UnknownInterface,
        `no interface ${printable(String(name))}`,
      );
    }
    return spec;
  };
  return (call) => {
    const member = call.member ?? "";
    if (call.interface === PROPERTIES) {
      if (member === "Get") {
        expect(call, "ss");
        const properties = find(call.body[0]).properties();
        const name = call.body[1] as string;
        const value = Object.hasOwn(properties, name) ? properties[name] : undefined;
        if (!value) throw new DBusError(DBusErrorName.UnknownProperty, "no such property");
        return { signature: "v", body: [value] };
      }
      if (member === "GetAll") {
        expect(call, "s");
        return { signature: "a{sv}", body: [find(call.body[0]).properties()] };
      }
      if (member === "Set") {
        throw new DBusError(DBusErrorName.PropertyReadOnly, "these properties are read-only");
      }
    } else if (call.interface === INTROSPECTABLE) {
      if (member === "Introspect") {
        expect(call, "");
        return { signature: "s", body: [introspection(interfaces)] };
      }
    } else {
      const candidates = call.interface === undefined ? interfaces : [find(call.interface)];
      for (const spec of candidates) {
        const method = Object.hasOwn(spec.methods, member) ? spec.methods[member] : undefined;
        if (method) {
          expect(call, method.in);
          return method.handle(call.body, call);
        }
      }
    }
    throw new DBusError(DBusErrorName.UnknownMethod, `no method ${printable(member)}`);
  };
}

function expect(call: DBusMessage, signature: string): void {
  if (call.signature !== signature) {
    throw new DBusError(
      DBusErrorName.InvalidArgs,
      `expected arguments "${signature}", got "${printable(call.signature)}"`,
    );
  }
}

function introspection(interfaces: readonly InterfaceSpec[]): string {
  const args = (signature: string, direction: "in" | "out" | "") =>
    splitTypes(signature)
      .map((type) => `<arg type="${type}"${direction ? ` direction="${direction}"` : ""}/>`)
      .join("");
  const blocks = interfaces.map((spec) => {
    const methods = Object.entries(spec.methods).map(
      ([name, method]) =>
        `<method name="${name}">${args(method.in, "in")}${args(method.out, "out")}</method>`,
    );
    const signals = Object.entries(spec.signals).map(
      ([name, signature]) => `<signal name="${name}">${args(signature, "")}</signal>`,
    );
    const properties = Object.entries(spec.properties()).map(
      ([name, value]) => `<property name="${name}" type="${value.signature}" access="read"/>`,
    );
    return `<interface name="${spec.name}">${[...methods, ...signals, ...properties].join("")}</interface>`;
  });
  const standard =
    `<interface name="${INTROSPECTABLE}"><method name="Introspect"><arg type="s" direction="out"/></method></interface>` +
    `<interface name="${PROPERTIES}">` +
    `<method name="Get"><arg type="s" direction="in"/><arg type="s" direction="in"/><arg type="v" direction="out"/></method>` +
    `<method name="GetAll"><arg type="s" direction="in"/><arg type="a{sv}" direction="out"/></method>` +
    `<method name="Set"><arg type="s" direction="in"/><arg type="s" direction="in"/><arg type="v" direction="in"/></method>` +
    `</interface>`;
  return `<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">\n<node>${standard}${blocks.join("")}</node>\n`;
}

/** "ia{sv}av" → ["i", "a{sv}", "av"] (our own, already valid, signatures). */
function splitTypes(signature: string): string[] {
  const types: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < signature.length; i++) {
    const code = signature[i];
    if (code === "(" || code === "{") depth++;
    else if (code === ")" || code === "}") depth--;
    if (depth === 0 && code !== "a") {
      types.push(signature.slice(start, i + 1));
      start = i + 1;
    }
  }
  return types;
}
