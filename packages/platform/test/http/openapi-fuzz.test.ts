/**
 * The OpenAPI document matches behaviour: a property-based fuzzer that reads the SERVED document
 * and drives every operation in it with generated requests, valid ones (from the document's
 * schemas, checked with the document's own JSON Schema) and invalid ones (wrong types, missing
 * and extra fields, odd unicode, long strings, bad ids, unknown and bad query parameters, wrong
 * content types, malformed JSON, missing credentials or CSRF). It signs in as an admin (cookie +
 * Origin + X-CSRF-Token), a member, and a robot (bearer), as each operation's `security` says.
 *
 * Every answer must: not be a 5xx; have a status the operation declares; have a declared content
 * type whose JSON Schema (from the document, not the zod schemas) the body matches; carry an
 * error code the status's description lists; carry the headers the response declares
 * (Retry-After, Set-Cookie). A valid request must not be refused as invalid.
 *
 * Deterministic: the seed is fixed (HEPTORA_FUZZ_SEED replays another) and printed with each
 * failure. HEPTORA_FUZZ_RUNS scales the number of cases per operation. See docs/adr/0070.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import Ajv from "ajv/dist/2020.js";
import formats from "ajv-formats";
import type { LightMyRequestResponse } from "fastify";
import { DEFAULT_THROTTLE } from "../../src/modules/auth/throttle.ts";
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  type Browser,
  HOST,
  ORIGIN,
  startTestApp,
  type TestApp,
} from "../support/app.ts";
import { dialects } from "../support/dialects.ts";
import {
  generateValid,
  type Json,
  type JsonSchema,
  ODD_STRINGS,
  type Pools,
  Random,
  resolver,
  spoil,
} from "../support/fuzz.ts";

const SEED = Number(process.env.HEPTORA_FUZZ_SEED ?? 20261130);
const SCALE = Number(process.env.HEPTORA_FUZZ_RUNS ?? 1);
const DOC_ID = "https://heptora.test/openapi.json";
const MEMBER_EMAIL = "fuzz-member@example.com";
const MEMBER_PASSWORD = "fuzz member long password";
const WRITE_METHODS = new Set(["post", "put", "patch", "delete"]);

type Operation = {
  operationId: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; schema: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<
    string,
    {
      description: string;
      headers?: Record<string, unknown>;
      content?: Record<string, { schema: JsonSchema }>;
    }
  >;
};
type Doc = JsonSchema & { paths: Record<string, Record<string, Operation>> };

type Who = "admin" | "member" | "robot" | "token" | "none";
interface Case {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly payload: string | Buffer | undefined;
  readonly valid: boolean;
  readonly what: string;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

const pointer = (part: string) => part.replace(/~/g, "~0").replace(/\//g, "~1");

function safeEncode(value: string): string | undefined {
  try {
    return encodeURIComponent(value);
  } catch {
    return undefined; // a lone surrogate: not a URL anyone can send
  }
}

const dialectCases = dialects();

for (const [index, dialect] of dialectCases.entries()) {
  // SQLite gets the full run; PostgreSQL a smaller one (same code, slower round trips).
  const runs = Math.max(1, Math.round((index === 0 ? 6 : 2) * SCALE));

  describe(`the OpenAPI document matches behaviour (fuzzed, ${dialect.name})`, () => {
    let t: TestApp;
    let doc: Doc;
    let ajv: InstanceType<typeof Ajv.default>;
    let admin: Browser | undefined;
    let member: Browser | undefined;
    let robotToken: string | undefined;
    /** Admin API tokens (docs/adr/0072), one per scope, for the operations that accept them. */
    const apiTokens: { read?: string; admin?: string } = {};
    const pools = {
      process: [] as string[],
      user: [] as string[],
      robot: [] as string[],
      variable: [] as string[],
    };

    async function signInRobot(): Promise<void> {
      let response = await robotLogin();
      if (response.statusCode === 429) {
        t.clock.advance(16 * 60_000);
        response = await robotLogin();
      }
      robotToken = response.statusCode === 200 ? (response.json().token as string) : undefined;
    }

    async function robotLogin() {
      return t.request("POST", "/api/v1/robot/login", {
        body: {
          email: MEMBER_EMAIL,
          password: MEMBER_PASSWORD,
          robotName: "fuzz",
          machineId: "fuzz-machine",
        },
      });
    }

    const alive = async (browser: Browser | undefined) =>
      browser !== undefined &&
      (await t.request("GET", "/api/v1/auth/session", { headers: { cookie: browser.cookie } }))
        .statusCode === 200;

    /** Signs in again, past any throttling the fuzzing caused for that account. */
    async function signIn(email: string, password: string): Promise<Browser> {
      try {
        return await t.login(email, password);
      } catch {
        t.clock.advance(16 * 60_000);
        return t.login(email, password);
      }
    }

    /** Puts back what the fuzzing may have taken away: sessions, the member, a process, a robot. */
    async function restore(): Promise<void> {
      const boss = (await alive(admin))
        ? (admin as Browser)
        : await signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
      admin = boss;
      const users = (await boss.request("GET", "/api/v1/users")).json().users as {
        id: string;
        email: string;
        active: boolean;
        role: string;
      }[];
      const fuzzMember = users.find((u) => u.email === MEMBER_EMAIL);
      if (fuzzMember === undefined) {
        member = await t.member(boss, MEMBER_EMAIL, MEMBER_PASSWORD);
      } else {
        if (!fuzzMember.active || fuzzMember.role !== "member") {
          await boss.request("PATCH", `/api/v1/users/${fuzzMember.id}`, {
            active: true,
            role: "member",
          });
        }
        if (!(await alive(member))) member = await signIn(MEMBER_EMAIL, MEMBER_PASSWORD);
      }
      const helper = member as Browser;
      let processes = (await boss.request("GET", "/api/v1/processes")).json().processes as {
        id: string;
        variables: { name: string }[];
      }[];
      if (processes.length === 0) {
        const created = await boss.request("POST", "/api/v1/processes", {
          name: `Fuzz ${Date.now()}`,
        });
        const id = created.json().id as string;
        await boss.request("POST", `/api/v1/processes/${id}/variables`, { name: "SAP_USER" });
        await boss.request("PUT", `/api/v1/processes/${id}/assignees`, {
          userIds: [helper.user.id],
        });
        processes = (await boss.request("GET", "/api/v1/processes")).json().processes;
      }
      const robotAlive =
        robotToken !== undefined &&
        (
          await t.request("GET", "/api/v1/robot/definitions", {
            headers: { authorization: `Bearer ${robotToken}` },
          })
        ).statusCode === 200;
      if (!robotAlive) await signInRobot();
      for (const scope of ["read", "admin"] as const) {
        const token = apiTokens[scope];
        const works =
          token !== undefined &&
          (
            await t.request("GET", "/api/v1/processes", {
              headers: { authorization: `Bearer ${token}` },
            })
          ).statusCode === 200;
        if (works) continue;
        const created = await boss.request("POST", "/api/v1/tokens", {
          name: `fuzz ${scope} ${Date.now()}`,
          scope,
        });
        apiTokens[scope] =
          created.statusCode === 201 ? (created.json().token as string) : undefined;
      }
      const robots = (await boss.request("GET", "/api/v1/robots")).json().robots as {
        id: string;
      }[];
      pools.process = processes.map((p) => p.id);
      pools.variable = processes.flatMap((p) => p.variables.map((v) => v.name));
      // Never the fuzzing admin: deactivating or demoting them would end the run's coverage.
      pools.user = users.filter((u) => u.email !== ADMIN_EMAIL).map((u) => u.id);
      if (!pools.user.includes(helper.user.id)) pools.user.push(helper.user.id);
      pools.robot = robots.map((r) => r.id);
    }

    before(async () => {
      t = await startTestApp(dialect, {
        // Low per account, so 429 (and its Retry-After) happens; high per address, so the
        // fuzzer's own sign-ins go on.
        throttle: { ...DEFAULT_THROTTLE, perPair: 3, perAccount: 3, perAddress: 100_000 },
      });
      const served = await t.request("GET", "/api/v1/openapi.json");
      assert.equal(served.statusCode, 200);
      doc = served.json();
      ajv = new Ajv.default({ strict: false, allErrors: false, validateFormats: true });
      formats.default(ajv);
      ajv.addSchema({ ...doc, $id: DOC_ID });
      admin = await t.admin();
      await restore();
    });
    after(() => t.close());

    function validator(path: string) {
      const validate = ajv.getSchema(`${DOC_ID}#${path}`);
      assert.ok(validate, `no schema at ${path}`);
      return validate;
    }

    function poolsFor(path: string): Pools {
      return {
        ids(property) {
          if (property === "userIds" || property === "actorId") return pools.user;
          if (property === "processId") return pools.process;
          if (property === "robotId") return pools.robot;
          if (property === "id") {
            if (path.includes("/processes/")) return pools.process;
            if (path.includes("/users/")) return pools.user;
            if (path.includes("/robots/")) return pools.robot;
          }
          if (property === "name" && path.includes("/variables/")) return pools.variable;
          if (property === "email") return [MEMBER_EMAIL];
          return [];
        },
      };
    }

    function who(op: Operation, random: Random): Who {
      const schemes = (op.security ?? []).flatMap((s) => Object.keys(s));
      if (schemes.includes("robotToken")) return "robot";
      if (schemes.includes("apiToken") && random.chance(0.2)) return "token";
      if (schemes.includes("session")) return random.chance(0.15) ? "member" : "admin";
      return "none";
    }

    function credentials(
      as: Who,
      method: string,
      spoilIt: boolean,
      random: Random,
    ): Record<string, string> {
      const write = WRITE_METHODS.has(method);
      if (as === "robot") {
        if (spoilIt) return random.chance(0.5) ? {} : { authorization: "Bearer not-a-real-token" };
        return robotToken === undefined ? {} : { authorization: `Bearer ${robotToken}` };
      }
      if (as === "token") {
        if (spoilIt) {
          return random.chance(0.5)
            ? { authorization: "Bearer hpt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }
            : { authorization: "Bearer " };
        }
        // A read token may only GET: a write with one is refused (403), so writes use the admin one.
        const token = write || random.chance(0.5) ? apiTokens.admin : apiTokens.read;
        return token === undefined ? {} : { authorization: `Bearer ${token}` };
      }
      if (as === "admin" || as === "member") {
        const browser = as === "admin" ? admin : member;
        if (browser === undefined) return {};
        const headers: Record<string, string> = { cookie: browser.cookie };
        if (write) Object.assign(headers, { origin: ORIGIN, "x-csrf-token": browser.csrfToken });
        if (!spoilIt) return headers;
        switch (random.int(0, 3)) {
          case 0:
            return {};
          case 1:
            return { ...headers, "x-csrf-token": "wrong" };
          case 2:
            return { ...headers, origin: "https://evil.example" };
          default:
            return { cookie: "heptora_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAA" };
        }
      }
      if (!write) return {};
      if (spoilIt) return random.chance(0.5) ? { origin: "https://evil.example" } : {};
      return { origin: ORIGIN };
    }

    function buildCase(
      path: string,
      method: string,
      op: Operation,
      random: Random,
      wantValid: boolean,
    ): Case {
      const context = poolsFor(path);
      const resolve = resolver(doc);
      const base = `/paths/${pointer(path)}/${method}`;
      let valid = wantValid;
      const notes: string[] = [];
      // Which part an invalid case spoils: one, so a refusal has one cause.
      const spoilPart = wantValid
        ? "none"
        : random.pick(["path", "query", "body", "body", "body", "credentials", "content-type"]);

      let url = path;
      for (const parameter of op.parameters ?? []) {
        if (parameter.in !== "path") continue;
        let value = String(
          generateValid(random, parameter.schema, resolve, context, parameter.name),
        );
        if (spoilPart === "path") {
          value = random.pick([
            ...ODD_STRINGS.filter((s) => s !== ""),
            "x".repeat(65),
            "no-such-id",
          ]);
          notes.push(`path ${parameter.name}`);
        }
        let encoded = safeEncode(value) ?? "lone-surrogate";
        if (spoilPart === "path" && random.chance(0.2)) {
          encoded = random.pick(["%ZZ", "%E0%A4%A", "abc%"]);
        }
        url = url.replace(`{${parameter.name}}`, encoded);
      }

      const query = new URLSearchParams();
      const queryParameters = (op.parameters ?? []).filter((p) => p.in === "query");
      for (const parameter of queryParameters) {
        if (parameter.required || random.chance(0.5)) {
          const value = generateValid(random, parameter.schema, resolve, context, parameter.name);
          query.set(parameter.name, String(value));
        }
      }
      const queryObject = Object.fromEntries(query);
      if (queryParameters.length > 0 && !spoilPart.startsWith("q")) {
        const schema = {
          type: "object",
          properties: Object.fromEntries(queryParameters.map((p) => [p.name, p.schema])),
        };
        // Query values are strings; integer parameters are checked as numbers where they look so.
        const typed = Object.fromEntries(
          Object.entries(queryObject).map(([k, v]) => [k, /^-?\d+$/.test(v) ? Number(v) : v]),
        );
        if (!ajv.validate(schema, typed) && !ajv.validate(schema, queryObject)) valid = false;
      }
      if (spoilPart === "query") {
        const choice = random.int(0, 3);
        if (choice === 0 || queryParameters.length === 0) {
          query.set(
            random.pick(["foo", "page", "cursor2", "LIMIT", "__proto__"]),
            random.pick(["1", "", "x"]),
          );
        } else {
          const name = random.pick(queryParameters).name;
          if (choice === 1) query.append(name, "1");
          else
            query.set(
              name,
              safeEncode(random.pick(ODD_STRINGS)) === undefined ? "x" : random.pick(ODD_STRINGS),
            );
        }
        notes.push("query");
      }
      if (query.size > 0) url += `?${query.toString()}`;

      const headers: Record<string, string> = { host: HOST };
      const as = who(op, random);
      Object.assign(headers, credentials(as, method, spoilPart === "credentials", random));
      if (spoilPart === "credentials") notes.push(`credentials of ${as}`);
      if (spoilPart === "credentials" && random.chance(0.2)) {
        headers.host = random.pick(["evil.example", "platform.test.evil.example", "127.0.0.1:1"]);
        notes.push(`host ${headers.host}`);
      }
      if (as === "robot" && robotToken === undefined) valid = false;
      if (as === "token" && apiTokens.admin === undefined) valid = false;

      let payload: string | Buffer | undefined;
      const bodySchema = op.requestBody?.content["application/json"]?.schema;
      if (bodySchema !== undefined) {
        let body: Json = generateValid(random, bodySchema, resolve, context);
        const check = validator(`${base}/requestBody/content/application~1json/schema`);
        if (!check(body)) valid = false;
        if (spoilPart === "body") {
          const kind = random.int(0, 9);
          if (kind === 0) {
            payload = random.pick(["{", '{"a":', "[1,]", "nul", "{'a':1}", '"unterminated']);
            notes.push("malformed JSON");
          } else if (kind === 1) {
            payload = JSON.stringify({
              ...(typeof body === "object" && body !== null ? body : {}),
              pad: "p".repeat(1024 * 1024),
            });
            notes.push("over 1 MiB");
          } else if (kind === 2) {
            payload = "";
            notes.push("empty body");
          } else if (kind === 3) {
            payload = Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]);
            notes.push("invalid UTF-8");
          } else {
            body = spoil(random, body, bodySchema, resolve);
            notes.push("spoiled body");
          }
        }
        payload ??= JSON.stringify(body);
        headers["content-type"] = "application/json";
      } else if (spoilPart === "body" && method !== "get") {
        payload = JSON.stringify(random.pick([{ extra: 1 }, [], "x"]));
        headers["content-type"] = "application/json";
        notes.push("body where none is taken");
      }
      if (spoilPart === "content-type" && (payload !== undefined || method !== "get")) {
        headers["content-type"] = random.pick([
          "text/plain",
          "application/x-www-form-urlencoded",
          "multipart/form-data; boundary=x",
          "application/xml",
          "application/json-patch+json",
        ]);
        payload ??= "a=1";
        notes.push(`content-type ${headers["content-type"]}`);
      }
      if (spoilPart !== "none" && notes.length === 0) notes.push("nothing to spoil");
      const spoiled = notes.length > 0 && notes[0] !== "nothing to spoil";
      return {
        method: method.toUpperCase(),
        url,
        headers,
        payload,
        valid: valid && !spoiled,
        what: `${as}${notes.length > 0 ? `, ${notes.join(", ")}` : ""}`,
      };
    }

    function problems(
      path: string,
      method: string,
      op: Operation,
      c: Case,
      response: LightMyRequestResponse,
    ): string[] {
      const out: string[] = [];
      const status = response.statusCode;
      if (status >= 500) out.push(`answered ${status}`);
      const declared = op.responses[String(status)];
      if (declared === undefined) {
        out.push(
          `status ${status} is not declared (declared: ${Object.keys(op.responses).join(", ")})`,
        );
        return out;
      }
      const text = response.body;
      const type =
        String(response.headers["content-type"] ?? "")
          .split(";")[0]
          ?.trim() ?? "";
      if (text.length === 0) {
        if (declared.content !== undefined) out.push(`status ${status} declares a body, none came`);
      } else if (declared.content?.[type] === undefined) {
        out.push(`content type '${type}' is not declared for ${status}`);
      } else {
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          out.push("the body is not JSON");
        }
        const validate = validator(
          `/paths/${pointer(path)}/${method}/responses/${status}/content/${pointer(type)}/schema`,
        );
        if (body !== undefined && !validate(body)) {
          out.push(`body does not match the ${status} schema: ${ajv.errorsText(validate.errors)}`);
        }
        const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
        if (typeof code === "string" && !declared.description.includes(`\`${code}\``)) {
          out.push(`error code ${code} is not listed for ${status} ("${declared.description}")`);
        }
        if (c.valid && code === "validation_failed") {
          out.push(`a request valid by the document was refused: ${text.slice(0, 300)}`);
        }
      }
      for (const name of Object.keys(declared.headers ?? {})) {
        const value = response.headers[name.toLowerCase()];
        if (value === undefined) out.push(`declared header ${name} is missing`);
        if (name === "Retry-After" && !/^[1-9][0-9]*$/.test(String(value))) {
          out.push(`Retry-After '${String(value)}' is not a positive integer`);
        }
      }
      return out;
    }

    it("answers every operation's generated requests as the document declares", async () => {
      const failures: string[] = [];
      const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.entries(ops).map(([method, op]) => ({ path, method, op })),
      );
      assert.ok(operations.length >= 29, "the document lists the operations");
      let sent = 0;
      const timings: string[] = [];
      for (const { path, method, op } of operations) {
        const started = performance.now();
        await restore();
        const random = new Random(SEED ^ hash(`${method} ${path}`));
        for (let n = 0; n < runs * 2; n++) {
          const c = buildCase(path, method, op, random, n % 2 === 0);
          const response = await t.app.inject({
            method: c.method as "GET",
            url: c.url,
            headers: c.headers,
            ...(c.payload !== undefined && { payload: c.payload }),
          });
          sent++;
          for (const problem of problems(path, method, op, c, response)) {
            const shown =
              typeof c.payload === "string" && c.payload.length > 300
                ? `${c.payload.slice(0, 300)}...`
                : c.payload;
            failures.push(
              `${c.method} ${path} case ${n} (${c.valid ? "valid" : "invalid"}: ${c.what}): ${problem}\n` +
                `    request: ${c.method} ${c.url.slice(0, 200)} ${shown === undefined ? "" : String(shown)}\n` +
                `    answer: ${response.statusCode} ${response.body.slice(0, 300)}`,
            );
          }
          // A sign-out, a revocation or a new robot sign-in ends what later cases rely on.
          const ended =
            (response.statusCode === 401 && !c.what.includes("credentials")) ||
            (op.operationId === "postRobotLogin" && response.statusCode === 200) ||
            response.statusCode === 204;
          if (ended) await restore();
        }
        timings.push(`${method} ${path}: ${Math.round(performance.now() - started)} ms`);
      }
      assert.ok(sent > 0);
      if (process.env.HEPTORA_FUZZ_TIMINGS) console.log(timings.join("\n"));
      const seed = `HEPTORA_FUZZ_SEED=${SEED}${SCALE === 1 ? "" : ` HEPTORA_FUZZ_RUNS=${SCALE}`}`;
      assert.deepEqual(
        failures.slice(0, 25),
        [],
        `${failures.length} problem(s); replay with ${seed} npm test -- openapi-fuzz`,
      );
    });
  });
}
