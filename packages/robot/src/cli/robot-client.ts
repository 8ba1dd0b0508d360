/**
 * The CLI's client of the daemon's management API (`/v1/manage/*`). It reads the management token
 * the daemon wrote to `<dataDir>/control.token`; a missing token file or socket means the robot is
 * not running. Answers are checked before use (answer-check.ts): a small shape for the hot
 * commands, the robot-api schemas of @heptora/protocol (zod, loaded on demand) for the others.
 */
import type { RunEndRequest, RunGrant, RunGrantRequest, WindowPath } from "@heptora/protocol";
import { HeptoraError } from "@heptora/protocol/errors";
import { RobotApiPaths } from "@heptora/protocol/robot-api/environment";
import { errorFromAnswer } from "../lib/error-body.ts";
import { ndjsonRequest } from "../lib/ndjson-request.ts";
import { privateDirProblem } from "../lib/private-dirs.ts";
import { controlTokenPathFor, socketPathFor } from "../lib/socket-path.ts";
import { isNotListening, notRunning, socketRequest } from "../lib/socket-request.ts";
import { type AnswerCheck, revealedCheck, schemaCheck, statusCheck } from "./answer-check.ts";

// Builtins through getBuiltinModule, not `import`: an ESM import of a builtin evaluates all of its
// lazy exports (node:fs loads fs/promises, node:crypto webcrypto...), a cost on every CLI start
// (docs/adr/0061).
const { readFileSync } = process.getBuiltinModule("node:fs");
const { dirname } = process.getBuiltinModule("node:path");

/** Sign-in and sync wait on the platform (with its own timeouts): give them room. */
const PLATFORM_CALL_TIMEOUT_MS = 60_000;

export interface OpenRun {
  grant: RunGrant;
  /**
   * Calls `listener` with the values the robot sends while the run goes on (set or changed
   * meanwhile, docs/adr/0075); returns the unsubscribe function.
   */
  onMask(listener: (values: readonly string[]) => void): () => void;
  /** Ends the run: closes the connection, which revokes the run token. */
  close(): void;
}

export type RobotClient = ReturnType<typeof createRobotClient>;

