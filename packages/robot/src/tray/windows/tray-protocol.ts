/**
 * The line protocol between the daemon and the Windows tray helper (heptora-tray.exe), version 1.
 * The C# twin is packages/robot/tray-windows/TrayProtocol.cs; ADR 0064 describes both.
 *
 * One line = fields separated by TAB, ended by LF, UTF-8. In a field, `%`, every C0 control (TAB,
 * LF and CR included) and DEL are written `%XX` (upper-case hex); nothing else is escaped and
 * nothing else may be, so each text has exactly one encoding and a status with a newline or a tab
 * can never end the line or start a command.
 *
 * Daemon → helper: `hello 1`, `state STATUS TOOLTIP (ACTION 0|1 LABEL)*`, `click ACTION`,
 * `describe`, `quit`. Helper → daemon: `ready 1`, `shown`, `action ACTION`,
 * `menu STATUS TOOLTIP (ACTION 0|1 TEXT)*`, `error CODE DETAIL`.
 *
 * @example
 * child.stdin.write(encodeCommand({ type: "hello", version: PROTOCOL_VERSION }));
 * const event = decodeEvent("action\tsecrets"); // { type: "action", action: "secrets" }
 */
import { TrayAction, type TrayState } from "../tray.ts";

export const PROTOCOL_VERSION = 1;

/** The bounds both sides enforce (TrayProtocol.cs has the same numbers). */
export const TrayLimits = {
  /** Longest line, in UTF-16 units; the helper drops a longer one whole. */
  lineChars: 16384,
  statusChars: 256,
  labelChars: 128,
  items: 8,
  /** NotifyIcon.Text throws above 63 characters on .NET Framework 4. */
  tooltipChars: 63,
} as const;

export class TrayProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TrayProtocolError";
  }
}

export interface WireMenuItem {
  action: TrayAction;
  enabled: boolean;
  label: string;
}

export type TrayCommand =
  | { type: "hello"; version: number }
  | { type: "state"; status: string; tooltip: string; items: readonly WireMenuItem[] }
  | { type: "click"; action: TrayAction }
  | { type: "describe" }
  | { type: "quit" };

export type TrayEvent =
  | { type: "ready"; version: number }
  | { type: "shown" }
  | { type: "action"; action: TrayAction }
  | { type: "menu"; status: string; tooltip: string; items: readonly WireMenuItem[] }
  | { type: "error"; code: string; detail: string };

const ACTIONS: readonly string[] = Object.values(TrayAction);

export function isTrayAction(value: string): value is TrayAction {
  return ACTIONS.includes(value);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the controls are what gets escaped.
const MUST_ESCAPE = /[\u0000-\u001f\u007f%]/g;

export function encodeField(value: string): string {
  return value.replace(
    MUST_ESCAPE,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
  );
}

function mustEscape(code: number): boolean {
  return code < 0x20 || code === 0x7f || code === 0x25;
}

/** Strict: only what encodeField writes is accepted. */
export function decodeField(field: string): string {
  let out = "";
  for (let i = 0; i < field.length; i++) {
    const code = field.charCodeAt(i);
    if (code === 0x25) {
      const hex = field.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(hex)) {
        throw new TrayProtocolError("A % is not followed by two upper-case hex digits.");
      }
      const decoded = Number.parseInt(hex, 16);
      if (!mustEscape(decoded)) {
        throw new TrayProtocolError("An escape of a character that needs none.");
      }
      out += String.fromCharCode(decoded);
      i += 2;
    } else if (mustEscape(code)) {
      throw new TrayProtocolError("A raw control character in a field.");
    } else {
      out += field[i];
    }
  }
  return out;
}

/** One line with its LF. Lone surrogates become U+FFFD, as UTF-8 would make them anyway. */
export function encodeLine(fields: readonly string[]): string {
  return `${fields.map((f) => encodeField(f.toWellFormed())).join("\t")}\n`;
}

/** The decoded fields of one line (without its LF). */
export function decodeLine(line: string): string[] {
  if (line.length === 0) throw new TrayProtocolError("An empty line.");
  if (line.length > TrayLimits.lineChars) throw new TrayProtocolError("A line too long.");
  return line.split("\t").map(decodeField);
}

function itemFields(items: readonly WireMenuItem[]): string[] {
  return items.flatMap((i) => [i.action, i.enabled ? "1" : "0", i.label]);
}

export function encodeCommand(command: TrayCommand): string {
  switch (command.type) {
    case "hello":
      return encodeLine(["hello", String(command.version)]);
    case "state":
      return encodeLine(["state", command.status, command.tooltip, ...itemFields(command.items)]);
    case "click":
      return encodeLine(["click", command.action]);
    case "describe":
    case "quit":
      return encodeLine([command.type]);
  }
}

