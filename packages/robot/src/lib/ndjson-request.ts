/**
 * A POST over the robot's socket whose answer is NDJSON (`heptora vault rotate-key`): each line
 * goes to `onLine` as it arrives; resolves when the answer ends. An error answer (status >= 400)
 * rejects with its error; a connection cut before the end rejects too (the daemon stopped).
 */
import { HeptoraError } from "@heptora/protocol/errors";
import { errorFromAnswer } from "./error-body.ts";
import { isNotListening, notRunning } from "./socket-request.ts";

export function ndjsonRequest(options: {
  socketPath: string;
  token: string;
  path: string;
  body: unknown;
  onLine: (line: unknown) => void;
}): Promise<void> {
  // Loaded here, not when this module loads (every CLI command loads it): node:http costs about
  // 30 ms of a start-up (docs/adr/0082, "Start-up").
  const { request } = process.getBuiltinModule("node:http");
  const payload = Buffer.from(JSON.stringify(options.body));
  return new Promise((resolve, reject) => {
    const req = request({
      socketPath: options.socketPath,
      method: "POST",
      path: options.path,
      agent: false,
      headers: {
        authorization: `Bearer ${options.token}`,
        "content-type": "application/json",
        "content-length": payload.length,
      },
    });
    req.on("error", (error) => reject(isNotListening(error) ? notRunning(error) : error));
    req.on("response", (res) => {
      let pending = "";
      let ended = false;
      const lines = (text: string) => {
        pending += text;
        for (let newline = pending.indexOf("\n"); newline >= 0; newline = pending.indexOf("\n")) {
          const line = pending.slice(0, newline);
          pending = pending.slice(newline + 1);
          if (line.trim() === "") continue;
          let parsed: unknown;
          try {
            parsed = JSON.parse(line);
          } catch (cause) {
            throw new HeptoraError("internal_error", {
              message: "The robot sent an answer that is not JSON.",
              cause,
            });
          }
          options.onLine(parsed);
        }
      };
      res.setEncoding("utf8");
      if ((res.statusCode ?? 500) >= 400) {
        res.on("data", (chunk: string) => {
          pending += chunk;
        });
        res.on("end", () => {
          let body: unknown = null;
          try {
            body = JSON.parse(pending);
          } catch {
            // An unreadable error body still becomes an error.
          }
          reject(errorFromAnswer(res.statusCode ?? 500, body));
        });
        return;
      }
      res.on("data", (chunk: string) => {
        try {
          lines(chunk);
        } catch (error) {
          req.destroy();
          reject(error);
        }
      });
      res.on("end", () => {
        ended = true;
        resolve();
      });
      res.on("close", () => {
        if (!ended) {
          reject(
            new HeptoraError("service_unavailable", {
              message: "The robot stopped before the operation finished.",
              hint: "Start it again and look at `heptora status` and `heptora audit list`.",
            }),
          );
        }
      });
    });
    req.end(payload);
  });
}