export function createRobotClient(options: { dataDir: string; socketPath?: string }) {
  const socketPath = options.socketPath ?? socketPathFor(options.dataDir);
  let token: string | undefined;

  function managementToken(): string {
    if (token !== undefined) return token;
    // Nothing goes to a socket in a folder someone else owns or can write to: a daemon there
    // could be theirs, collecting the token, values and passwords (docs/adr/0073).
    for (const [dir, what] of [
      [options.dataDir, "data dir"],
      [dirname(socketPath), "socket folder"],
    ] as const) {
      const problem = process.platform === "win32" ? undefined : privateDirProblem(dir, what);
      if (problem !== undefined) throw new HeptoraError("unsafe_directory", { message: problem });
    }
    const path = controlTokenPathFor(options.dataDir);
    try {
      token = readFileSync(path, "utf8").trim();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") throw notRunning(error);
      throw new HeptoraError("unauthenticated", {
        message: `Cannot read the robot's management token (${path}).`,
        hint: "Run heptora as the user that started the robot.",
        cause: error,
      });
    }
    if (token.length === 0) throw notRunning();
    return token;
  }

  async function call<T>(
    check: AnswerCheck<T>,
    method: "GET" | "POST" | "PUT" | "DELETE",
    path: string,
    body?: unknown,
    timeoutMs?: number,
  ): Promise<T> {
    const answer = await socketRequest({
      socketPath,
      method,
      path,
      token: managementToken(),
      body,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
    if (answer.status >= 400) throw errorFromAnswer(answer.status, answer.body);
    const parsed = await check(answer.body);
    if (parsed === undefined) {
      throw new HeptoraError("internal_error", {
        message: "The robot sent an answer this CLI does not understand.",
        hint: "Check that the daemon and the CLI come from the same Heptora version.",
      });
    }
    return parsed;
  }

  return {
    socketPath,
    /** The key-slot routes (http/key-routes.ts, docs/adr/0078); `check` validates the answer. */
    vaultKeys: <T>(
      check: AnswerCheck<T>,
      method: "GET" | "POST" | "DELETE",
      path: string,
      body?: unknown,
    ) => call(check, method, `/v1/manage/vault${path}`, body),
    status: () => call(statusCheck, "GET", RobotApiPaths.status),
    login: (email: string, password: string) =>
      call(
        schemaCheck((p) => p.LocalLoginResponseSchema),
        "POST",
        RobotApiPaths.login,
        { email, password },
        PLATFORM_CALL_TIMEOUT_MS,
      ),
    logout: () =>
      call(
        schemaCheck((p) => p.LocalLogoutResponseSchema),
        "POST",
        RobotApiPaths.logout,
        {},
        PLATFORM_CALL_TIMEOUT_MS,
      ),
    sync: () =>
      call(
        schemaCheck((p) => p.LocalSyncResultSchema),
        "POST",
        RobotApiPaths.sync,
        {},
        PLATFORM_CALL_TIMEOUT_MS,
      ),
    listSecrets: (process?: string) =>
      call(
        schemaCheck((p) => p.LocalSecretsListSchema),
        "GET",
        process === undefined
          ? RobotApiPaths.secrets
          : `${RobotApiPaths.secrets}?process=${encodeURIComponent(process)}`,
      ),
    setSecret: (secretName: string, value: string, options: { allowShort?: boolean } = {}) =>
      call(
        schemaCheck((p) => p.LocalSecretInfoSchema),
        "PUT",
        RobotApiPaths.manageSecret(secretName),
        options.allowShort === true ? { value, allowShort: true } : { value },
      ),
    revealSecret: (secretName: string) =>
      call(revealedCheck, "POST", RobotApiPaths.reveal(secretName), {}),
    unsetSecret: (secretName: string) =>
      call(
        schemaCheck((p) => p.UnsetSecretResponseSchema),
        "DELETE",
        RobotApiPaths.manageSecret(secretName),
      ),
    history: (secretName: string) =>
      call(
        schemaCheck((p) => p.SecretHistorySchema),
        "GET",
        RobotApiPaths.history(secretName),
      ),
    restore: (secretName: string, version: number) =>
      call(
        schemaCheck((p) => p.LocalSecretInfoSchema),
        "POST",
        RobotApiPaths.restore(secretName),
        { version },
      ),
    move: (secretName: string, to: string) =>
      call(
        schemaCheck((p) => p.LocalSecretInfoSchema),
        "POST",
        RobotApiPaths.move(secretName),
        { to },
      ),
    forgetPerson: (email: string) =>
      call(
        schemaCheck((p) => p.ForgetPersonResponseSchema),
        "POST",
        RobotApiPaths.forgetPerson,
        { email },
      ),
    auditList: (query: { limit?: number; type?: string; name?: string; beforeSeq?: number }) => {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) {
        if (value !== undefined) params.set(key, String(value));
      }
      const qs = params.toString();
      return call(
        schemaCheck((p) => p.LocalAuditListSchema),
        "GET",
        `${RobotApiPaths.audit}${qs ? `?${qs}` : ""}`,
      );
    },
    auditVerify: () =>
      call(
        schemaCheck((p) => p.LocalAuditVerifySchema),
        "GET",
        RobotApiPaths.auditVerify,
      ),
    runsList: (limit?: number) =>
      call(
        schemaCheck((p) => p.RunListSchema),
        "GET",
        limit === undefined ? RobotApiPaths.runs : `${RobotApiPaths.runs}?limit=${limit}`,
      ),
    runsShow: (runId: string) =>
      call(
        schemaCheck((p) => p.RunDetailSchema),
        "GET",
        RobotApiPaths.run(runId),
      ),
    /** Tells the daemon how a run's child ended, for the run's record (docs/adr/0077). */
    endRun: (runId: string, body: RunEndRequest) =>
      call(() => true, "POST", `${RobotApiPaths.run(runId)}/end`, body),
    /** A one-time link that signs a browser in to the Secrets window (`heptora ui`). */
    windowLink: () =>
      call(
        schemaCheck((p) => p.WindowLinkSchema),
        "POST",
        RobotApiPaths.windowLink,
        {},
      ),
    /** Asks the daemon to show the Secrets window on this machine's desktop. */
    windowOpen: (next: WindowPath) =>
      call(
        schemaCheck((p) => p.WindowOpenResultSchema),
        "POST",
        RobotApiPaths.windowOpen,
        { next },
        PLATFORM_CALL_TIMEOUT_MS,
      ),
    openRun: (body: RunGrantRequest) => openRun(socketPath, managementToken(), body),
    /** A POST whose answer the caller's check reads (commands kept in their own files). */
    post: <T>(check: AnswerCheck<T>, path: string, body: unknown, timeoutMs?: number) =>
      call(check, "POST", path, body, timeoutMs),
    /** A POST answered with NDJSON lines (vault rotate-key's progress, then its result). */
    stream: (path: string, body: unknown, onLine: (line: unknown) => void) =>
      ndjsonRequest({ socketPath, token: managementToken(), path, body, onLine }),
  };
}

/**
 * `POST /v1/manage/runs`: the daemon answers with one NDJSON line (the grant) and keeps the
 * response open; the run token lives exactly as long as this connection.
 */
function openRun(socketPath: string, token: string, body: RunGrantRequest): Promise<OpenRun> {
  // Loaded here, not when this module loads: node:http costs every other command's start-up
  // about 30 ms (docs/adr/0082, "Start-up").
  const { request } = process.getBuiltinModule("node:http");
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request({
      socketPath,
      method: "POST",
      path: RobotApiPaths.runs,
      agent: false,
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        "content-length": payload.length,
      },
    });
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      req.destroy();
      reject(isNotListening(error) ? notRunning(error) : error);
    };
    req.on("error", fail);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("error", fail);
      if ((res.statusCode ?? 500) >= 400) {
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          let parsed: unknown = null;
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString("utf8"));
          } catch {
            // An unreadable error body still becomes an error below.
          }
          fail(errorFromAnswer(res.statusCode ?? 500, parsed));
        });
        return;
      }
      const listeners = new Set<(values: readonly string[]) => void>();
      /** Updates that came before anyone listened: handed to the first listener. */
      const queued: (readonly string[])[] = [];
      let pending: Buffer = Buffer.alloc(0);
      let protocol: typeof import("@heptora/protocol") | undefined;
      /** Lines after the grant: mask updates. One the CLI cannot read is skipped. */
      const update = (line: Buffer) => {
        if (protocol === undefined) return;
        let values: readonly string[];
        try {
          values = protocol.RunMaskUpdateSchema.parse(JSON.parse(line.toString("utf8"))).mask;
        } catch {
          return;
        }
        if (listeners.size === 0) queued.push(values);
        for (const listener of listeners) listener(values);
      };
      const onData = async (chunk: Buffer) => {
        pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
        if (settled) {
          for (let newline = pending.indexOf(0x0a); newline >= 0; ) {
            update(pending.subarray(0, newline));
            pending = pending.subarray(newline + 1);
            newline = pending.indexOf(0x0a);
          }
          return;
        }
        const all = pending;
        const newline = all.indexOf(0x0a);
        if (newline < 0) return;
        res.pause();
        let grant: RunGrant;
        try {
          protocol = await import("@heptora/protocol");
          grant = protocol.RunGrantSchema.parse(
            JSON.parse(all.subarray(0, newline).toString("utf8")),
          );
        } catch (cause) {
          fail(
            new HeptoraError("internal_error", {
              message: "The robot sent a run grant this CLI does not understand.",
              cause,
            }),
          );
          return;
        }
        settled = true;
        pending = all.subarray(newline + 1);
        resolve({
          grant,
          close: () => req.destroy(),
          onMask(listener) {
            listeners.add(listener);
            for (const values of queued.splice(0)) listener(values);
            return () => {
              listeners.delete(listener);
            };
          },
        });
        // Lines that came with the grant, then the ones to come.
        onData(Buffer.alloc(0));
        res.resume();
      };
      res.on("data", onData);
      res.on("end", () =>
        fail(new HeptoraError("internal_error", { message: "The robot ended the run grant." })),
      );
    });
    req.end(payload);
  });
}
