/**
 * Our own small D-Bus client, over node:net: connects to a bus's Unix socket, authenticates with
 * SASL EXTERNAL (the kernel vouches for our uid), says Hello, then calls methods, answers the
 * calls made to the objects it exports, and passes signals on. Just what the tray needs (ADR
 * 0063): no file descriptors, no TCP, no activation of our own, no introspection of peers.
 *
 * Any process of the same user can talk to us on the session bus, so every incoming message is
 * bounded (`maxMessageBytes`; longer ones are skipped, not buffered) and validated before use; a
 * malformed one is dropped (reported to `onDropped`) and never throws out of the socket's
 * handlers. Outgoing calls are bounded too (`maxPendingCalls`, a timeout each), and replies are
 * dropped rather than queued without end if a peer stops reading.
 *
 * @example
 * const bus = await connectToBus({ address, uid: process.getuid?.() ?? 0 });
 * const [owned] = await bus.call({ destination: "org.freedesktop.DBus", path: "/org/freedesktop/DBus",
 *   interface: "org.freedesktop.DBus", member: "NameHasOwner", signature: "s", body: ["org.x.Y"] });
 */
import { connect, type Socket } from "node:net";
import { parseBusAddress } from "./dbus-address.ts";
import { DBusError, DBusErrorName } from "./dbus-error.ts";
import type { DBusValue } from "./dbus-marshal.ts";
import {
  type DBusMessage,
  decodeMessage,
  encodeMessage,
  FIXED_HEADER_BYTES,
  frameLength,
  MessageFlag,
  MessageType,
} from "./dbus-message.ts";
import { DBusWireError, printable } from "./dbus-signature.ts";

export interface DBusConnectOptions {
  /** The bus address, e.g. the session bus's from DBUS_SESSION_BUS_ADDRESS. */
  address: string;
  /** Our uid, sent in SASL EXTERNAL (the bus checks it against the socket's credentials). */
  uid: number;
  /** For connecting, authenticating and Hello together (ms). */
  connectTimeoutMs?: number;
  /** Default timeout of a method call (ms). */
  callTimeoutMs?: number;
  /** Incoming messages longer than this are skipped. */
  maxMessageBytes?: number;
  /** Method calls awaiting a reply at once; more are refused. */
  maxPendingCalls?: number;
  /** Told about each incoming message dropped as malformed or too long (for logs and tests). */
  onDropped?: (reason: string) => void;
}

export interface MethodCallRequest {
  destination: string;
  path: string;
  interface: string;
  member: string;
  signature?: string;
  body?: readonly unknown[];
  timeoutMs?: number;
}

export interface SignalRequest {
  path: string;
  interface: string;
  member: string;
  signature?: string;
  body?: readonly unknown[];
}

export interface MethodResult {
  signature: string;
  body: readonly unknown[];
}

/** Answers the calls made to one exported object path; throws DBusError for an error reply. */
export type MethodHandler = (call: DBusMessage) => MethodResult | Promise<MethodResult>;

const DEFAULTS = {
  connectTimeoutMs: 3_000,
  callTimeoutMs: 5_000,
  maxMessageBytes: 1024 * 1024,
  maxPendingCalls: 64,
};
/** Bytes queued on the socket beyond which replies and signals are dropped. */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;
const MAX_AUTH_LINE = 512;

const BUS = {
  destination: "org.freedesktop.DBus",
  path: "/org/freedesktop/DBus",
  interface: "org.freedesktop.DBus",
} as const;

export const NO_REPLY: MethodResult = { signature: "", body: [] };

