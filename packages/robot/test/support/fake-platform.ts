/**
 * A small stand-in for the platform's robot API (`/api/v1/robot/*`) on node:http, 127.0.0.1,
 * random port: users, processes with variables and assignees, robot tokens, cursor sync, status
 * reports. Records every request so tests can look at what the robot sent. Variables have stable
 * ids, as on the platform: `renameVariable` keeps the id (the robot then moves its values).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { RobotAuditCheckpointSchema } from "@heptora/protocol";

export interface FakeVariable {
  /** Stable id; by default a new one, or the id of the process's variable of the same name. */
  id?: string;
  name: string;
  secret?: boolean;
  description?: string;
}

interface StoredProcess {
  id: string;
  name: string;
  description: string;
  variables: Required<FakeVariable>[];
  assignees: Set<string>;
  version: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: string;
}

export interface FakePlatform {
  url: string;
  addUser(email: string, password: string): void;
  addProcess(input: {
    name: string;
    description?: string;
    variables: FakeVariable[];
    assignees: string[];
  }): string;
  updateProcess(id: string, patch: { variables?: FakeVariable[]; assignees?: string[] }): void;
  /** Renames a variable of the process, keeping its id (as PATCH .../variables/{name} does). */
  renameVariable(processId: string, from: string, to: string): void;
  removeProcess(id: string): void;
  /** When set, every request gets this status (503: down; 0: the connection is dropped). */
  failWith: number | undefined;
  /**
   * Makes every robot token invalid (as an admin revoking the robots would); with a reason, the
   * refusal says why (`details.reason`, as the platform does: revoked, password_changed...).
   */
  revokeAllTokens(reason?: string): void;
  readonly requests: RecordedRequest[];
  readonly statusReports: { robotId: string; body: unknown }[];
  readonly logouts: string[];
  close(): Promise<void>;
}

