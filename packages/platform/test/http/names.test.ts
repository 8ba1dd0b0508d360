/**
 * Names shown to people refuse control, bidi and zero-width characters everywhere (ADR 0069);
 * descriptions refuse control characters but keep their lines; every pattern the OpenAPI
 * document publishes compiles in other languages' regex engines.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ADMIN_EMAIL, ADMIN_PASSWORD, ORIGIN, startTestApp, type TestApp } from "../support/app.ts";
import { dialects } from "../support/dialects.ts";

/** One of each kind a name must refuse, inside an otherwise fine name. */
const UNSAFE: readonly [string, string][] = [
  ["bell (C0 control)", "\u0007"],
  ["escape", "\u001b"],
  ["C1 control", "\u0085"],
  ["right-to-left override", "\u202e"],
  ["left-to-right embedding", "\u202a"],
  ["first-strong isolate", "\u2068"],
  ["pop directional isolate", "\u2069"],
  ["left-to-right mark", "\u200e"],
  ["right-to-left mark", "\u200f"],
  ["Arabic letter mark", "\u061c"],
  ["zero-width space", "\u200b"],
  ["zero-width joiner", "\u200d"],
  ["word joiner", "\u2060"],
  ["zero-width no-break space", "\ufeff"],
];

const named = (c: string) => `Invoice${c}Processing`;

for (const dialect of dialects()) {
  describe(`names and descriptions on ${dialect.name}`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(dialect);
    });
    after(() => t.close());

    it("refuses control, bidi and zero-width characters in process names, creating and renaming", async () => {
      const admin = await t.admin();
      const kept = await admin.request("POST", "/api/v1/processes", { name: "Payroll" });
      assert.equal(kept.statusCode, 201);
      for (const [kind, c] of UNSAFE) {
        const created = await admin.request("POST", "/api/v1/processes", { name: named(c) });
        assert.equal(created.statusCode, 400, `${kind}: ${created.body}`);
        const { error } = created.json();
        assert.equal(error.code, "validation_failed");
        assert.match(error.message, /process name cannot contain/);
        assert.ok(!error.message.includes(c), `${kind} is not echoed`);
        const renamed = await admin.request("PATCH", `/api/v1/processes/${kept.json().id}`, {
          name: named(c),
        });
        assert.equal(renamed.statusCode, 400, `${kind}: ${renamed.body}`);
      }
      const { processes } = (await admin.request("GET", "/api/v1/processes")).json();
      assert.deepEqual(
        processes.map((p: { name: string }) => p.name),
        ["Payroll"],
      );
    });

    it("keeps multi-line descriptions but refuses other control characters in them", async () => {
      const admin = await t.admin();
      const description = "Posts supplier invoices.\nRuns nightly:\tat 02:00.\r\nAsk Ana.";
      const created = await admin.request("POST", "/api/v1/processes", {
        name: "Invoices",
        description,
      });
      assert.equal(created.statusCode, 201, created.body);
      assert.equal(created.json().description, description);
      for (const c of ["\u001b[2J", "\u0000", "\u0008", "\u009b"]) {
        const refused = await admin.request(
          "POST",
          `/api/v1/processes/${created.json().id}/variables`,
          {
            name: "SAP_USER",
            secret: true,
            description: `SAP login ${c}`,
          },
        );
        assert.equal(refused.statusCode, 400, refused.body);
        assert.match(refused.json().error.message, /description cannot contain control/);
      }
    });

    it("refuses them in the robot name and machine id at robot sign-in", async () => {
      await t.admin();
      for (const [kind, c] of UNSAFE) {
        for (const field of ["robotName", "machineId"] as const) {
          const body = {
            email: ADMIN_EMAIL,
            password: ADMIN_PASSWORD,
            robotName: "build-01",
            machineId: "machine-01",
            [field]: `build${c}01`,
          };
          const answer = await t.request("POST", "/api/v1/robot/login", { body });
          assert.equal(answer.statusCode, 400, `${kind} in ${field}: ${answer.body}`);
          assert.equal(answer.json().error.code, "validation_failed");
        }
      }
      const robots = await (await t.admin()).request("GET", "/api/v1/robots");
      assert.deepEqual(robots.json().robots, []);
    });

    it("publishes only patterns that Python, Java and Go can compile, and that mean the same", async () => {
      const answer = await t.request("GET", "/api/v1/openapi.json");
      const patterns = new Set<string>();
      JSON.stringify(answer.json(), (key, value) => {
        if (key === "pattern" && typeof value === "string") patterns.add(value);
        return value;
      });
      assert.ok(patterns.size > 0);
      for (const pattern of patterns) {
        // Unicode property classes, \u escapes (not in Go), lookaround and named groups, inline
        // flags, backreferences: none of them is portable.
        for (const forbidden of [/\\[pP]/, /\\u/, /\\x\{/, /\(\?(?!:)/, /\\[1-9]/]) {
          assert.doesNotMatch(pattern, forbidden, `pattern ${JSON.stringify(pattern)}`);
        }
        assert.doesNotThrow(() => new RegExp(pattern), `pattern ${JSON.stringify(pattern)}`);
      }
      // And Python's re (the Python SDK's language) compiles every one of them.
      const python = spawnSync(
        "python3",
        ["-c", "import json, re, sys\nfor p in json.load(sys.stdin): re.compile(p)"],
        { input: JSON.stringify([...patterns]), encoding: "utf8" },
      );
      assert.equal(python.status, 0, python.stderr);
      // And java.util.regex, where a JDK is installed (it is on the CI image).
      if (spawnSync("java", ["-version"]).status === 0) {
        const dir = mkdtempSync(join(tmpdir(), "heptora-patterns-"));
        try {
          const source = join(dir, "Check.java");
          writeFileSync(
            source,
            "import java.util.*; import java.util.regex.*; public class Check { public static " +
              "void main(String[] a) { Scanner in = new Scanner(System.in); while (in.hasNextLine()) " +
              "{ Pattern.compile(new String(Base64.getDecoder().decode(in.nextLine()), " +
              "java.nio.charset.StandardCharsets.UTF_8)); } } }",
          );
          const lines = [...patterns].map((p) => Buffer.from(p, "utf8").toString("base64"));
          const java = spawnSync("java", [source], { input: lines.join("\n"), encoding: "utf8" });
          assert.equal(java.status, 0, java.stderr);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
      // The name rule means the same without the u flag: it refuses what the API refuses.
      const nameRule = [...patterns].find((p) => p.includes("\u202e"));
      assert.ok(nameRule !== undefined, "the name rule is published");
      for (const [, c] of UNSAFE) assert.equal(new RegExp(nameRule).test(named(c)), false);
      assert.equal(new RegExp(nameRule).test("Facturación — 東京"), true);
    });
  });

  describe(`organisation names at setup on ${dialect.name}`, () => {
    it("refuses a bidi override in the organisation name and creates nothing", async () => {
      const t = await startTestApp(dialect);
      try {
        const setup = await t.request("POST", "/api/v1/setup", {
          body: {
            organization: "Acme\u202eevil",
            email: "ana@example.com",
            password: "a long enough password",
          },
          headers: { origin: ORIGIN },
        });
        assert.equal(setup.statusCode, 400, setup.body);
        assert.deepEqual((await t.request("GET", "/api/v1/setup")).json(), { needed: true });
      } finally {
        await t.close();
      }
    });
  });
}
