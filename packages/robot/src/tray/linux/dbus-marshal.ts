/**
 * The D-Bus wire encoding of values (specification, "Marshaling"): each value aligned to its
 * type's boundary counted from the start of the message, arrays as a byte length then the
 * elements, strings NUL-terminated. We write little-endian and read either byte order.
 *
 * JavaScript shapes: `y n q i u d` are numbers, `x t` bigints, `b` booleans, `s o g` strings,
 * `ay` a Uint8Array, other arrays and structs arrays, `a{..}` a Map (a plain object is accepted
 * when writing string-keyed dicts), `v` a `Variant`. Reading checks everything a hostile peer
 * could get wrong (bounds, padding, booleans, UTF-8, object paths, signatures, nesting) and
 * throws DBusWireError; writing checks our own values the same way.
 */
import {
  alignmentOf,
  type BasicCode,
  type DBusType,
  DBusWireError,
  parseSignature,
  parseSingleType,
  signatureOf,
} from "./dbus-signature.ts";

export interface Variant {
  readonly signature: string;
  readonly value: DBusValue;
}

export type DBusValue =
  | number
  | bigint
  | boolean
  | string
  | Uint8Array
  | readonly DBusValue[]
  | ReadonlyMap<DBusValue, DBusValue>
  | Variant;

/** A value of any type, tagged with its signature (for properties and dbusmenu items). */
export function variant(signature: string, value: DBusValue): Variant {
  return { signature, value };
}

/** The longest array the specification allows (64 MiB). */
const MAX_ARRAY_BYTES = 64 * 1024 * 1024;
/** Containers (arrays, structs, variants) nested deeper than this are refused. */
const MAX_DEPTH = 64;

const OBJECT_PATH = /^\/$|^(\/[A-Za-z0-9_]+)+$/;

export function isObjectPath(text: string): boolean {
  return OBJECT_PATH.test(text);
}

/** Appends values to a growing little-endian buffer; `offset` is where the message starts. */
export class Writer {
  #bytes = new Uint8Array(256);
  #view = new DataView(this.#bytes.buffer);
  #length = 0;

  get length(): number {
    return this.#length;
  }

  bytes(): Uint8Array {
    return this.#bytes.subarray(0, this.#length);
  }

