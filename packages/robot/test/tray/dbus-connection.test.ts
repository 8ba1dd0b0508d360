/**
 * Our D-Bus client against a hostile "bus" played by the test (a Unix socket server speaking
 * just enough SASL and wire format): malformed and oversized messages are dropped without
 * crashing and without losing the stream, an unreadable frame closes the connection cleanly,
 * and outgoing calls are bounded (pending limit, timeout). The real daemon is in
 * linux-tray.test.ts.
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { connectToBus, type DBusConnection } from "../../src/tray/linux/dbus-connection.ts";
import { DBusError, DBusErrorName } from "../../src/tray/linux/dbus-error.ts";
import {
  type DBusMessage,
  decodeMessage,
  encodeMessage,
  frameLength,
  MessageType,
} from "../../src/tray/linux/dbus-message.ts";
import { makeTempDir } from "../support/temp.ts";

const dir = makeTempDir("hc-");
const path = join(dir.path, "bus");
let server: Server;
let peer: Socket;
const calls: DBusMessage[] = [];
let callWaiters: ((message: DBusMessage) => void)[] = [];
let serial = 100;

/** The fake bus: accepts any uid, answers Hello, records every call we make. */
function fakeBus(socket: Socket): void {
  peer = socket;
  let buffer = Buffer.alloc(0);
  let authenticated = false;
  socket.on("error", () => {});
  socket.on("data", (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    while (!authenticated) {
      const end = buffer.indexOf("\r\n");
      if (end < 0) return;
      const line = buffer.subarray(0, end).toString("latin1");
      buffer = buffer.subarray(end + 2);
      if (line.includes("AUTH EXTERNAL")) socket.write("OK 0123456789abcdef0123456789abcdef\r\n");
      else if (line === "BEGIN") authenticated = true;
    }
    while (buffer.length >= 16 && buffer.length >= frameLength(buffer)) {
      const length = frameLength(buffer);
      const message = decodeMessage(buffer.subarray(0, length));
      buffer = buffer.subarray(length);
      if (message.member === "Hello") reply(message, "s", [":1.7"]);
      else {
        calls.push(message);
        for (const waiter of callWaiters) waiter(message);
        callWaiters = [];
      }
    }
  });
}

function reply(call: DBusMessage, signature: string, body: unknown[]): void {
  peer.write(
    encodeMessage({
      type: MessageType.MethodReturn,
      flags: 0,
      serial: serial++,
      replySerial: call.serial,
      sender: "org.freedesktop.DBus",
      signature,
      body: body as DBusMessage["body"],
    }),
  );
}

function signal(member: string, body: string): Uint8Array {
  return encodeMessage({
    type: MessageType.Signal,
    flags: 0,
    serial: serial++,
    path: "/x",
    interface: "org.example.Test",
    member,
    sender: ":1.9",
    signature: "s",
    body: [body],
  });
}

function nextCall(): Promise<DBusMessage> {
  return new Promise((resolve) => callWaiters.push(resolve));
}

before(async () => {
  server = createServer(fakeBus);
  server.listen(path);
  await once(server, "listening");
});

after(async () => {
  server.close();
  dir.remove();
});

async function connectWith(dropped: string[] = []): Promise<DBusConnection> {
  return connectToBus({
    address: `unix:path=${path}`,
    uid: 1000,
    maxMessageBytes: 4096,
    maxPendingCalls: 2,
    callTimeoutMs: 200,
    onDropped: (reason) => dropped.push(reason),
  });
}

test("authenticates with EXTERNAL and learns its unique name from Hello", async () => {
  const bus = await connectWith();
  assert.equal(bus.uniqueName, ":1.7");
  await bus.close();
});

