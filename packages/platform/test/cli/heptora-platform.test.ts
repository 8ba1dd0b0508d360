import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { watch } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { dialects, type TestDatabase } from "../support/dialects.ts";
import { run, type Served, serve } from "../support/spawn.ts";

const ADMIN = { email: "admin@example.com", password: "the admin's long password" };

/** Resolves with the first file name in `dir`, waiting for one to appear. */
async function firstFile(dir: string): Promise<string> {
  const controller = new AbortController();
  const watcher = watch(dir, { signal: controller.signal });
  try {
    const existing = readdirSync(dir)[0];
    if (existing !== undefined) return existing;
    for await (const event of watcher) {
      if (event.filename !== null && readdirSync(dir).includes(event.filename))
        return event.filename;
    }
    throw new Error("watch ended");
  } finally {
    controller.abort();
  }
}

for (const dialect of dialects()) {
  describe(`the heptora-platform binary on ${dialect.name}`, () => {
    let cwd: string;
    let database: TestDatabase;
    let server: Served;
    let outbox: string;

    before(async () => {
      cwd = mkdtempSync(join(tmpdir(), "heptora-bin-"));
      outbox = join(cwd, "mail");
      mkdirSync(outbox);
      database = await dialect.create();
    });
    after(async () => {
      await server?.stop();
      await database.drop();
      rmSync(cwd, { recursive: true, force: true });
    });

    it("creates an admin from a password on stdin, and refuses a second with that email", async () => {
      const created = await run(
        [
          "create-admin",
          "--email",
          ADMIN.email,
          "--password-stdin",
          "--org",
          "Acme",
          "--db",
          database.target,
        ],
        { cwd, stdin: `${ADMIN.password}\n` },
      );
      assert.equal(created.code, 0, created.stderr);
      assert.equal(created.stdout, `Created administrator ${ADMIN.email}.\n`);
      const again = await run(
        ["create-admin", "--email", ADMIN.email, "--password-stdin", "--db", database.target],
        { cwd, stdin: ADMIN.password },
      );
      assert.notEqual(again.code, 0);
      assert.match(
        again.stderr,
        /^heptora-platform: A user with the email 'admin@example\.com' already exists\.\n$/,
      );
    });

    it("fails with one line naming a bad flag", async () => {
      const bad = await run(["serve", "--port", "eighty"], { cwd });
      assert.equal(bad.code, 2);
      assert.equal(
        bad.stderr,
        "heptora-platform: --port: must be a whole number from 0 to 65535.\n",
      );
    });

    it("serves the API: sign-in, a process, a robot's sync, a reset mail in the outbox", async () => {
      server = await serve(["--db", database.target, "--outbox", outbox], cwd);
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const origin = server.url;
      const login = await fetch(`${origin}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(ADMIN),
      });
      assert.equal(login.status, 200);
      const cookie = login.headers.get("set-cookie")?.split(";")[0] ?? "";
      const { csrfToken } = (await login.json()) as { csrfToken: string };
      const web = (method: string, path: string, body?: unknown) =>
        fetch(`${origin}/api/v1${path}`, {
          method,
          headers: {
            cookie,
            origin,
            "x-csrf-token": csrfToken,
            ...(body !== undefined && { "content-type": "application/json" }),
          },
          ...(body !== undefined && { body: JSON.stringify(body) }),
        });
      const process = await web("POST", "/processes", { name: "Invoice Processing" });
      assert.equal(process.status, 201);
      const { id } = (await process.json()) as { id: string };
      assert.equal(
        (await web("POST", `/processes/${id}/variables`, { name: "SAP_USER", secret: false }))
          .status,
        201,
      );
      const me = (await (await web("GET", "/auth/session")).json()) as { user: { id: string } };
      assert.equal(
        (await web("PUT", `/processes/${id}/assignees`, { userIds: [me.user.id] })).status,
        200,
      );

      const robotLogin = await fetch(`${origin}/api/v1/robot/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...ADMIN, robotName: "bot", machineId: "m-1" }),
      });
      assert.equal(robotLogin.status, 200);
      const { token } = (await robotLogin.json()) as { token: string };
      const sync = await fetch(`${origin}/api/v1/robot/definitions`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const definitions = (await sync.json()) as { processes: { name: string }[] };
      assert.deepEqual(
        definitions.processes.map((p) => p.name),
        ["Invoice Processing"],
      );

      const reset = await fetch(`${origin}/api/v1/auth/password-reset`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: ADMIN.email }),
      });
      assert.equal(reset.status, 202);
      const file = await firstFile(outbox);
      assert.match(file, /admin@example\.com\.json$/);
      const mail = JSON.parse(readFileSync(join(outbox, file), "utf8")) as {
        to: string;
        text: string;
      };
      assert.equal(mail.to, ADMIN.email);
      assert.match(mail.text, new RegExp(`${origin}/reset-password\\?token=[A-Za-z0-9_-]{43}`));
      assert.equal(statSync(join(outbox, file)).mode & 0o777, 0o600);

      const openapi = await fetch(`${origin}/api/v1/openapi.json`);
      assert.equal(((await openapi.json()) as { openapi: string }).openapi, "3.1.0");
    });

    it("shuts down cleanly on SIGTERM", async () => {
      assert.equal(await server.stop(), 0);
    });
  });
}

describe("the heptora-platform binary's defaults and failures", () => {
  it("keeps its database in ./.heptora (0700) and says so in one line when the port is taken", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "heptora-bin-"));
    let first: Served | undefined;
    try {
      const created = await run(["create-admin", "--email", ADMIN.email, "--password-stdin"], {
        cwd,
        stdin: ADMIN.password,
      });
      assert.equal(created.code, 0, created.stderr);
      assert.equal(statSync(join(cwd, ".heptora")).mode & 0o777, 0o700);
      assert.equal(statSync(join(cwd, ".heptora", "platform.db")).mode & 0o777, 0o600);

      first = await serve([], cwd);
      const port = new URL(first.url).port;
      const second = await run(["serve", "--port", port], { cwd });
      assert.equal(second.code, 1);
      assert.match(
        second.stderr,
        new RegExp(
          `^heptora-platform: Cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE.*\\n$`,
        ),
      );
    } finally {
      await first?.stop();
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