  align(boundary: number): void {
    const padding = (boundary - (this.#length % boundary)) % boundary;
    this.#reserve(padding);
    this.#bytes.fill(0, this.#length, this.#length + padding);
    this.#length += padding;
  }

  /** Writes a body (or any sequence of complete types) against its signature. */
  writeAll(signature: string, values: readonly unknown[]): void {
    const types = parseSignature(signature);
    if (types.length !== values.length) {
      throw new DBusWireError(
        `signature "${signature}" has ${types.length} values, ${values.length} were given`,
      );
    }
    types.forEach((type, index) => {
      this.write(type, values[index], 0);
    });
  }

  write(type: DBusType, value: unknown, depth: number): void {
    if (depth > MAX_DEPTH) throw new DBusWireError("values nested too deeply");
    switch (type.kind) {
      case "basic":
        this.#writeBasic(type.code, value);
        return;
      case "variant": {
        if (typeof value !== "object" || value === null || !("signature" in value)) {
          throw new DBusWireError("a variant needs { signature, value }");
        }
        const { signature, value: inner } = value as Variant;
        const innerType = parseSingleType(signature);
        this.#writeSignature(signature);
        this.write(innerType, inner, depth + 1);
        return;
      }
      case "struct": {
        if (!Array.isArray(value) || value.length !== type.fields.length) {
          throw new DBusWireError(
            `a struct ${signatureOf(type)} needs ${type.fields.length} values`,
          );
        }
        this.align(8);
        type.fields.forEach((field, index) => {
          this.write(field, value[index], depth + 1);
        });
        return;
      }
      case "array": {
        const element = type.element;
        if (element.kind === "basic" && element.code === "y" && value instanceof Uint8Array) {
          this.#writeUint32(value.length);
          this.#reserve(value.length);
          this.#bytes.set(value, this.#length);
          this.#length += value.length;
          return;
        }
        if (!Array.isArray(value)) throw new DBusWireError(`${signatureOf(type)} needs an array`);
        this.#writeArray(alignmentOf(element), () => {
          for (const item of value) this.write(element, item, depth + 1);
        });
        return;
      }
      case "dict": {
        const entries =
          value instanceof Map
            ? [...value.entries()]
            : typeof value === "object" && value !== null && !Array.isArray(value)
              ? Object.entries(value)
              : undefined;
        if (!entries) throw new DBusWireError(`${signatureOf(type)} needs a Map or an object`);
        this.#writeArray(8, () => {
          for (const [key, item] of entries) {
            this.align(8);
            this.write(type.key, key, depth + 1);
            this.write(type.value, item, depth + 1);
          }
        });
        return;
      }
    }
  }

  #writeArray(elementAlignment: number, writeElements: () => void): void {
    this.align(4);
    const lengthAt = this.#length;
    this.#writeUint32(0);
    this.align(elementAlignment);
    const start = this.#length;
    writeElements();
    const byteLength = this.#length - start;
    if (byteLength > MAX_ARRAY_BYTES) throw new DBusWireError("an array longer than 64 MiB");
    this.#view.setUint32(lengthAt, byteLength, true);
  }

  #writeBasic(code: BasicCode, value: unknown): void {
    switch (code) {
      case "y":
        this.#integer(value, 0, 0xff);
        this.#reserve(1);
        this.#view.setUint8(this.#length, value as number);
        this.#length += 1;
        return;
      case "b":
        if (typeof value !== "boolean") throw new DBusWireError("b needs a boolean");
        this.#writeUint32(value ? 1 : 0);
        return;
      case "n":
        this.#integer(value, -0x8000, 0x7fff);
        this.#fixed(2, (at) => this.#view.setInt16(at, value as number, true));
        return;
      case "q":
        this.#integer(value, 0, 0xffff);
        this.#fixed(2, (at) => this.#view.setUint16(at, value as number, true));
        return;
      case "i":
        this.#integer(value, -0x80000000, 0x7fffffff);
        this.#fixed(4, (at) => this.#view.setInt32(at, value as number, true));
        return;
      case "u":
        this.#integer(value, 0, 0xffffffff);
        this.#writeUint32(value as number);
        return;
      case "x":
      case "t": {
        const big =
          typeof value === "number" && Number.isSafeInteger(value) ? BigInt(value) : value;
        if (typeof big !== "bigint") throw new DBusWireError(`${code} needs a bigint`);
        const ok = code === "x" ? BigInt.asIntN(64, big) === big : BigInt.asUintN(64, big) === big;
        if (!ok) throw new DBusWireError(`${code} out of range`);
        this.#fixed(8, (at) =>
          code === "x"
            ? this.#view.setBigInt64(at, big, true)
            : this.#view.setBigUint64(at, big, true),
        );
        return;
      }
      case "d":
        if (typeof value !== "number") throw new DBusWireError("d needs a number");
        this.#fixed(8, (at) => this.#view.setFloat64(at, value, true));
        return;
      case "s":
      case "o": {
        if (typeof value !== "string") throw new DBusWireError(`${code} needs a string`);
        if (value.includes("\0")) throw new DBusWireError("a string cannot contain NUL");
        if (code === "o" && !isObjectPath(value)) throw new DBusWireError("not an object path");
        const encoded = new TextEncoder().encode(value);
        this.#writeUint32(encoded.length);
        this.#reserve(encoded.length + 1);
        this.#bytes.set(encoded, this.#length);
        this.#bytes[this.#length + encoded.length] = 0;
        this.#length += encoded.length + 1;
        return;
      }
      case "g":
        if (typeof value !== "string") throw new DBusWireError("g needs a string");
        parseSignature(value);
        this.#writeSignature(value);
        return;
    }
  }

  #writeSignature(signature: string): void {
    parseSignature(signature);
    this.#reserve(signature.length + 2);
    this.#bytes[this.#length] = signature.length;
    for (let i = 0; i < signature.length; i++) {
      this.#bytes[this.#length + 1 + i] = signature.charCodeAt(i);
    }
    this.#bytes[this.#length + 1 + signature.length] = 0;
    this.#length += signature.length + 2;
  }

  #writeUint32(value: number): void {
    this.#fixed(4, (at) => this.#view.setUint32(at, value, true));
  }

  #integer(value: unknown, min: number, max: number): void {
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      throw new DBusWireError(`an integer in [${min}, ${max}] is needed`);
    }
  }

  #fixed(size: number, set: (at: number) => void): void {
    this.align(size);
    this.#reserve(size);
    set(this.#length);
    this.#length += size;
  }

  #reserve(extra: number): void {
    if (this.#length + extra <= this.#bytes.length) return;
    let size = this.#bytes.length * 2;
    while (size < this.#length + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.#bytes.subarray(0, this.#length));
    this.#bytes = grown;
    this.#view = new DataView(grown.buffer);
  }
}