test("malformed and oversized messages are dropped; the next good one still arrives", async () => {
  const dropped: string[] = [];
  const bus = await connectWith(dropped);
  const received: string[] = [];
  const good = new Promise<void>((resolve) =>
    bus.onSignal((message) => {
      received.push(message.member ?? "");
      if (message.member === "Good") resolve();
    }),
  );
  const broken = signal("Broken", "abc");
  broken[broken.length - 1] = 0x41; // the body string loses its NUL
  const oversized = signal("Huge", "x".repeat(10_000));
  const badUtf8 = signal("BadUtf8", "ab");
  badUtf8[badUtf8.length - 3] = 0xc3;
  badUtf8[badUtf8.length - 2] = 0x28;
  // Sent as one write, then byte by byte: the framing holds either way.
  peer.write(Buffer.concat([broken, oversized, badUtf8]));
  for (const byte of signal("Good", "ok")) peer.write(Buffer.from([byte]));
  await good;
  assert.deepEqual(received, ["Good"]);
  assert.equal(dropped.length, 3);
  assert.match(dropped[1] ?? "", /over the limit/);
  await bus.close();
});

test("an unreadable frame closes the connection and fails the pending calls", async () => {
  const bus = await connectWith();
  const pending = bus.callBus("NameHasOwner", "s", ["org.example.X"]);
  await nextCall();
  const closed = new Promise<string>((resolve) => bus.onClose(resolve));
  const frame = signal("X", "y");
  frame[0] = 0x58; // no such byte order
  peer.write(frame);
  assert.match(await closed, /unreadable/);
  await assert.rejects(
    pending,
    (error: DBusError) => error.errorName === DBusErrorName.Disconnected,
  );
  assert.ok(bus.closed);
});

test("calls are bounded: a limit on pending calls and a timeout each", async () => {
  const bus = await connectWith();
  const first = bus.callBus("ListNames");
  const second = bus.callBus("ListNames");
  await assert.rejects(
    bus.callBus("ListNames"),
    (error: DBusError) => error.errorName === DBusErrorName.LimitsExceeded,
  );
  await assert.rejects(first, (error: DBusError) => error.errorName === DBusErrorName.NoReply);
  await assert.rejects(second, DBusError);
  await bus.close();
});

test("an error reply rejects with its name and message; a stray reply is ignored", async () => {
  const bus = await connectWith();
  const call = bus.callBus("GetNameOwner", "s", ["org.example.Missing"]);
  const seen = await nextCall();
  peer.write(
    encodeMessage({
      type: MessageType.Error,
      flags: 0,
      serial: serial++,
      replySerial: 999_999,
      errorName: "org.example.Stray",
      signature: "",
      body: [],
    }),
  );
  peer.write(
    encodeMessage({
      type: MessageType.Error,
      flags: 0,
      serial: serial++,
      replySerial: seen.serial,
      errorName: "org.freedesktop.DBus.Error.NameHasNoOwner",
      signature: "s",
      body: ["no owner\u0007"],
    }),
  );
  await assert.rejects(call, (error: DBusError) => {
    assert.equal(error.errorName, "org.freedesktop.DBus.Error.NameHasNoOwner");
    assert.equal(error.message, "no owner?");
    return true;
  });
  await bus.close();
});

test("a refused authentication is a one-line reason", async () => {
  const refusing = createServer((socket) => {
    socket.on("error", () => {});
    socket.once("data", () => socket.write("REJECTED EXTERNAL\r\n"));
  });
  const refusingPath = join(dir.path, "refusing");
  refusing.listen(refusingPath);
  await once(refusing, "listening");
  await assert.rejects(
    connectToBus({ address: `unix:path=${refusingPath}`, uid: 1 }),
    /refused our credentials/,
  );
  refusing.close();
});

test("the bus going away is told once to onClose; later calls fail at once", async () => {
  const bus = await connectWith();
  const closed = new Promise<string>((resolve) => bus.onClose(resolve));
  peer.destroy();
  assert.match(await closed, /closed the connection/);
  await assert.rejects(
    bus.callBus("ListNames"),
    (error: DBusError) => error.errorName === DBusErrorName.Disconnected,
  );
  bus.emitSignal({ path: "/x", interface: "org.example.Test", member: "Ignored" });
});