interface Pending {
  resolve: (body: DBusValue[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** Connects, authenticates and says Hello; rejects with a one-line reason. */
export async function connectToBus(options: DBusConnectOptions): Promise<DBusConnection> {
  const addresses = parseBusAddress(options.address);
  if (addresses.length === 0) {
    throw new Error(`the bus address "${printable(options.address)}" has no Unix socket`);
  }
  const timeoutMs = options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs;
  const reasons: string[] = [];
  for (const address of addresses) {
    try {
      const { socket, leftover } = await authenticate(address.socketPath, options.uid, timeoutMs);
      const connection = new DBusConnection(socket, options);
      connection.feed(leftover);
      const hello = connection.call({ ...BUS, member: "Hello", timeoutMs });
      const [name] = await hello.catch((error: Error) => {
        socket.destroy();
        throw error;
      });
      if (typeof name !== "string") {
        socket.destroy();
        throw new Error("the bus answered Hello without a name");
      }
      connection.uniqueName = name;
      return connection;
    } catch (error) {
      reasons.push(`${printable(address.text)}: ${(error as Error).message}`);
    }
  }
  throw new Error(reasons.join("; "));
}

function authenticate(
  socketPath: string,
  uid: number,
  timeoutMs: number,
): Promise<{ socket: Socket; leftover: Buffer }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ path: socketPath });
    let received = Buffer.alloc(0);
    const fail = (reason: string) => {
      clearTimeout(timer);
      socket.destroy();
      reject(new Error(reason));
    };
    const timer = setTimeout(() => fail(`no answer within ${timeoutMs} ms`), timeoutMs);
    timer.unref();
    socket.once("error", (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));
    socket.once("close", () => fail("the bus closed the connection"));
    socket.once("connect", () => {
      const hexUid = Buffer.from(String(uid), "ascii").toString("hex");
      socket.write(`\0AUTH EXTERNAL ${hexUid}\r\n`);
    });
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf("\r\n");
      if (end < 0) {
        if (received.length > MAX_AUTH_LINE) fail("an authentication line too long");
        return;
      }
      const line = received.subarray(0, end).toString("latin1");
      if (!line.startsWith("OK ")) {
        fail(
          line.startsWith("REJECTED")
            ? "the bus refused our credentials"
            : `unexpected authentication answer "${printable(line)}"`,
        );
        return;
      }
      clearTimeout(timer);
      socket.off("data", onData);
      socket.removeAllListeners("error");
      socket.removeAllListeners("close");
      socket.write("BEGIN\r\n");
      resolve({ socket, leftover: received.subarray(end + 2) });
    };
    socket.on("data", onData);
  });
}

export class DBusConnection {
  /** Our unique name on the bus (`:1.42`), set once Hello is answered. */
  uniqueName = "";
  readonly #socket: Socket;
  readonly #options: Required<Omit<DBusConnectOptions, "onDropped" | "address" | "uid">>;
  readonly #onDropped: (reason: string) => void;
  readonly #pending = new Map<number, Pending>();
  readonly #objects = new Map<string, MethodHandler>();
  readonly #signalListeners = new Set<(message: DBusMessage) => void>();
  readonly #closeListeners = new Set<(reason: string) => void>();
  #buffer: Buffer = Buffer.alloc(0);
  #skipping = 0;
  #serial = 0;
  #closed: string | undefined;

  constructor(socket: Socket, options: DBusConnectOptions) {
    this.#socket = socket;
    this.#options = {
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
      callTimeoutMs: options.callTimeoutMs ?? DEFAULTS.callTimeoutMs,
      maxMessageBytes: options.maxMessageBytes ?? DEFAULTS.maxMessageBytes,
      maxPendingCalls: options.maxPendingCalls ?? DEFAULTS.maxPendingCalls,
    };
    this.#onDropped = options.onDropped ?? (() => {});
    socket.on("data", (chunk: Buffer) => this.feed(chunk));
    socket.on("error", (error: NodeJS.ErrnoException) => this.#shutDown(error.code ?? "error"));
    socket.on("close", () => this.#shutDown("the bus closed the connection"));
  }

  get closed(): boolean {
    return this.#closed !== undefined;
  }

  /** Calls a method and resolves with the reply's body; rejects with DBusError on an error. */
  call(request: MethodCallRequest): Promise<DBusValue[]> {
    if (this.#closed) {
      return Promise.reject(new DBusError(DBusErrorName.Disconnected, this.#closed));
    }
    if (this.#pending.size >= this.#options.maxPendingCalls) {
      return Promise.reject(
        new DBusError(DBusErrorName.LimitsExceeded, "too many D-Bus calls awaiting a reply"),
      );
    }
    const serial = this.#nextSerial();
    let frame: Uint8Array;
    try {
      frame = encodeMessage({
        type: MessageType.MethodCall,
        flags: 0,
        serial,
        destination: request.destination,
        path: request.path,
        interface: request.interface,
        member: request.member,
        signature: request.signature ?? "",
        body: [...(request.body ?? [])] as DBusValue[],
      });
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      const timeoutMs = request.timeoutMs ?? this.#options.callTimeoutMs;
      const timer = setTimeout(() => {
        this.#pending.delete(serial);
        reject(
          new DBusError(DBusErrorName.NoReply, `${request.member}: no reply in ${timeoutMs} ms`),
        );
      }, timeoutMs);
      timer.unref();
      this.#pending.set(serial, { resolve, reject, timer });
      this.#socket.write(frame);
    });
  }

  /** Emits a signal from one of our objects (dropped if the bus is not reading us). */
  emitSignal(signal: SignalRequest): void {
    this.#send({
      type: MessageType.Signal,
      flags: MessageFlag.NoReplyExpected,
      serial: 0,
      path: signal.path,
      interface: signal.interface,
      member: signal.member,
      signature: signal.signature ?? "",
      body: [...(signal.body ?? [])] as DBusValue[],
    });
  }

