/**
 * `heptora-platform`: the composition root of the platform binary. Parses the configuration,
 * then serves (the only place that listens), migrates or creates an admin. Every failure is one
 * line on stderr and a non-zero exit code.
 *
 * Exit codes: 0 done (serve: stopped by SIGTERM/SIGINT after every request finished); 1 failed;
 * 2 bad configuration; 3 serve stopped but cut requests still running at the shutdown timeout.
 */
import { HeptoraError, NewPasswordSchema } from "@heptora/protocol";
import { type Config, ConfigError, parseConfig, USAGE } from "./config.ts";
import { createAdmin } from "./create-admin.ts";
import { LATEST_SCHEMA_VERSION, migrate } from "./db/migrate.ts";
import { MIGRATIONS } from "./db/migrations.ts";
import { describeDbTarget, openDatabase } from "./db/open-db.ts";
import { StartError, startPlatform } from "./start-platform.ts";

export interface Io {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

const MAX_STDIN_BYTES = 64 * 1024;

async function readPassword(stdin: Io["stdin"]): Promise<string> {
  if (stdin.isTTY === true) {
    throw new ConfigError(
      "--password-stdin reads the password from a pipe, e.g. printf '%s' \"$PASSWORD\" | heptora-platform create-admin ...",
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_STDIN_BYTES) throw new ConfigError("The password on stdin is too long.");
    chunks.push(buffer);
  }
  // One trailing newline (from echo or a file) is not part of the password.
  const password = Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
  const checked = NewPasswordSchema.safeParse(password);
  if (!checked.success) throw new ConfigError(checked.error.issues[0]?.message ?? "Bad password.");
  return checked.data;
}

async function runCreateAdmin(config: Extract<Config, { command: "create-admin" }>, io: Io) {
  const password = await readPassword(io.stdin);
  const db = await openDatabase(config.db).catch((error: unknown) => {
    throw new StartError(
      `Cannot open the database ${describeDbTarget(config.db)}: ${error instanceof Error ? error.message.split("\n")[0] : error}`,
    );
  });
  try {
    const user = await createAdmin(db, {
      email: config.email,
      password,
      ...(config.organization !== undefined && { organization: config.organization }),
    });
    io.stdout.write(`Created administrator ${user.email}.\n`);
  } finally {
    await db.close();
  }
}

/** `heptora-platform migrate`: applies what is pending, says what it applied, exits. */
async function runMigrate(config: Extract<Config, { command: "migrate" }>, io: Io) {
  const db = await openDatabase(config.db, { migrate: false }).catch((error: unknown) => {
    throw new StartError(
      `Cannot open the database ${describeDbTarget(config.db)}: ${error instanceof Error ? error.message.split("\n")[0] : error}`,
    );
  });
  try {
    const { applied } = await migrate(db).catch((error: unknown) => {
      if (error instanceof HeptoraError) throw error;
      throw new StartError(
        `Migrating ${describeDbTarget(config.db)} failed: ${error instanceof Error ? error.message.split("\n")[0] : error}`,
      );
    });
    const latest = LATEST_SCHEMA_VERSION;
    for (const version of applied) {
      const name = MIGRATIONS.find((m) => m.version === version)?.name ?? "";
      io.stdout.write(`Applied migration ${version}: ${name}\n`);
    }
    io.stdout.write(
      applied.length === 0
        ? `The database is up to date (schema version ${latest}).\n`
        : `The database is at schema version ${latest}.\n`,
    );
  } finally {
    await db.close();
  }
}

/** Serves until SIGTERM or SIGINT, then drains; returns the exit code. */
async function runServe(config: Extract<Config, { command: "serve" }>, io: Io): Promise<number> {
  const platform = await startPlatform(config);
  // Tests and other tools parse this exact line.
  io.stdout.write(`Heptora platform listening on ${platform.url}\n`);
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) process.exit(1); // a second signal: give up waiting
      stopping = true;
      platform.app.log.info({ signal }, "shutting down: draining requests in flight");
      platform.drain(config.shutdownTimeoutMs).then(
        ({ cut }) => {
          if (cut) {
            io.stderr.write(
              `heptora-platform: stopped after cutting requests still running at the ${config.shutdownTimeoutMs / 1000} s shutdown timeout.\n`,
            );
          }
          resolve(cut ? 3 : 0);
        },
        (error: unknown) => {
          io.stderr.write(`heptora-platform: shutdown failed: ${String(error).split("\n")[0]}\n`);
          resolve(1);
        },
      );
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
  });
}

/** Runs the command; returns the exit code. */
export async function main(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io: Io,
): Promise<number> {
  try {
    const config = parseConfig(argv, env);
    switch (config.command) {
      case "help":
        io.stdout.write(`${USAGE}\n`);
        return 0;
      case "create-admin":
        await runCreateAdmin(config, io);
        return 0;
      case "migrate":
        await runMigrate(config, io);
        return 0;
      case "serve":
        return await runServe(config, io);
    }
  } catch (error) {
    const known =
      error instanceof ConfigError || error instanceof StartError || error instanceof HeptoraError;
    const message = known ? error.message : `unexpected error: ${String(error)}`;
    io.stderr.write(`heptora-platform: ${message.split("\n")[0]}\n`);
    return error instanceof ConfigError ? 2 : 1;
  }
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2), process.env, process);
}
