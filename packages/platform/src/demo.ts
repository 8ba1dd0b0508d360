/**
 * The demo account of `npm start`: on a fresh database, an administrator admin@example.com with
 * a generated password (kept in `<data dir>/demo-admin.txt`, 0600, so later starts can show it
 * again) and a sample process assigned to them, so that a robot signing in has something to sync.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { createAdmin } from "./create-admin.ts";
import type { SqlDb } from "./db/sql-db.ts";
import { createUsersRepo } from "./modules/users/users.repo.ts";

export const DEMO_ADMIN_EMAIL = "admin@example.com";
export const DEMO_CREDENTIALS_FILE = "demo-admin.txt";

export interface DemoAccount {
  readonly email: string;
  /** Undefined when the platform already had another admin (no demo account was made). */
  readonly password: string | undefined;
  /** True when this start created it. */
  readonly created: boolean;
  readonly credentialsFile: string;
}

/** Sample process for the demo: what the design's first flow describes. */
async function seedSampleProcess(
  app: FastifyInstance,
  account: { email: string; password: string },
  platformUrl: string,
) {
  // In-process requests, addressed as a browser on the platform's own origin would be.
  const origin = new URL(platformUrl).origin;
  const headers = { host: new URL(origin).host, origin, "content-type": "application/json" };
  const login = await app.inject({
    method: "POST",
    url: "/api/v1/auth/login",
    headers,
    payload: JSON.stringify(account),
  });
  const session = login.json() as { user: { id: string }; csrfToken: string };
  const cookie = String(login.headers["set-cookie"]).split(";")[0] ?? "";
  const call = async (method: "POST" | "PUT", url: string, body: unknown) => {
    const response = await app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { ...headers, cookie, "x-csrf-token": session.csrfToken },
      payload: JSON.stringify(body),
    });
    if (response.statusCode >= 300) {
      throw new Error(`demo setup: ${method} ${url} answered ${response.statusCode}`);
    }
    return response;
  };
  const process = await call("POST", "/processes", {
    name: "Invoice Processing",
    description: "Demo: posts supplier invoices to SAP.",
  });
  const { id } = process.json() as { id: string };
  await call("POST", `/processes/${id}/variables`, {
    name: "SAP_USER",
    secret: true,
    description: "SAP login name",
  });
  await call("POST", `/processes/${id}/variables`, {
    name: "SAP_PASSWORD",
    secret: true,
    description: "SAP password",
  });
  await call("PUT", `/processes/${id}/assignees`, { userIds: [session.user.id] });
  await app.inject({
    method: "POST",
    url: "/api/v1/auth/logout",
    headers: { ...headers, cookie, "x-csrf-token": session.csrfToken },
  });
}

/**
 * Makes sure the demo administrator exists.
 *
 * @example
 * const demo = await ensureDemoAccount(platform.db, platform.app, ".heptora", platform.url);
 * console.log(`Sign in as ${demo.email} with ${demo.password}`);
 */
export async function ensureDemoAccount(
  db: SqlDb,
  app: FastifyInstance,
  dataDir: string,
  /** The platform's own URL (its public URL, else the address it listens on). */
  platformUrl: string,
): Promise<DemoAccount> {
  const credentialsFile = join(dataDir, DEMO_CREDENTIALS_FILE);
  const users = createUsersRepo();
  if (await users.anyAdmin(db)) {
    const saved = existsSync(credentialsFile)
      ? /password: (.+)/.exec(readFileSync(credentialsFile, "utf8"))?.[1]
      : undefined;
    return { email: DEMO_ADMIN_EMAIL, password: saved, created: false, credentialsFile };
  }
  const password = randomBytes(12).toString("base64url");
  await createAdmin(db, { email: DEMO_ADMIN_EMAIL, password, organization: "Demo" });
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(
    credentialsFile,
    `Heptora demo administrator (created by npm start)\nemail: ${DEMO_ADMIN_EMAIL}\npassword: ${password}\n`,
    { mode: 0o600 },
  );
  await seedSampleProcess(app, { email: DEMO_ADMIN_EMAIL, password }, platformUrl);
  return { email: DEMO_ADMIN_EMAIL, password, created: true, credentialsFile };
}
