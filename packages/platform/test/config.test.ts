import assert from "node:assert/strict";
import { resolve } from "node:path";
import { describe, it } from "node:test";
import { ConfigError, parseConfig } from "../src/config.ts";

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
      trustProxy: false,
      logLevel: "info",
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
      HEPTORA_TRUST_PROXY: "true",
    };
    const config = parseConfig(["serve", "--port", "0"], env);
    assert.equal(config.command, "serve");
    if (config.command !== "serve") return;
    assert.equal(config.port, 0);
    assert.equal(config.host, "0.0.0.0");
    assert.equal(config.db, "postgres://u:p@db/heptora");
    assert.equal(config.publicUrl, "https://heptora.example.com");
    assert.equal(config.smtpUrl, "smtps://u:p@mail.example.com");
    assert.equal(config.trustProxy, true);
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
