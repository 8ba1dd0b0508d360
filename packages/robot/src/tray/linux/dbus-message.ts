/**
 * D-Bus messages on the wire: the fixed header (byte order, type, flags, version, body length,
 * serial), the header fields `a(yv)` padded to 8 bytes, then the body. `frameLength` reads just
 * enough of a stream to know where a message ends, so the connection can skip one it refuses
 * without losing its place; `decodeMessage` validates every field (names, paths, required
 * fields per type, signature against body) before anything acts on it.
 */
import { type DBusValue, isObjectPath, Reader, type Variant, Writer } from "./dbus-marshal.ts";
import { DBusWireError, printable } from "./dbus-signature.ts";

export const MessageType = {
  MethodCall: 1,
  MethodReturn: 2,
  Error: 3,
  Signal: 4,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

export const MessageFlag = {
  NoReplyExpected: 0x1,
  NoAutoStart: 0x2,
} as const;

const HeaderField = {
  Path: 1,
  Interface: 2,
  Member: 3,
  ErrorName: 4,
  ReplySerial: 5,
  Destination: 6,
  Sender: 7,
  Signature: 8,
  UnixFds: 9,
} as const;

const FIELD_SIGNATURE: Record<number, string> = {
  [HeaderField.Path]: "o",
  [HeaderField.Interface]: "s",
  [HeaderField.Member]: "s",
  [HeaderField.ErrorName]: "s",
  [HeaderField.ReplySerial]: "u",
  [HeaderField.Destination]: "s",
  [HeaderField.Sender]: "s",
  [HeaderField.Signature]: "g",
  [HeaderField.UnixFds]: "u",
};

/** The specification's ceiling for one message. */
export const MAX_MESSAGE_BYTES_SPEC = 128 * 1024 * 1024;
/** The fixed part of the header plus the header fields' length. */
export const FIXED_HEADER_BYTES = 16;

export interface DBusMessage {
  type: MessageType;
  flags: number;
  serial: number;
  path?: string;
  interface?: string;
  member?: string;
  errorName?: string;
  replySerial?: number;
  destination?: string;
  sender?: string;
  /** The body's signature ("" for no body). */
  signature: string;
  body: DBusValue[];
}

/** The whole length of the message starting at `head` (needs its first 16 bytes). */
export function frameLength(head: Uint8Array): number {
  if (head.length < FIXED_HEADER_BYTES) throw new RangeError("16 bytes are needed");
  const little = byteOrder(head[0]);
  if (head[3] !== 1) throw new DBusWireError(`protocol version ${head[3]} is not 1`);
  const view = new DataView(head.buffer, head.byteOffset, FIXED_HEADER_BYTES);
  const bodyLength = view.getUint32(4, little);
  const fieldsLength = view.getUint32(12, little);
  const headerLength = FIXED_HEADER_BYTES + fieldsLength + padding8(fieldsLength);
  const total = headerLength + bodyLength;
  if (fieldsLength > 64 * 1024 * 1024 || total > MAX_MESSAGE_BYTES_SPEC) {
    throw new DBusWireError("a message longer than the specification allows");
  }
  return total;
}

function byteOrder(marker: number | undefined): boolean {
  if (marker === 0x6c) return true; // 'l'
  if (marker === 0x42) return false; // 'B'
  throw new DBusWireError("an unknown byte-order marker");
}

function padding8(length: number): number {
  return (8 - (length % 8)) % 8;
}

/** Encodes a message, little-endian. */
export function encodeMessage(message: DBusMessage): Uint8Array {
  const fields: [number, Variant][] = [];
  const add = (code: number, value: string | number | undefined) => {
    if (value !== undefined) {
      fields.push([code, { signature: FIELD_SIGNATURE[code] ?? "s", value }]);
    }
  };
  add(HeaderField.Path, message.path);
  add(HeaderField.Interface, message.interface);
  add(HeaderField.Member, message.member);
  add(HeaderField.ErrorName, message.errorName);
  add(HeaderField.ReplySerial, message.replySerial);
  add(HeaderField.Destination, message.destination);
  add(HeaderField.Sender, message.sender);
  if (message.signature !== "") add(HeaderField.Signature, message.signature);

  const body = new Writer();
  body.writeAll(message.signature, message.body);
  const bodyBytes = body.bytes();

  const header = new Writer();
  header.writeAll("yyyyuua(yv)", [
    0x6c,
    message.type,
    message.flags,
    1,
    bodyBytes.length,
    message.serial,
    fields,
  ]);
  header.align(8);
  const headerBytes = header.bytes();
  const out = new Uint8Array(headerBytes.length + bodyBytes.length);
  out.set(headerBytes);
  out.set(bodyBytes, headerBytes.length);
  return out;
}

/** Decodes and validates one whole message (exactly `frameLength` bytes). */
export function decodeMessage(frame: Uint8Array): DBusMessage {
  const total = frameLength(frame);
  if (frame.length !== total) throw new DBusWireError("the frame length does not match");
  const little = byteOrder(frame[0]);
  const type = frame[1];
  if (type !== 1 && type !== 2 && type !== 3 && type !== 4) {
    throw new DBusWireError(`unknown message type ${type}`);
  }
  const flags = frame[2] ?? 0;
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const bodyLength = view.getUint32(4, little);
  const serial = view.getUint32(8, little);
  if (serial === 0) throw new DBusWireError("serial 0");

  const headerEnd = total - bodyLength;
  const header = new Reader(frame, little, 12, headerEnd);
  const rawFields = header.read({ kind: "dict", key: BYTE, value: VARIANT }, 0) as ReadonlyMap<
    number,
    Variant
  >;
  header.align(8);
  if (header.position !== headerEnd) throw new DBusWireError("the header fields overrun");

  const message: DBusMessage = { type, flags, serial, signature: "", body: [] };
  for (const [code, field] of rawFields) {
    const expected = FIELD_SIGNATURE[code];
    if (expected === undefined) continue; // unknown fields are ignored, as the spec says
    if (field.signature !== expected) {
      throw new DBusWireError(`header field ${code} has type ${printable(field.signature)}`);
    }
    const value = field.value;
    switch (code) {
      case HeaderField.Path:
        message.path = value as string;
        break;
      case HeaderField.Interface:
        message.interface = checked(value as string, isInterfaceName, "interface name");
        break;
      case HeaderField.Member:
        message.member = checked(value as string, isMemberName, "member name");
        break;
      case HeaderField.ErrorName:
        message.errorName = checked(value as string, isInterfaceName, "error name");
        break;
      case HeaderField.ReplySerial:
        message.replySerial = value as number;
        break;
      case HeaderField.Destination:
        message.destination = checked(value as string, isBusName, "destination");
        break;
      case HeaderField.Sender:
        message.sender = checked(value as string, isBusName, "sender");
        break;
      case HeaderField.Signature:
        message.signature = value as string;
        break;
      case HeaderField.UnixFds:
        if (value !== 0) throw new DBusWireError("file descriptors are not accepted");
        break;
    }
  }
  requireFields(message);
  const body = new Reader(frame, little, headerEnd, total);
  message.body = body.readAll(message.signature);
  return message;
}

const BYTE = { kind: "basic", code: "y" } as const;
const VARIANT = { kind: "variant" } as const;

function requireFields(message: DBusMessage): void {
  const missing = (what: string) => new DBusWireError(`a message without its ${what}`);
  switch (message.type) {
    case MessageType.MethodCall:
      if (message.path === undefined) throw missing("path");
      if (message.member === undefined) throw missing("member");
      break;
    case MessageType.Signal:
      if (message.path === undefined) throw missing("path");
      if (message.interface === undefined) throw missing("interface");
      if (message.member === undefined) throw missing("member");
      break;
    case MessageType.Error:
      if (message.errorName === undefined) throw missing("error name");
      if (message.replySerial === undefined) throw missing("reply serial");
      break;
    case MessageType.MethodReturn:
      if (message.replySerial === undefined) throw missing("reply serial");
      break;
  }
}

function checked(value: string, valid: (text: string) => boolean, what: string): string {
  if (!valid(value)) throw new DBusWireError(`an invalid ${what} "${printable(value)}"`);
  return value;
}

const ELEMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `org.kde.StatusNotifierItem`: two or more elements, none starting with a digit. */
export function isInterfaceName(name: string): boolean {
  if (name.length > 255) return false;
  const parts = name.split(".");
  return parts.length >= 2 && parts.every((part) => ELEMENT.test(part));
}

export function isMemberName(name: string): boolean {
  return name.length <= 255 && ELEMENT.test(name);
}

/** A unique name (`:1.42`) or a well-known name (`org.kde.StatusNotifierWatcher`). */
export function isBusName(name: string): boolean {
  if (name.length > 255) return false;
  const unique = name.startsWith(":");
  const parts = (unique ? name.slice(1) : name).split(".");
  if (parts.length < 2) return false;
  const element = unique ? /^[A-Za-z0-9_-]+$/ : /^[A-Za-z_-][A-Za-z0-9_-]*$/;
  return parts.every((part) => element.test(part));
}

export { isObjectPath };
