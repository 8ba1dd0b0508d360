/**
 * `heptora-platform`: the composition root of the platform binary. Parses the configuration,
 * then serves (the only place that listens) or creates an admin. Every failure is one line on
 * stderr and a non-zero exit code.
 */
import { HeptoraError, NewPasswordSchema } from "@heptora/protocol";
import { type Config, ConfigError, parseConfig, USAGE } from "./config.ts";
import { createAdmin } from "./create-admin.ts";
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

async function runServe(config: Extract<Config, { command: "serve" }>, io: Io): Promise<void> {
  const platform = await startPlatform(config);
  // Tests and other tools parse this exact line.
  io.stdout.write(`Heptora platform listening on ${platform.url}\n`);
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) process.exit(1); // a second signal: give up waiting
      stopping = true;
      platform.app.log.info(`${signal}: shutting down`);
      platform.close().then(resolve, (error: unknown) => {
        io.stderr.write(`heptora-platform: shutdown failed: ${String(error)}\n`);
        process.exitCode = 1;
        resolve();
      });
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
      case "serve":
        await runServe(config, io);
        return 0;
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