export function encodeEvent(event: TrayEvent): string {
  switch (event.type) {
    case "ready":
      return encodeLine(["ready", String(event.version)]);
    case "shown":
      return encodeLine(["shown"]);
    case "action":
      return encodeLine(["action", event.action]);
    case "menu":
      return encodeLine(["menu", event.status, event.tooltip, ...itemFields(event.items)]);
    case "error":
      return encodeLine(["error", event.code, event.detail]);
  }
}

function arity(fields: readonly string[], count: number): void {
  if (fields.length !== count) {
    throw new TrayProtocolError(
      `${fields[0]} takes ${count - 1} field(s), got ${fields.length - 1}.`,
    );
  }
}

function version(field: string | undefined): number {
  if (field === undefined || !/^[1-9][0-9]{0,5}$/.test(field)) {
    throw new TrayProtocolError("A version is a positive integer.");
  }
  return Number(field);
}

function action(field: string | undefined): TrayAction {
  if (field === undefined || !isTrayAction(field)) throw new TrayProtocolError("No such action.");
  return field;
}

function items(fields: readonly string[], from: number): WireMenuItem[] {
  const rest = fields.slice(from);
  if (rest.length % 3 !== 0) throw new TrayProtocolError("Items are three fields each.");
  if (rest.length / 3 > TrayLimits.items) throw new TrayProtocolError("Too many items.");
  const out: WireMenuItem[] = [];
  for (let i = 0; i < rest.length; i += 3) {
    const enabled = rest[i + 1];
    if (enabled !== "0" && enabled !== "1") throw new TrayProtocolError("Enabled is 0 or 1.");
    out.push({ action: action(rest[i]), enabled: enabled === "1", label: rest[i + 2] ?? "" });
  }
  return out;
}

function menuFields(fields: readonly string[]): {
  status: string;
  tooltip: string;
  items: WireMenuItem[];
} {
  if (fields.length < 3) throw new TrayProtocolError(`${fields[0]} takes a status and a tooltip.`);
  return { status: fields[1] ?? "", tooltip: fields[2] ?? "", items: items(fields, 3) };
}

/** What the helper reads (the tests use it to check the daemon's lines). */
export function decodeCommand(line: string): TrayCommand {
  const fields = decodeLine(line);
  switch (fields[0]) {
    case "hello":
      arity(fields, 2);
      return { type: "hello", version: version(fields[1]) };
    case "state":
      return { type: "state", ...menuFields(fields) };
    case "click":
      arity(fields, 2);
      return { type: "click", action: action(fields[1]) };
    case "describe":
    case "quit":
      arity(fields, 1);
      return { type: fields[0] };
    default:
      throw new TrayProtocolError("Unknown command.");
  }
}

/** What the daemon reads from the helper. */
export function decodeEvent(line: string): TrayEvent {
  const fields = decodeLine(line);
  switch (fields[0]) {
    case "ready":
      arity(fields, 2);
      return { type: "ready", version: version(fields[1]) };
    case "shown":
      arity(fields, 1);
      return { type: "shown" };
    case "action":
      arity(fields, 2);
      return { type: "action", action: action(fields[1]) };
    case "menu":
      return { type: "menu", ...menuFields(fields) };
    case "error":
      arity(fields, 3);
      return { type: "error", code: fields[1] ?? "", detail: fields[2] ?? "" };
    default:
      throw new TrayProtocolError("Unknown event.");
  }
}

/** At most `max` UTF-16 units, cut with an ellipsis, never inside a surrogate pair. */
export function fitText(value: string, max: number): string {
  if (value.length <= max) return value;
  let cut = max - 1;
  const last = value.charCodeAt(cut - 1);
  if (cut > 0 && last >= 0xd800 && last <= 0xdbff) cut--;
  return `${value.slice(0, cut)}…`;
}

/** Controls (C0, DEL, C1) become spaces: what a one-line label shows (as the helper does). */
export function displayText(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the controls are what gets replaced.
  return value.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ");
}

/**
 * The `state` command for a TrayState: every text made displayable and cut to the bounds, so the
 * helper never refuses what the daemon shows.
 */
export function stateCommand(state: TrayState): TrayCommand {
  const seen = new Set<TrayAction>();
  const wireItems: WireMenuItem[] = [];
  for (const item of state.items) {
    if (seen.has(item.action) || wireItems.length === TrayLimits.items) continue;
    seen.add(item.action);
    wireItems.push({
      action: item.action,
      enabled: item.enabled,
      label: fitText(displayText(item.label.toWellFormed()), TrayLimits.labelChars),
    });
  }
  return {
    type: "state",
    status: fitText(displayText(state.status.toWellFormed()), TrayLimits.statusChars),
    tooltip: fitText(displayText(state.tooltip.toWellFormed()), TrayLimits.tooltipChars),
    items: wireItems,
  };
}
