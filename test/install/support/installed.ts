/**
 * Support for the install tests: build the artefacts once into a temp dist (the same steps as
 * `npm run package`), install a .deb into a fresh root with dpkg, and run installed programs with
 * a PATH that has no Node.js on it.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PackageContext } from "../../../scripts/package/context.ts";

export const ROOT = join(import.meta.dirname, "..", "..", "..");

export function packageContext(dist: string): PackageContext {
  mkdirSync(dist, { recursive: true });
  return { root: ROOT, dist, version: rootVersion(), log: () => {} };
}

export function rootVersion(): string {
  const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
    version: string;
  };
  return version;
}

/** `dpkg -i` into `root` (a fresh root with its own admin dir); maintainer scripts run chrootless
 * with DPKG_ROOT set, dependencies are not checked (the fresh root has no libc6 registered). */
export function dpkgInstall(root: string, deb: string): string {
  for (const dir of ["var/lib/dpkg/info", "var/lib/dpkg/updates", "var/log", "etc"]) {
    mkdirSync(join(root, dir), { recursive: true });
  }
  writeFileSync(join(root, "var/lib/dpkg/status"), "", { flag: "a" });
  const result = spawnSync(
    "dpkg",
    [
      `--root=${root}`,
      `--admindir=${join(root, "var/lib/dpkg")}`,
      `--log=${join(root, "var/log/dpkg.log")}`,
      "--force-not-root",
      "--force-script-chrootless",
      "--force-depends",
      "--no-triggers",
      "-i",
      deb,
    ],
    { encoding: "utf8" },
  );
  if (result.status !== 0) throw new Error(`dpkg -i failed: ${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** dpkg-query's fields of an installed package, joined by spaces. */
export function dpkgQuery(root: string, fields: readonly string[], pkg: string): string {
  const format = fields.map((field) => `\${${field}}`).join(" ");
  return spawnSync(
    "dpkg-query",
    [`--admindir=${join(root, "var/lib/dpkg")}`, "-W", `-f=${format}`, pkg],
    { encoding: "utf8" },
  ).stdout;
}

/** A folder for PATH holding only the given programs (symlinks): no node, no npm. */
export function pathWithout(dir: string, programs: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, target] of Object.entries(programs)) symlinkSync(target, join(dir, name));
  return dir;
}

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

export async function runProgram(
  program: string,
  args: readonly string[],
  options: { env: NodeJS.ProcessEnv; input?: string; cwd?: string },
): Promise<Ran> {
  const child = spawn(program, args, { env: options.env, cwd: options.cwd, stdio: "pipe" });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  child.stdin.end(options.input ?? "");
  const [code] = (await once(child, "close")) as [number | null];
  return { code, stdout, stderr };
}

export interface Started {
  child: ChildProcess;
  readonly output: string;
  /** The first match of `ready` in the output. */
  match: RegExpExecArray;
  stop(): Promise<number | null>;
}

/** Starts a long-running program and waits for a line matching `ready` (or its exit). */
export async function startProgram(
  program: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
): Promise<Started> {
  const child = spawn(program, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  const exited = once(child, "exit");
  let output = "";
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${program} did not get ready: ${output}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const found = ready.exec(output);
      if (found !== null) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${program} exited (${code}): ${output}`));
    });
  });
  return {
    child,
    match,
    get output() {
      return output;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
}
