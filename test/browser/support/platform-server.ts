/**
 * Starts the real platform server (`heptora-platform serve`) on a free port with a throw-away
 * SQLite database and mail outbox, for browser tests; and a tiny API client to arrange data.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "./browser.ts";

export interface RunningPlatform {
  /** Origin, e.g. http://127.0.0.1:41234 */
  url: string;
  outbox: string;
  /** The throw-away folder holding its SQLite database (p.db) and the outbox. */
  dir: string;
  stop: () => Promise<void>;
}

const BIN = join(REPO_ROOT, "packages", "platform", "bin", "heptora-platform.js");

export async function startPlatform(): Promise<RunningPlatform> {
  const dir = mkdtempSync(join(tmpdir(), "heptora-web-"));
  const outbox = join(dir, "outbox");
  const child = spawn(
    process.execPath,
    [BIN, "serve", "--host", "127.0.0.1", "--port", "0", "--db", join(dir, "p.db")].concat([
      "--outbox",
      outbox,
    ]),
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } },
  );
  let output = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`platform did not start:\n${output}`)), 30_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (https?:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1].replace(/\/$/, ""));
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`platform exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    outbox,
    dir,
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Everything written to the outbox (a folder of JSON mails, or one file), oldest first. */
function outboxText(outbox: string): string {
  if (!existsSync(outbox)) return "";
  if (!statSync(outbox).isDirectory()) return readFileSync(outbox, "utf8");
  return readdirSync(outbox)
    .sort() // names start with the time in ms
    .map((name) => {
      const text = readFileSync(join(outbox, name), "utf8");
      if (!name.endsWith(".json")) return text;
      const mail = JSON.parse(text) as { text?: unknown };
      return typeof mail.text === "string" ? mail.text : text;
    })
    .join("\n");
}

/**
 * The newest password reset (or invitation) link in the outbox, waiting (bounded) for the mail.
 * Mail bodies may be quoted-printable, so soft line breaks and `=3D` are undone first.
 */
export async function waitForResetLink(outbox: string, after = ""): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const text = outboxText(outbox)
      .replace(/=\r?\n/g, "")
      .replace(/=3D/g, "=");
    const links = [
      ...text.matchAll(/https?:\/\/[^\s"'<>]+\/reset-password\?token=[\w\-.~%]+(?:&invite=1)?/g),
    ];
    const last = links.at(-1)?.[0];
    if (last && last !== after) return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no reset link in the outbox:\n${outboxText(outbox).slice(0, 2000)}`);
}

/**
 * A signed-in API client for arranging data the way the web app would (cookie, CSRF token and
 * Origin on every state-changing call).
 */
export interface ApiSession {
  user: { id: string; email: string; role: string };
  call: <T>(method: string, path: string, body?: unknown) => Promise<T>;
}

export async function apiCall<T>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const response = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: {
      Origin: base,
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      ...headers,
    },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: (text ? JSON.parse(text) : undefined) as T,
    headers: response.headers,
  };
}

async function sessionFrom(
  base: string,
  status: number,
  answer: { user: ApiSession["user"]; csrfToken: string },
  headers: Headers,
): Promise<ApiSession> {
  if (status >= 300) throw new Error(`sign-in failed: ${status} ${JSON.stringify(answer)}`);
  const cookie = headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  return {
    user: answer.user,
    call: async <T>(method: string, path: string, body?: unknown) => {
      const r = await apiCall<T>(base, method, path, body, {
        Cookie: cookie,
        "X-CSRF-Token": answer.csrfToken,
      });
      if (r.status >= 300)
        throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    },
  };
}

export async function setupAdmin(
  base: string,
  credentials: { email: string; password: string; organization?: string },
): Promise<ApiSession> {
  const response = await fetch(`${base}/api/v1/setup`, {
    method: "POST",
    headers: { Origin: base, "Content-Type": "application/json" },
    body: JSON.stringify({ organization: "Acme", ...credentials }),
  });
  return sessionFrom(base, response.status, await response.json(), response.headers);
}

export async function signInApi(
  base: string,
  credentials: { email: string; password: string },
): Promise<ApiSession> {
  const response = await fetch(`${base}/api/v1/auth/login`, {
    method: "POST",
    headers: { Origin: base, "Content-Type": "application/json" },
    body: JSON.stringify(credentials),
  });
  return sessionFrom(base, response.status, await response.json(), response.headers);
}

/** A robot as the platform sees it: signs in with the user's credentials and reports status. */
export async function robotSignIn(
  base: string,
  body: { email: string; password: string; robotName: string; machineId: string },
): Promise<{ robotId: string; report: (secrets: unknown[]) => Promise<number> }> {
  const login = await apiCall<{ robotId: string; token: string }>(
    base,
    "POST",
    "/robot/login",
    body,
  );
  if (login.status !== 200)
    throw new Error(`robot login: ${login.status} ${JSON.stringify(login.body)}`);
  const auth = { Authorization: `Bearer ${login.body.token}` };
  return {
    robotId: login.body.robotId,
    report: async (secrets) =>
      (await apiCall(base, "POST", "/robot/status", { secrets }, auth)).status,
  };
}
