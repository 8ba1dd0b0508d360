/**
 * The getSecret benchmark's floor, in its own process: the same transport as the robot (node:http
 * on a Unix socket, default server options) and a handler that answers a constant
 * `{name, value}` with the robot's headers, doing nothing else. Prints "ready" once listening;
 * stops on SIGTERM.
 *
 * @example
 * node packages/robot/bench/support/floor-server.ts /tmp/hb/floor.sock
 */
import { rmSync } from "node:fs";
import { createServer } from "node:http";

const socketPath = process.argv[2];
if (socketPath === undefined) throw new Error("usage: floor-server.ts SOCKET");
const body = Buffer.from(
  JSON.stringify({ name: "BENCH_SECRET", value: "a-secret-value-of-typical-length-0123456789" }),
);
const server = createServer((_req, res) => {
  res.writeHead(200, {
    "content-type": "application/json; charset=utf-8",
    "content-length": body.length,
    "cache-control": "no-store",
  });
  res.end(body);
});
rmSync(socketPath, { force: true });
server.listen(socketPath, () => process.stdout.write("ready\n"));
process.on("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
