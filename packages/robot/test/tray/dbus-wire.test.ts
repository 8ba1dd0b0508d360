/**
 * The D-Bus wire format of our own client: values round-trip, alignment is the specification's
 * (padding counted from the message start, even for empty arrays), big-endian peers are read,
 * and every malformed input a hostile peer could send is refused with DBusWireError.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseBusAddress } from "../../src/tray/linux/dbus-address.ts";
import { marshal, unmarshal, variant } from "../../src/tray/linux/dbus-marshal.ts";
import {
  type DBusMessage,
  decodeMessage,
  encodeMessage,
  frameLength,
  isBusName,
  isInterfaceName,
  MessageType,
} from "../../src/tray/linux/dbus-message.ts";
import { DBusWireError, parseSignature } from "../../src/tray/linux/dbus-signature.ts";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const bytes = (text: string) => new Uint8Array(Buffer.from(text.replace(/\s/g, ""), "hex"));

describe("marshalling round-trips", () => {
  const cases: [string, unknown[]][] = [
    ["y", [255]],
    ["b", [true]],
    ["n", [-32768]],
    ["q", [65535]],
    ["i", [-2147483648]],
    ["u", [4294967295]],
    ["x", [-(2n ** 63n)]],
    ["t", [2n ** 64n - 1n]],
    ["d", [-1.5]],
    ["s", ["Signed in as ana@example.com — ünïcödé"]],
    ["o", ["/StatusNotifierItem"]],
    ["g", ["a(iiay)"]],
    ["ai", [[1, -2, 3]]],
    ["ax", [[]]],
    ["yax", [7, [1n, 2n]]],
    ["ay", [new Uint8Array([0, 1, 255])]],
    ["a(iiay)", [[[2, 1, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])]]]],
    ["(ia{sv}av)", [[0, new Map([["label", variant("s", "x")]]), [variant("(i)", [3])]]]],
    ["a{sv}", [new Map([["a", variant("av", [variant("t", 9n)])]])]],
    ["yvyd", [1, variant("ay", new Uint8Array([9])), 2, 0.25]],
    ["a(ias)", [[[1, ["label", "enabled"]]]]],
    ["aiai", [[], [5]]],
  ];
  for (const [signature, values] of cases) {
    test(`"${signature}"`, () => {
      assert.deepEqual(unmarshal(signature, marshal(signature, values)), values);
    });
  }

  test("a plain object is written as a string-keyed dict and read back as a Map", () => {
    const read = unmarshal("a{sv}", marshal("a{sv}", [{ Version: variant("u", 3) }]));
    assert.deepEqual(read, [new Map([["Version", variant("u", 3)]])]);
  });
});

describe("alignment", () => {
  test("an int64 after a byte starts at offset 8", () => {
    assert.equal(hex(marshal("yx", [1, 2n])), "01000000000000000200000000000000");
  });
  test("an empty array of int64 is its length then padding to 8 (padding not counted)", () => {
    assert.equal(hex(marshal("yax", [1, []])), "0100000000000000");
    assert.equal(hex(marshal("ax", [[]])), "0000000000000000");
  });
  test("a struct inside an array pads each element to 8; the length counts from the first", () => {
    assert.equal(
      hex(marshal("a(y)", [[[1], [2]]])),
      // length 9 | pad to 8 | 01 | pad to 16 | 02
      "09000000000000000100000000000000" + "02",
    );
  });
  test("a variant's value aligns from the message start, not from the variant", () => {
    assert.equal(hex(marshal("yv", [1, variant("i", 5)])), "01016900" + "05000000");
  });
  test("a string is length, bytes, NUL; the next int32 pads past it", () => {
    assert.equal(hex(marshal("si", ["ab", 1])), "020000006162000001000000");
  });
});

describe("big-endian peers", () => {
  test("integers and arrays are read in the peer's byte order", () => {
    // "ai" [10, -2] then "s" "a"
    const be = bytes("00000008 0000000a fffffffe 00000001 6100");
    assert.deepEqual(unmarshal("ais", be, false), [[10, -2], "a"]);
  });
});

describe("malformed input is refused", () => {
  const refused: [string, string, string][] = [
    ["a string running past the end", "s", "ff000000 6100"],
    ["a string without its NUL", "s", "01000000 6161"],
    ["a string with a NUL inside", "s", "02000000 610000"],
    ["a string that is not UTF-8", "s", "02000000 c328 00"],
    ["a boolean 2", "b", "02000000"],
    ["non-zero padding", "yx", "01 00000000000001 0200000000000000"],
    ["an object path with a trailing slash", "o", "03000000 2f612f 00"],
    ["an array whose elements overrun its length", "ai", "03000000 01000000"],
    ["an array length past the end", "ai", "00010000 01000000"],
    ["bytes left after the values", "y", "0102"],
    ["a variant of two types", "v", "02 6969 00 00 01000000 02000000"],
    ["a variant with a bad signature", "v", "01 68 00 00 00000000"],
    ["a truncated int64", "x", "01020304"],
  ];
  for (const [what, signature, input] of refused) {
    test(what, () => {
      assert.throws(() => unmarshal(signature, bytes(input)), DBusWireError);
    });
  }

  test("variants nested 70 deep", () => {
    const deep = Buffer.concat([
      ...Array.from({ length: 70 }, () => Buffer.from([1, 0x76, 0])),
      Buffer.from([1, 0x79, 0, 5]),
    ]);
    assert.throws(() => unmarshal("v", new Uint8Array(deep)), /nested too deeply/);
  });

  test("bad signatures", () => {
    for (const signature of [
      "a",
      "(",
      "()",
      "(i",
      "a{vs}",
      "a{s}",
      "a{sss}",
      "{sv}",
      "h",
      "z",
      `${"a".repeat(33)}i`,
      "i".repeat(256),
    ]) {
      assert.throws(() => parseSignature(signature), DBusWireError, signature);
    }
    assert.equal(parseSignature("a(iiay)a{sv}").length, 2);
  });

  test("our own values out of range or of the wrong type are refused when writing", () => {
    assert.throws(() => marshal("y", [256]), DBusWireError);
    assert.throws(() => marshal("i", [1.5]), DBusWireError);
    assert.throws(() => marshal("u", [-1]), DBusWireError);
    assert.throws(() => marshal("t", [-1n]), DBusWireError);
    assert.throws(() => marshal("s", ["a\0b"]), DBusWireError);
    assert.throws(() => marshal("o", ["no/slash"]), DBusWireError);
    assert.throws(() => marshal("b", [1]), DBusWireError);
    assert.throws(() => marshal("(ii)", [[1]]), DBusWireError);
    assert.throws(() => marshal("v", ["bare"]), DBusWireError);
    assert.throws(() => marshal("ii", [1]), DBusWireError);
  });
});

describe("messages", () => {
  const call: DBusMessage = {
    type: MessageType.MethodCall,
    flags: 0,
    serial: 7,
    path: "/MenuBar",
    interface: "com.canonical.dbusmenu",
    member: "GetLayout",
    destination: ":1.5",
    signature: "iias",
    body: [0, -1, ["label"]],
  };

  test("a method call round-trips with its header fields; the header pads to 8", () => {
    const frame = encodeMessage(call);
    assert.equal(frameLength(frame), frame.length);
    assert.deepEqual(decodeMessage(frame), call);
  });

  test("a frame is refused for a bad byte order, version, type, serial or field", () => {
    const good = encodeMessage(call);
    const mutated = (at: number, value: number) => {
      const copy = good.slice();
      copy[at] = value;
      return copy;
    };
    assert.throws(() => frameLength(mutated(0, 0x58)), /byte-order/);
    assert.throws(() => frameLength(mutated(3, 2)), /protocol version/);
    assert.throws(() => decodeMessage(mutated(1, 9)), /message type/);
    assert.throws(() => decodeMessage(mutated(8, 0)), /serial 0/);
    assert.throws(() => decodeMessage(good.subarray(0, good.length - 1)), DBusWireError);
  });

  test("required fields, names and the body against its signature are checked", () => {
    assert.throws(() => decodeMessage(encodeMessage({ ...call, member: undefined })), /member/);
    assert.throws(
      () => decodeMessage(encodeMessage({ ...call, interface: "nodots" })),
      /interface name/,
    );
    assert.throws(
      () =>
        decodeMessage(
          encodeMessage({
            type: MessageType.MethodReturn,
            flags: 0,
            serial: 1,
            signature: "",
            body: [],
          }),
        ),
      /reply serial/,
    );
    // The body does not match its declared signature.
    const frame = encodeMessage({ ...call, signature: "s", body: ["x"] });
    const signatureAt = Buffer.from(frame).indexOf(Buffer.from([0x67, 0, 1, 0x73, 0]));
    frame[signatureAt + 3] = 0x78; // "s" becomes "x": 8 bytes wanted, 6 there
    assert.throws(() => decodeMessage(frame), DBusWireError);
  });

  test("bus and interface names", () => {
    assert.ok(isBusName(":1.42"));
    assert.ok(isBusName("org.kde.StatusNotifierItem-123-1"));
    assert.ok(!isBusName("org"));
    assert.ok(!isBusName("org.1kde"));
    assert.ok(!isBusName(`a.${"b".repeat(260)}`));
    assert.ok(isInterfaceName("org.kde.StatusNotifierWatcher"));
    assert.ok(!isInterfaceName("org.kde-x.Y"));
  });
});

describe("bus addresses", () => {
  test("Unix paths and abstract names, in order; other transports skipped", () => {
    assert.deepEqual(
      parseBusAddress(
        "tcp:host=x,port=1;unix:path=/run/user/1000/bus,guid=ab;unix:abstract=/tmp/d%2dx",
      ),
      [
        { socketPath: "/run/user/1000/bus", text: "unix:path=/run/user/1000/bus,guid=ab" },
        { socketPath: "\0/tmp/d-x", text: "unix:abstract=/tmp/d%2dx" },
      ],
    );
    assert.deepEqual(parseBusAddress("garbage"), []);
    assert.deepEqual(parseBusAddress("unix:path=%zz"), []);
  });
});
