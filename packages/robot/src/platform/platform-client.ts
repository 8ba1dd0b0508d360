/**
 * The robot's client of the platform's robot API (`/api/v1/robot/*`), on global fetch.
 * Only names, booleans and timestamps ever go out: the status report is built from a closed
 * shape (`{ name, set, updatedAt? }`), and no method takes a value.
 *
 * Failures become HeptoraErrors: `platform_unreachable` (network, timeout, 5xx),
 * `invalid_robot_token` (401 on a bearer call: the robot was revoked or signed out),
 * `invalid_credentials` / `too_many_attempts` at sign-in, or the platform's own code.
 */
import {
  type DefinitionsResponse,
  DefinitionsResponseSchema,
  HeptoraError,
  isErrorCode,
  isRobotSignOutReason,
  PlatformApiPaths,
  parseErrorText,
  type RobotAuditCheckpoint,
  type RobotLoginResponse,
  RobotLoginResponseSchema,
  retryAfterSeconds,
  type SecretStatus,
} from "@heptora/protocol";
import type { z } from "zod";

export interface PlatformClient {
  login(input: {
    email: string;
    password: string;
    robotName: string;
    machineId: string;
  }): Promise<RobotLoginResponse>;
  definitions(token: string, cursor: string | null): Promise<DefinitionsResponse>;
  /** With `audit`, where the robot's audit log stands (docs/adr/0074): hashes and counters. */
  reportStatus(token: string, secrets: SecretStatus[], audit?: RobotAuditCheckpoint): Promise<void>;
  logout(token: string): Promise<void>;
}

export interface PlatformClientOptions {
  baseUrl: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export function createPlatformClient(options: PlatformClientOptions): PlatformClient {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const origin = new URL(options.baseUrl).origin;

  async function send(
    method: "GET" | "POST",
    path: string,
    init: { token?: string; body?: unknown; signIn?: boolean },
  ): Promise<Response> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
    if (init.body !== undefined) headers["content-type"] = "application/json";
    let response: Response;
    try {
      response = await doFetch(`${options.baseUrl}${path}`, {
        method,
        headers,
        body: init.body === undefined ? null : JSON.stringify(init.body),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: "error",
      });
    } catch (cause) {
      throw new HeptoraError("platform_unreachable", {
        message: `The platform at ${origin} cannot be reached.`,
        // Offline, a signed-in robot goes on from its cache; one signing in cannot.
        hint:
          init.signIn === true
            ? "Check the platform URL (--platform) and your network, then sign in again."
            : "Check the platform URL (--platform) and your network; the robot keeps working offline.",
        cause,
      });
    }
    if (response.ok) return response;
    throw await errorOf(response, init.signIn === true, origin);
  }

  async function json<S extends z.ZodType>(response: Response, schema: S): Promise<z.infer<S>> {
    let body: unknown;
    try {
      body = await response.json();
    } catch (cause) {
      throw new HeptoraError("platform_unreachable", {
        message: `The platform at ${origin} sent an answer that is not JSON.`,
        cause,
      });
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new HeptoraError("platform_unreachable", {
        message: `The platform at ${origin} sent an answer this robot does not understand.`,
        hint: "Check that the robot and the platform versions match.",
      });
    }
    return parsed.data;
  }

  return {
    async login(input) {
      const response = await send("POST", PlatformApiPaths.robotLogin, {
        body: input,
        signIn: true,
      });
      return json(response, RobotLoginResponseSchema);
    },
    async definitions(token, cursor) {
      const query = cursor === null ? "" : `?cursor=${encodeURIComponent(cursor)}`;
      const response = await send("GET", `${PlatformApiPaths.robotDefinitions}${query}`, {
        token,
      });
      return json(response, DefinitionsResponseSchema);
    },
    async reportStatus(token, secrets, audit) {
      // Rebuilt field by field: whatever the caller passed, only these three fields go out.
      const body = {
        secrets: secrets.map((s) =>
          s.updatedAt === undefined
            ? { name: s.name, set: s.set }
            : { name: s.name, set: s.set, updatedAt: s.updatedAt },
        ),
        ...(audit === undefined
          ? {}
          : { audit: { vaultId: audit.vaultId, seq: audit.seq, head: audit.head } }),
      };
      const response = await send("POST", PlatformApiPaths.robotStatus, { token, body });
      await response.body?.cancel();
    },
    async logout(token) {
      const response = await send("POST", PlatformApiPaths.robotLogout, { token, body: {} });
      await response.body?.cancel();
    },
  };
}

async function errorOf(response: Response, signIn: boolean, origin: string): Promise<HeptoraError> {
  // The protocol's one reader: never throws, never quotes a malformed body, reads old aliases.
  const error = parseErrorText(await response.text().catch(() => ""));
  const retryAfter = retryAfterSeconds(response.headers.get("retry-after"));
  const extra = {
    ...(error === undefined ? {} : { message: error.message }),
    ...(error?.hint === undefined ? {} : { hint: error.hint }),
    ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }),
  };
  if (response.status === 401 && !signIn) {
    // Why the platform refused the token (revoked, password changed...), when it says.
    const reason = error?.details?.reason;
    return new HeptoraError(
      "invalid_robot_token",
      isRobotSignOutReason(reason) ? { details: { reason } } : {},
    );
  }
  if (response.status >= 500) {
    return new HeptoraError("platform_unreachable", {
      message: `The platform at ${origin} answered with an error (HTTP ${response.status}).`,
      hint: "It will be retried; the robot keeps working offline.",
    });
  }
  if (isErrorCode(error?.code)) return new HeptoraError(error.code, extra);
  if (response.status === 401) return new HeptoraError("invalid_credentials");
  if (response.status === 429) return new HeptoraError("too_many_attempts", extra);
  return new HeptoraError("validation_failed", {
    message: error?.message ?? `The platform refused the request (HTTP ${response.status}).`,
  });
}
