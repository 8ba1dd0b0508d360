/**
 * What the SDK install tests run an automation against: the real platform (temp SQLite), an admin
 * who declares one process and assigns it to ana, and a real robot daemon signed in as ana with
 * the values set. Plus the one-shot `heptora` CLI in that robot's data dir, and a SHA-256 helper:
 * `heptora run` masks every value in the automation's output, so an automation proves it got the
 * right value by printing its digest.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import {
  type CliResult,
  cleanEnv,
  heptora,
  type RunningDaemon,
  startDaemon,
} from "../../../packages/robot/test/support/cli.ts";
import { makeTempDir, type TempDir } from "../../../packages/robot/test/support/temp.ts";
import {
  adminSession,
  createAdmin,
  type RunningPlatform,
  startPlatform,
} from "../../e2e/support/platform.ts";

const ADMIN = { email: "admin@example.com", password: "admin password for the packages" };
const ANA = { email: "ana@example.com", password: "ana's long platform password" };

export interface RobotAndPlatform {
  temp: TempDir;
  /** `heptora --data-dir D ARGS` in `cwd` (default: the temp dir, outside the repository). */
  cli(args: string[], options?: { cwd?: string; env?: NodeJS.ProcessEnv }): Promise<CliResult>;
  /** The environment the robot and the CLI run with (no PYTHONPATH, no HEPTORA_* of ours). */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** Starts both, declares `processName` with the names of `values`, signs in and sets the values. */
export async function startRobotAndPlatform(
  processName: string,
  values: Record<string, string>,
): Promise<RobotAndPlatform> {
  const temp = makeTempDir("hpkg-");
  const db = join(temp.path, "platform.db");
  await createAdmin(db, ADMIN.email, ADMIN.password);
  let platform: RunningPlatform | undefined;
  let daemon: RunningDaemon | undefined;
  const stop = async () => {
    await daemon?.stop();
    await platform?.stop();
    temp.remove();
  };
  try {
    platform = await startPlatform(db, join(temp.path, "outbox"));
    const admin = await adminSession(platform.url, ADMIN.email, ADMIN.password);
    const anaId = await admin.createMember(ANA.email, ANA.password);
    const processId = await admin.createProcess(
      processName,
      Object.keys(values).map((name) => ({ name, secret: true })),
    );
    await admin.assign(processId, [anaId]);
    const env = cleanEnv({ HEPTORA_KEY_FILE: temp.keyFile, PYTHONDONTWRITEBYTECODE: "1" });
    delete env.PYTHONPATH;
    delete env.ROBOT_OPTIONS;
    daemon = await startDaemon({ dataDir: temp.dataDir, env, platformUrl: platform.url });
    const cli: RobotAndPlatform["cli"] = (args, options = {}) =>
      heptora(["--data-dir", temp.dataDir, ...args], {
        env: options.env ?? env,
        cwd: options.cwd ?? temp.path,
      });
    const login = await heptora(
      ["--data-dir", temp.dataDir, "login", "--email", ANA.email, "--password-stdin"],
      { env, cwd: temp.path, input: `${ANA.password}\n` },
    );
    assert.equal(login.code, 0, login.stderr);
    const sync = await cli(["sync"]);
    assert.equal(sync.code, 0, sync.stderr);
    for (const [name, value] of Object.entries(values)) {
      const set = await heptora(
        ["--data-dir", temp.dataDir, "secrets", "set", name, "--value-stdin"],
        { env, cwd: temp.path, input: value },
      );
      assert.equal(set.code, 0, set.stderr);
    }
    return { temp, cli, env, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
