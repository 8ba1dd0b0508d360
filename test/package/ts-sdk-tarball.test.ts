/**
 * `@heptora/sdk` as people install it (issue 15): the tarball that `npm run package` builds (its
 * step, run here into a temp folder), installed with `npm install --offline` into a fresh project
 * outside the repository, run under `heptora run` against a real robot daemon signed in to a real
 * platform with the system's Node.js 20 and with Node.js 24, and a consumer's TypeScript checked
 * against the shipped types by the repository's tsc (nodenext), a deliberate type error included.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { buildTsSdk } from "../../scripts/package/ts-sdk.ts";
import {
  type RobotAndPlatform,
  sha256,
  startRobotAndPlatform,
} from "./support/robot-and-platform.ts";

const root = join(import.meta.dirname, "..", "..");
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  version: string;
};
const TSC = join(root, "node_modules", "typescript", "bin", "tsc");
const PROCESS = "Invoice Processing";
const USER = "ana.tarball-user-7310";
const PASSWORD = "Tarball-Pässwörd-🔑-51ad";

/** Our environment without npm's npm_* variables (they name the workspace as the prefix). */
function withoutNpm(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) {
    if (!key.toLowerCase().startsWith("npm_")) out[key] = value;
  }
  return out;
}

function run(command: string, args: string[], cwd: string, env = withoutNpm(process.env)) {
  const result = spawnSync(command, args, { cwd, env, encoding: "utf8" });
  if (result.error) throw result.error;
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

/** The system's Node.js (outside node_modules), older than the 24 the repository pins. */
function systemNode(): { path: string; version: string } {
  const which = spawnSync("sh", ["-c", "which -a node"], { encoding: "utf8" });
  for (const candidate of which.stdout.split("\n").filter(Boolean)) {
    if (realpathSync(candidate).includes("node_modules")) continue;
    const found = spawnSync(candidate, ["--version"], { encoding: "utf8" }).stdout.trim();
    if (Number(/^v(\d+)/.exec(found)?.[1]) < 24) return { path: candidate, version: found };
  }
  throw new Error(
    "These tests run the SDK with the system's Node.js 20 as well: install Node.js 20 (a node older than 24 on the PATH, outside node_modules).",
  );
}

describe("@heptora/sdk's tarball, installed outside the repository", () => {
  let robot: RobotAndPlatform;
  let tarball: string;
  let project: string;

  before(async () => {
    robot = await startRobotAndPlatform(PROCESS, { SAP_USER: USER, SAP_PASSWORD: PASSWORD });
    const dist = join(robot.temp.path, "dist");
    mkdirSync(dist);
    [tarball = ""] = await buildTsSdk({ root, dist, version, log: () => {} });
    project = join(robot.temp.path, "automation");
    mkdirSync(project);
    writeFileSync(
      join(project, "package.json"),
      `${JSON.stringify({ name: "automation", private: true, type: "module" }, null, 2)}\n`,
    );
    const installed = run(
      "npm",
      [
        "install",
        "--offline",
        "--no-audit",
        "--no-fund",
        "--cache",
        join(robot.temp.path, "npm-cache"),
        tarball,
      ],
      project,
    );
    assert.equal(installed.code, 0, `npm install --offline ${tarball}: ${installed.out}`);
  });
  after(async () => {
    await robot?.stop();
  });

  test("the tarball is named for the root package.json's version, as is packages/sdk", () => {
    const workspace = JSON.parse(
      readFileSync(join(root, "packages", "sdk", "package.json"), "utf8"),
    ) as { version: string };
    assert.equal(workspace.version, version);
    assert.ok(tarball.endsWith(`/heptora-sdk-${version}.tgz`), tarball);
  });

  test("the installed package is ESM with types, depends on nothing and says it needs Node 20", () => {
    const installed = join(project, "node_modules", "@heptora", "sdk");
    const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as Record<
      string,
      unknown
    >;
    assert.equal(manifest.name, "@heptora/sdk");
    assert.equal(manifest.version, version);
    assert.equal(manifest.type, "module");
    assert.equal(manifest.license, "UNLICENSED");
    assert.deepEqual(manifest.engines, { node: ">=20" });
    assert.deepEqual(manifest.exports, {
      ".": { types: "./dist/index.d.ts", default: "./dist/index.js" },
      "./package.json": "./package.json",
    });
    for (const field of ["dependencies", "peerDependencies", "optionalDependencies"]) {
      assert.equal(manifest[field], undefined, field);
    }
    // Nothing else came along; the package is its manifest, README and, for each source module,
    // its JavaScript and declarations: no TypeScript source (Node will not strip it there), no test.
    assert.deepEqual(
      readdirSync(join(project, "node_modules")).filter((e) => !e.startsWith(".")),
      ["@heptora"],
    );
    const modules = readdirSync(join(root, "packages", "sdk", "src"))
      .filter((f) => f.endsWith(".ts"))
      .map((f) => f.slice(0, -3));
    assert.deepEqual(
      readdirSync(installed, { recursive: true, encoding: "utf8" }).sort(),
      [
        "README.md",
        "dist",
        ...modules.flatMap((m) => [`dist/${m}.d.ts`, `dist/${m}.js`]),
        "package.json",
      ].sort(),
    );
  });

  const consumer = [
    'import { getSecret, HeptoraSecretError } from "@heptora/sdk";',
    'import { createHash } from "node:crypto";',
    'const value = await getSecret("SAP_PASSWORD");',
    'console.log("value", value);',
    'console.log("digest", createHash("sha256").update(value, "utf8").digest("hex"));',
    "try {",
    '  await getSecret("SAP_PASWORD");',
    "} catch (error) {",
    '  console.log("error", error instanceof HeptoraSecretError, error.code);',
    "}",
    'console.log("node", process.version);',
  ].join("\n");

  for (const which of ["the system's Node.js 20", "Node.js 24"] as const) {
    test(`a consumer .mjs reads a value under heptora run with ${which}`, async () => {
      const node =
        which === "Node.js 24"
          ? { path: process.execPath, version: process.version }
          : systemNode();
      assert.match(node.version, which === "Node.js 24" ? /^v24\./ : /^v(20|22)\./);
      writeFileSync(join(project, "main.mjs"), consumer);
      const result = await robot.cli(["run", PROCESS, "--", node.path, "main.mjs"], {
        cwd: project,
      });
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(result.stdout.trim().split("\n"), [
        "value ***",
        `digest ${sha256(PASSWORD)}`,
        "error true secret_not_declared",
        `node ${node.version}`,
      ]);
      assert.ok(!`${result.stdout}${result.stderr}`.includes(PASSWORD));
    });
  }

  test("a consumer's TypeScript type-checks against the shipped types; a type error fails", () => {
    const folder = join(project, "typed");
    mkdirSync(folder, { recursive: true });
    const compilerOptions = {
      module: "nodenext",
      moduleResolution: "nodenext",
      target: "es2022",
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      types: [],
    };
    writeFileSync(
      join(folder, "tsconfig.json"),
      JSON.stringify({ compilerOptions, files: ["main.ts"] }),
    );
    writeFileSync(
      join(folder, "tsconfig.wrong.json"),
      JSON.stringify({ compilerOptions, files: ["wrong.ts"] }),
    );
    writeFileSync(join(folder, "package.json"), JSON.stringify({ type: "module" }));
    writeFileSync(
      join(folder, "main.ts"),
      [
        'import { createClient, getSecret, HeptoraSecretError, type HeptoraSecretErrorCode, listSecretNames, SdkErrorCodes } from "@heptora/sdk";',
        'const user: string = await getSecret("SAP_USER");',
        "const names: string[] = await listSecretNames();",
        'const client = createClient({ socketPath: "/tmp/robot.sock", token: "t", timeoutMs: 1000 });',
        "client.close();",
        "try {",
        "  await getSecret(user);",
        "} catch (error) {",
        "  if (error instanceof HeptoraSecretError) {",
        "    const code: HeptoraSecretErrorCode = error.code;",
        '    const known: boolean = code === "vault_locked" || code === SdkErrorCodes.NotInARun;',
        "    const status: number | undefined = error.status;",
        "    void [known, status, error.hint, names];",
        "  }",
        "}",
        "export {};",
      ].join("\n"),
    );
    writeFileSync(
      join(folder, "wrong.ts"),
      [
        'import { getSecret } from "@heptora/sdk";',
        'const port: number = await getSecret("SAP_USER");',
        "export { port };",
      ].join("\n"),
    );
    const env = withoutNpm(process.env);
    const good = run(process.execPath, [TSC, "-p", "tsconfig.json"], folder, env);
    assert.equal(good.code, 0, good.out);
    const bad = run(process.execPath, [TSC, "-p", "tsconfig.wrong.json"], folder, env);
    assert.notEqual(bad.code, 0);
    assert.match(
      bad.out,
      /wrong\.ts\(2,7\): error TS2322: Type 'string' is not assignable to type 'number'\./,
    );
  });
});
