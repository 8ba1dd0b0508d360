import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { test } from "node:test";
import { listenOnSocket, SocketInUseError } from "../../src/socket/socket-listener.ts";
import { makeTempDir } from "../support/temp.ts";

test("the socket is created 0600", async () => {
  const temp = makeTempDir();
  mkdirSync(temp.dataDir, { recursive: true });
  const path = join(temp.dataDir, "robot.sock");
  const server = createServer();
  try {
    await listenOnSocket(server, path);
    assert.equal(statSync(path).mode & 0o777, 0o600);
  } finally {
    await new Promise((resolve) => server.close(resolve));
    temp.remove();
  }
});

test("a second listener on a live socket is refused", async () => {
  const temp = makeTempDir();
  mkdirSync(temp.dataDir, { recursive: true });
  const path = join(temp.dataDir, "robot.sock");
  const first = createServer();
  const second = createServer();
  try {
    await listenOnSocket(first, path);
    await assert.rejects(listenOnSocket(second, path), SocketInUseError);
  } finally {
    await new Promise((resolve) => first.close(resolve));
    temp.remove();
  }
});

test("a stale socket left by a killed process is replaced", async () => {
  const temp = makeTempDir();
  mkdirSync(temp.dataDir, { recursive: true });
  const path = join(temp.dataDir, "robot.sock");
  const child = spawn(
    process.execPath,
    [
      "-e",
      `require("net").createServer().listen(${JSON.stringify(path)}, () => console.log("up"))`,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
  child.kill("SIGKILL");
  await new Promise((resolve) => child.once("exit", resolve));
  assert.ok(existsSync(path), "the killed process left its socket file");
  const server = createServer();
  try {
    await listenOnSocket(server, path);
    assert.ok(server.listening);
  } finally {
    await new Promise((resolve) => server.close(resolve));
    temp.remove();
  }
});
