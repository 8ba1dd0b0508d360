/**
 * The real platform for end-to-end tests: `heptora-platform create-admin` and `serve` on a temp
 * SQLite file and a random port, plus a small admin API client (cookie session + CSRF header).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";

const root = join(import.meta.dirname, "..", "..", "..");
export const PLATFORM_BIN = join(root, "packages", "platform", "bin", "heptora-platform.js");

function platformEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("HEPTORA_")) env[key] = value;
  }
  return env;
}

export async function createAdmin(db: string, email: string, password: string): Promise<void> {
  const child = spawn(
    process.execPath,
    [PLATFORM_BIN, "create-admin", "--email", email, "--password-stdin", "--db", db],
    { env: platformEnv(), stdio: ["pipe", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout.resume();
  child.stdin.end(password);
  const [code] = (await once(child, "close")) as [number | null];
  if (code !== 0) throw new Error(`create-admin failed (${code}): ${stderr}`);
}

export interface RunningPlatform {
  url: string;
  child: ChildProcess;
  readonly output: string;
  stop(): Promise<void>;
}

export async function startPlatform(db: string, outbox: string): Promise<RunningPlatform> {
  const child = spawn(
    process.execPath,
    [PLATFORM_BIN, "serve", "--host", "127.0.0.1", "--port", "0", "--db", db],
    { env: { ...platformEnv(), HEPTORA_OUTBOX: outbox }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  const exited = once(child, "exit");
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the platform did not start: ${output}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Heptora platform listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the platform exited (${code}): ${output}`));
    });
  });
  return {
    url,
    child,
    get output() {
      return output;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** The admin API as the web app uses it: cookie session, Origin and X-CSRF-Token on writes. */
export async function adminSession(url: string, email: string, password: string) {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: url },
    body: JSON.stringify({ email, password }),
  });
  if (login.status !== 200) throw new Error(`admin login: ${login.status} ${await login.text()}`);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const cookie = (login.headers.getSetCookie?.() ?? []).map((c) => c.split(";")[0]).join("; ");
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${url}/api/v1${path}`, {
      method,
      headers: {
        cookie,
        origin: url,
        "x-csrf-token": csrfToken,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 400) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return (text === "" ? undefined : JSON.parse(text)) as T;
  }
  return {
    async createProcess(name: string, variables: { name: string; secret: boolean }[]) {
      const process = await call<{ id: string }>("POST", "/processes", { name });
      for (const variable of variables) {
        await call("POST", `/processes/${process.id}/variables`, variable);
      }
      return process.id;
    },
    async createMember(memberEmail: string, memberPassword: string) {
      const user = await call<{ id: string }>("POST", "/users", {
        email: memberEmail,
        role: "member",
        password: memberPassword,
      });
      return user.id;
    },
    assign: (processId: string, userIds: string[]) =>
      call("PUT", `/processes/${processId}/assignees`, { userIds }),
    robots: () =>
      call<{ robots: { name: string; secrets: { name: string; set: boolean }[] }[] }>(
        "GET",
        "/robots",
      ),
  };
}