export async function startFakePlatform(): Promise<FakePlatform> {
  const users = new Map<string, string>();
  const processes = new Map<string, StoredProcess>();
  /** Removals and unassignments, for cursor syncs: process id, who lost it, at which version. */
  const removals: { id: string; email: string | undefined; version: number }[] = [];
  const tokens = new Map<string, { robotId: string; email: string }>();
  /** Revoked tokens that say why they were refused. */
  const ended = new Map<string, string>();
  const robotsByMachine = new Map<string, string>();
  const requests: RecordedRequest[] = [];
  const statusReports: { robotId: string; body: unknown }[] = [];
  const logouts: string[] = [];
  let version = 0;

  const state = { failWith: undefined as number | undefined };

  function send(res: ServerResponse, status: number, body?: unknown) {
    if (body === undefined) {
      res.writeHead(status);
      res.end();
      return;
    }
    const payload = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json" });
    res.end(payload);
  }

  function fail(
    res: ServerResponse,
    status: number,
    code: string,
    message: string,
    details?: Record<string, unknown>,
  ) {
    send(res, status, { error: { code, message, ...(details === undefined ? {} : { details }) } });
  }

  function view(p: StoredProcess) {
    return {
      id: p.id,
      name: p.name,
      description: p.description,
      variables: p.variables.map((v) => ({ ...v })),
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://fake");
    requests.push({
      method: req.method ?? "",
      path: `${url.pathname}${url.search}`,
      authorization: req.headers.authorization,
      body,
    });
    if (state.failWith === 0) {
      req.socket.destroy();
      return;
    }
    if (state.failWith !== undefined) {
      fail(res, state.failWith, "service_unavailable", "Down for a test.");
      return;
    }
    const json = body === "" ? {} : (JSON.parse(body) as Record<string, unknown>);

    if (req.method === "POST" && url.pathname === "/api/v1/robot/login") {
      const email = String(json.email ?? "").toLowerCase();
      if (users.get(email) !== json.password) {
        fail(res, 401, "invalid_credentials", "The email or password is not correct.");
        return;
      }
      const machineId = String(json.machineId);
      const robotId = robotsByMachine.get(machineId) ?? `robot-${randomUUID().slice(0, 8)}`;
      robotsByMachine.set(machineId, robotId);
      const token = randomBytes(32).toString("base64url");
      tokens.set(token, { robotId, email });
      send(res, 200, { robotId, token });
      return;
    }

    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const robot = bearer === undefined ? undefined : tokens.get(bearer);
    if (robot === undefined) {
      const reason = bearer === undefined ? undefined : ended.get(bearer);
      fail(
        res,
        401,
        "invalid_robot_token",
        "Sign in again.",
        reason === undefined ? undefined : { reason },
      );
      return;
    }

    if (req.method === "GET" && url.pathname === "/api/v1/robot/definitions") {
      const cursorText = url.searchParams.get("cursor");
      const cursor = cursorText === null ? undefined : Number(cursorText);
      const mine = [...processes.values()].filter((p) => p.assignees.has(robot.email));
      if (cursor === undefined || !Number.isFinite(cursor) || cursor > version) {
        send(res, 200, {
          cursor: String(version),
          full: true,
          processes: mine.map(view),
          removed: { processes: [] },
        });
        return;
      }
      const removed = removals
        .filter((r) => r.version > cursor && (r.email === undefined || r.email === robot.email))
        .map((r) => r.id)
        .filter((id) => !mine.some((p) => p.id === id));
      send(res, 200, {
        cursor: String(version),
        full: false,
        processes: mine.filter((p) => p.version > cursor).map(view),
        removed: { processes: [...new Set(removed)] },
      });
      return;
    }
    if (req.method === "POST" && url.pathname === "/api/v1/robot/status") {
      const keys = Object.keys(json);
      const secrets = json.secrets as Record<string, unknown>[] | undefined;
      const strict =
        keys.every((k) => k === "secrets" || k === "audit") &&
        (json.audit === undefined || RobotAuditCheckpointSchema.safeParse(json.audit).success) &&
        Array.isArray(secrets) &&
        secrets.every((s) =>
          Object.keys(s).every((k) => k === "name" || k === "set" || k === "updatedAt"),
        );
      if (!strict) {
        fail(
          res,
          400,
          "validation_failed",
          "Only name, set and updatedAt (and the audit checkpoint) are accepted.",
        );
        return;
      }
      statusReports.push({ robotId: robot.robotId, body: json });
      send(res, 204);
      return;
    }
    if (req.method === "POST" && url.pathname === "/api/v1/robot/logout") {
      tokens.delete(bearer as string);
      logouts.push(robot.robotId);
      send(res, 204);
      return;
    }
    fail(res, 404, "route_not_found", "There is no such endpoint.");
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => fail(res, 500, "internal_error", "Fake platform failed."));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const normalise = (variables: FakeVariable[], before: Required<FakeVariable>[] = []) =>
    variables.map((v) => ({
      id: v.id ?? before.find((b) => b.name === v.name)?.id ?? `var-${randomUUID()}`,
      name: v.name,
      secret: v.secret ?? true,
      description: v.description ?? "",
    }));

  return {
    url: `http://127.0.0.1:${port}`,
    addUser(email, password) {
      users.set(email.toLowerCase(), password);
    },
    addProcess(input) {
      version++;
      const id = `proc-${randomUUID().slice(0, 8)}`;
      processes.set(id, {
        id,
        name: input.name,
        description: input.description ?? "",
        variables: normalise(input.variables),
        assignees: new Set(input.assignees.map((e) => e.toLowerCase())),
        version,
      });
      return id;
    },
    updateProcess(id, patch) {
      const p = processes.get(id);
      if (p === undefined) throw new Error(`no process ${id}`);
      version++;
      if (patch.variables !== undefined) p.variables = normalise(patch.variables, p.variables);
      if (patch.assignees !== undefined) {
        const next = new Set(patch.assignees.map((e) => e.toLowerCase()));
        for (const email of p.assignees) {
          if (!next.has(email)) removals.push({ id, email, version });
        }
        p.assignees = next;
      }
      p.version = version;
    },
    renameVariable(processId, from, to) {
      const p = processes.get(processId);
      const variable = p?.variables.find((v) => v.name === from);
      if (p === undefined || variable === undefined) throw new Error(`no variable ${from}`);
      version++;
      variable.name = to;
      p.version = version;
    },
    removeProcess(id) {
      version++;
      processes.delete(id);
      removals.push({ id, email: undefined, version });
    },
    get failWith() {
      return state.failWith;
    },
    set failWith(value) {
      state.failWith = value;
    },
    revokeAllTokens(reason) {
      if (reason !== undefined) for (const token of tokens.keys()) ended.set(token, reason);
      tokens.clear();
    },
    requests,
    statusReports,
    logouts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