  /** Answers the method calls made to `path`; returns a function that stops answering. */
  exportObject(path: string, handler: MethodHandler): () => void {
    this.#objects.set(path, handler);
    return () => {
      if (this.#objects.get(path) === handler) this.#objects.delete(path);
    };
  }

  /** Receives the signals the bus routes to us (see `addMatch`). */
  onSignal(listener: (message: DBusMessage) => void): () => void {
    this.#signalListeners.add(listener);
    return () => this.#signalListeners.delete(listener);
  }

  onClose(listener: (reason: string) => void): void {
    this.#closeListeners.add(listener);
  }

  /** Asks the bus to route the signals matching `rule` to us. */
  async addMatch(rule: string): Promise<void> {
    await this.call({ ...BUS, member: "AddMatch", signature: "s", body: [rule] });
  }

  /** The bus's own methods (RequestName, NameHasOwner, ...). */
  callBus(member: string, signature = "", body: readonly unknown[] = []): Promise<DBusValue[]> {
    return this.call({ ...BUS, member, signature, body });
  }

  /** Closes the connection; our names and objects disappear from the bus with it. */
  close(): Promise<void> {
    if (this.#socket.destroyed) {
      this.#shutDown("closed");
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.#socket.once("close", () => resolve());
      this.#shutDown("closed");
      this.#socket.end(() => this.#socket.destroy());
    });
  }

