import assert from "node:assert/strict";
import { resolve } from "node:path";
import { describe, it } from "node:test";
import { ConfigError, parseConfig, USAGE } from "../src/config.ts";

describe("parseConfig", () => {
  it("uses defaults when nothing is given", () => {
    const config = parseConfig(["serve"], {});
    assert.deepEqual(config, {
      command: "serve",
      host: "127.0.0.1",
      port: 8080,
      db: resolve(".heptora/platform.db"),
      publicUrl: undefined,
      outbox: resolve(".heptora/outbox"),
      smtpUrl: undefined,
      mailFrom: "Heptora <heptora@localhost>",
      trustProxy: [],
      logLevel: "info",
      migrate: true,
      shutdownTimeoutMs: 10_000,
    });
    assert.ok(Object.isFrozen(config));
  });

  it("takes a flag over an environment variable over a default", () => {
    const env = {
      HEPTORA_PORT: "9000",
      HEPTORA_HOST: "0.0.0.0",
      HEPTORA_DB: "postgres://u:p@db/heptora",
      HEPTORA_PUBLIC_URL: "https://heptora.example.com/",
      HEPTORA_SMTP_URL: "smtps://u:p@mail.example.com",
      HEPTORA_TRUST_PROXY: "10.0.0.5, 10.1.0.0/16 fd00::/8",
      HEPTORA_NO_MIGRATE: "true",
      HEPTORA_SHUTDOWN_TIMEOUT: "25",
    };
    const config = parseConfig(["serve", "--port", "0"], env);
    assert.equal(config.command, "serve");
    if (config.command !== "serve") return;
    assert.equal(config.port, 0);
    assert.equal(config.host, "0.0.0.0");
    assert.equal(config.db, "postgres://u:p@db/heptora");
    assert.equal(config.publicUrl, "https://heptora.example.com");
    assert.equal(config.smtpUrl, "smtps://u:p@mail.example.com");
    assert.deepEqual(config.trustProxy, ["10.0.0.5", "10.1.0.0/16", "fd00::/8"]);
    assert.equal(config.migrate, false);
    assert.equal(config.shutdownTimeoutMs, 25_000);
  });

  it("gives every flag of serve an environment variable, and --help lists both", () => {
    for (const flag of [
      "host",
      "port",
      "db",
      "public-url",
      "outbox",
      "smtp-url",
      "mail-from",
      "trust-proxy",
      "log-level",
      "no-migrate",
      "shutdown-timeout",
    ]) {
      const env = `HEPTORA_${flag.toUpperCase().replaceAll("-", "_")}`;
      assert.match(USAGE, new RegExp(`--${flag}\\b.*\\b${env}\\b`), flag);
    }
  });

  it("parses migrate, which takes only --db", () => {
    assert.deepEqual(parseConfig(["migrate"], { HEPTORA_DB: "postgres://db/h" }), {
      command: "migrate",
      db: "postgres://db/h",
    });
    assert.throws(() => parseConfig(["migrate", "--port", "1"], {}), /--port does not apply/);
  });

  it("fails with one line naming the flag or variable", () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [["serve", "--port", "http"], {}, /^--port: /],
      [["serve"], { HEPTORA_PORT: "70000" }, /^HEPTORA_PORT: /],
      [["serve", "--public-url", "ftp://x"], {}, /^--public-url: /],
      [["serve", "--smtp-url", "http://mail"], {}, /^--smtp-url: /],
      [["serve", "--nope"], {}, /--nope/],
      [["serve", "--email", "a@b.co"], {}, /^--email does not apply to serve/],
      [["create-admin", "--password-stdin"], {}, /^--email is required/],
      [["create-admin", "--email", "a@b.co"], {}, /--password-stdin/],
      [["deploy"], {}, /^Unknown command 'deploy'/],
      [["serve"], { HEPTORA_TRUST_PROXY: "true" }, /^HEPTORA_TRUST_PROXY: name the reverse proxy/],
      [["serve", "--trust-proxy", "10.0.0.0/33"], {}, /^--trust-proxy: '10\.0\.0\.0\/33' is not/],
      [["serve", "--trust-proxy", "proxy.lan"], {}, /^--trust-proxy: 'proxy\.lan' is not/],
      [["serve"], { HEPTORA_NO_MIGRATE: "maybe" }, /^HEPTORA_NO_MIGRATE: /],
      [["serve", "--shutdown-timeout", "0"], {}, /^--shutdown-timeout: /],
    ];
    for (const [argv, env, message] of cases) {
      assert.throws(
        () => parseConfig(argv, env),
        (error: unknown) =>
          error instanceof ConfigError &&
          message.test(error.message) &&
          !error.message.includes("\n"),
        argv.join(" "),
      );
    }
  });

  it("parses create-admin", () => {
    assert.deepEqual(
      parseConfig(
        ["create-admin", "--email", "Admin@Example.com", "--password-stdin", "--org", "Acme"],
        {},
      ),
      {
        command: "create-admin",
        email: "admin@example.com",
        organization: "Acme",
        db: resolve(".heptora/platform.db"),
      },
    );
    assert.deepEqual(parseConfig([], {}), { command: "help" });
  });
});