/** Reads values from `bytes`, whose first byte is the start of the message (for alignment). */
export class Reader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  readonly #little: boolean;
  readonly #end: number;
  #at: number;

  constructor(bytes: Uint8Array, littleEndian: boolean, start = 0, end = bytes.length) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#little = littleEndian;
    this.#at = start;
    this.#end = end;
  }

  get position(): number {
    return this.#at;
  }

  /** Reads a sequence of complete types; the values must end exactly at the end. */
  readAll(signature: string): DBusValue[] {
    const values = parseSignature(signature).map((type) => this.read(type, 0));
    if (this.#at !== this.#end) throw new DBusWireError("bytes left over after the values");
    return values;
  }

  read(type: DBusType, depth: number): DBusValue {
    if (depth > MAX_DEPTH) throw new DBusWireError("values nested too deeply");
    switch (type.kind) {
      case "basic":
        return this.#readBasic(type.code);
      case "variant": {
        const signature = this.#readSignature();
        const inner = parseSingleType(signature);
        return { signature, value: this.read(inner, depth + 1) };
      }
      case "struct":
        this.align(8);
        return type.fields.map((field) => this.read(field, depth + 1));
      case "array": {
        const element = type.element;
        const [start, end] = this.#arrayBounds(alignmentOf(element));
        if (element.kind === "basic" && element.code === "y") {
          this.#at = end;
          return this.#bytes.slice(start, end);
        }
        const items: DBusValue[] = [];
        while (this.#at < end) items.push(this.read(element, depth + 1));
        if (this.#at !== end) throw new DBusWireError("an array's elements overrun its length");
        return items;
      }
      case "dict": {
        const [, end] = this.#arrayBounds(8);
        const map = new Map<DBusValue, DBusValue>();
        while (this.#at < end) {
          this.align(8);
          const key = this.read(type.key, depth + 1);
          map.set(key, this.read(type.value, depth + 1));
        }
        if (this.#at !== end) throw new DBusWireError("a dict's entries overrun its length");
        return map;
      }
    }
  }

  align(boundary: number): void {
    const padding = (boundary - (this.#at % boundary)) % boundary;
    this.#need(padding);
    for (let i = 0; i < padding; i++) {
      if (this.#bytes[this.#at + i] !== 0) throw new DBusWireError("non-zero padding");
    }
    this.#at += padding;
  }

  #arrayBounds(elementAlignment: number): [number, number] {
    const byteLength = this.#uint32();
    if (byteLength > MAX_ARRAY_BYTES) throw new DBusWireError("an array longer than 64 MiB");
    this.align(elementAlignment);
    this.#need(byteLength);
    return [this.#at, this.#at + byteLength];
  }

  #readBasic(code: BasicCode): DBusValue {
    switch (code) {
      case "y":
        this.#need(1);
        return this.#view.getUint8(this.#at++);
      case "b": {
        const raw = this.#uint32();
        if (raw > 1) throw new DBusWireError("a boolean other than 0 or 1");
        return raw === 1;
      }
      case "n":
        return this.#fixed(2, (at) => this.#view.getInt16(at, this.#little));
      case "q":
        return this.#fixed(2, (at) => this.#view.getUint16(at, this.#little));
      case "i":
        return this.#fixed(4, (at) => this.#view.getInt32(at, this.#little));
      case "u":
        return this.#uint32();
      case "x":
        return this.#fixed(8, (at) => this.#view.getBigInt64(at, this.#little));
      case "t":
        return this.#fixed(8, (at) => this.#view.getBigUint64(at, this.#little));
      case "d":
        return this.#fixed(8, (at) => this.#view.getFloat64(at, this.#little));
      case "s":
      case "o": {
        const length = this.#uint32();
        const text = this.#text(length);
        if (code === "o" && !isObjectPath(text)) throw new DBusWireError("not an object path");
        return text;
      }
      case "g": {
        const signature = this.#readSignature();
        parseSignature(signature);
        return signature;
      }
    }
  }

  #readSignature(): string {
    this.#need(1);
    const length = this.#bytes[this.#at++] ?? 0;
    const text = this.#text(length);
    if (!/^[a-z{}()]*$/.test(text)) throw new DBusWireError("a signature with invalid codes");
    return text;
  }

  #text(length: number): string {
    this.#need(length + 1);
    const raw = this.#bytes.subarray(this.#at, this.#at + length);
    if (this.#bytes[this.#at + length] !== 0) throw new DBusWireError("a string without its NUL");
    if (raw.includes(0)) throw new DBusWireError("a string containing NUL");
    let text: string;
    try {
      text = FATAL_UTF8.decode(raw);
    } catch {
      throw new DBusWireError("a string that is not UTF-8");
    }
    this.#at += length + 1;
    return text;
  }

  #uint32(): number {
    return this.#fixed(4, (at) => this.#view.getUint32(at, this.#little));
  }

  #fixed<T>(size: number, get: (at: number) => T): T {
    this.align(size);
    this.#need(size);
    const value = get(this.#at);
    this.#at += size;
    return value;
  }

  #need(count: number): void {
    if (this.#at + count > this.#end) throw new DBusWireError("the message ends too early");
  }
}

const FATAL_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Encodes values against a signature, as a standalone body (aligned from offset 0). */
export function marshal(signature: string, values: readonly unknown[]): Uint8Array {
  const writer = new Writer();
  writer.writeAll(signature, values);
  return writer.bytes().slice();
}

/** Decodes a standalone body; throws DBusWireError on anything malformed. */
export function unmarshal(signature: string, bytes: Uint8Array, littleEndian = true): DBusValue[] {
  return new Reader(bytes, littleEndian).readAll(signature);
}