  /** Bytes from the bus: cut into messages, each decoded and dispatched on its own. */
  feed(chunk: Buffer): void {
    let data = chunk;
    if (this.#skipping > 0) {
      const skipped = Math.min(this.#skipping, data.length);
      this.#skipping -= skipped;
      data = data.subarray(skipped);
    }
    this.#buffer = this.#buffer.length === 0 ? data : Buffer.concat([this.#buffer, data]);
    while (this.#buffer.length >= FIXED_HEADER_BYTES && !this.#closed) {
      let length: number;
      try {
        length = frameLength(this.#buffer);
      } catch (error) {
        // Without a frame length we cannot find the next message: the stream is lost.
        this.#onDropped(`unreadable frame: ${(error as Error).message}`);
        this.#shutDown(`the bus sent an unreadable message (${(error as Error).message})`);
        this.#socket.destroy();
        return;
      }
      if (length > this.#options.maxMessageBytes) {
        this.#onDropped(`a message of ${length} bytes, over the limit`);
        const skipped = Math.min(length, this.#buffer.length);
        this.#skipping = length - skipped;
        this.#buffer = this.#buffer.subarray(skipped);
        continue;
      }
      if (this.#buffer.length < length) return;
      const frame = this.#buffer.subarray(0, length);
      this.#buffer = this.#buffer.subarray(length);
      this.#receive(frame);
    }
  }

  #receive(frame: Uint8Array): void {
    let message: DBusMessage;
    try {
      message = decodeMessage(frame);
    } catch (error) {
      const reason = error instanceof DBusWireError ? error.message : "undecodable";
      this.#onDropped(`malformed message: ${reason}`);
      return;
    }
    switch (message.type) {
      case MessageType.MethodReturn:
      case MessageType.Error:
        this.#settle(message);
        return;
      case MessageType.Signal:
        for (const listener of this.#signalListeners) {
          try {
            listener(message);
          } catch (error) {
            this.#onDropped(`a signal listener failed: ${(error as Error).message}`);
          }
        }
        return;
      case MessageType.MethodCall:
        void this.#answer(message);
        return;
    }
  }

  #settle(message: DBusMessage): void {
    const pending = this.#pending.get(message.replySerial ?? 0);
    if (!pending) return; // a late reply after a timeout, or a stray one
    this.#pending.delete(message.replySerial ?? 0);
    clearTimeout(pending.timer);
    if (message.type === MessageType.MethodReturn) {
      pending.resolve(message.body);
      return;
    }
    const text = typeof message.body[0] === "string" ? message.body[0] : "";
    pending.reject(new DBusError(message.errorName ?? DBusErrorName.Failed, printable(text)));
  }

  async #answer(call: DBusMessage): Promise<void> {
    let result: MethodResult;
    try {
      result = await this.#handle(call);
    } catch (error) {
      const known = error instanceof DBusError;
      this.#reply(call, {
        type: MessageType.Error,
        errorName: known ? error.errorName : DBusErrorName.Failed,
        signature: "s",
        body: [known ? error.message : "internal error"],
      });
      return;
    }
    this.#reply(call, {
      type: MessageType.MethodReturn,
      signature: result.signature,
      body: result.body as DBusValue[],
    });
  }

  #handle(call: DBusMessage): MethodResult | Promise<MethodResult> {
    if (call.interface === "org.freedesktop.DBus.Peer") {
      if (call.member === "Ping") return NO_REPLY;
      throw new DBusError(DBusErrorName.UnknownMethod, `no method ${call.member}`);
    }
    const handler = this.#objects.get(call.path ?? "");
    if (!handler) {
      throw new DBusError(
        DBusErrorName.UnknownObject,
        `no object at ${printable(call.path ?? "")}`,
      );
    }
    return handler(call);
  }

  #reply(
    call: DBusMessage,
    reply: Pick<DBusMessage, "type" | "signature" | "body" | "errorName">,
  ): void {
    if (call.flags & MessageFlag.NoReplyExpected || call.sender === undefined) return;
    try {
      this.#send({
        ...reply,
        flags: MessageFlag.NoReplyExpected,
        serial: 0,
        replySerial: call.serial,
        destination: call.sender,
      });
    } catch (error) {
      // Our own reply did not encode (a bug of ours): the caller still gets an answer.
      this.#onDropped(`a reply could not be encoded: ${(error as Error).message}`);
      this.#send({
        type: MessageType.Error,
        flags: MessageFlag.NoReplyExpected,
        serial: 0,
        replySerial: call.serial,
        destination: call.sender,
        errorName: DBusErrorName.Failed,
        signature: "s",
        body: ["internal error"],
      });
    }
  }

  #send(message: DBusMessage): void {
    if (this.#closed) return;
    if (this.#socket.writableLength > MAX_QUEUED_BYTES) {
      this.#onDropped("the bus is not reading our messages; one dropped");
      return;
    }
    this.#socket.write(encodeMessage({ ...message, serial: this.#nextSerial() }));
  }

  #nextSerial(): number {
    this.#serial = (this.#serial % 0xffffffff) + 1;
    return this.#serial;
  }

  #shutDown(reason: string): void {
    if (this.#closed) return;
    this.#closed = reason;
    for (const [serial, pending] of this.#pending) {
      clearTimeout(pending.timer);
      pending.reject(new DBusError(DBusErrorName.Disconnected, reason));
      this.#pending.delete(serial);
    }
    for (const listener of this.#closeListeners) {
      try {
        listener(reason);
      } catch {
        // A listener's failure must not stop the others.
      }
    }
  }
}
