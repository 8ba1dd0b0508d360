/**
 * `parseConfig(argv, env)`: the command line and environment, validated once and frozen.
 * Precedence: flag > environment variable > default. An invalid value fails with one line that
 * names the flag or variable it came from. No other module reads process.env.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { EmailSchema, OrganizationNameSchema } from "@heptora/protocol";
import { z } from "zod";
import type { LogLevel } from "./http/logging.ts";
import { parseTrustedProxies, type TrustedProxies } from "./http/trusted-proxies.ts";

export interface ServeConfig {
  readonly command: "serve";
  readonly host: string;
  readonly port: number;
  /** SQLite file path (absolute) or postgres:// URL. */
  readonly db: string;
  readonly publicUrl: string | undefined;
  readonly outbox: string;
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  /** The reverse proxies' addresses and CIDR ranges; empty when none is trusted. */
  readonly trustProxy: TrustedProxies;
  readonly logLevel: LogLevel;
  /** Apply pending migrations at start (false: `heptora-platform migrate` is a separate step). */
  readonly migrate: boolean;
  /** How long SIGTERM waits for requests in flight before cutting them, in milliseconds. */
  readonly shutdownTimeoutMs: number;
}

export interface MigrateConfig {
  readonly command: "migrate";
  readonly db: string;
}

export interface CreateAdminConfig {
  readonly command: "create-admin";
  readonly email: string;
  readonly organization: string | undefined;
  readonly db: string;
}

export interface HelpConfig {
  readonly command: "help";
}

export type Config = ServeConfig | MigrateConfig | CreateAdminConfig | HelpConfig;

/** A configuration mistake; its message is one line, fit for the terminal. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

export const DEFAULT_DB = ".heptora/platform.db";
export const DEFAULT_OUTBOX = ".heptora/outbox";

export const USAGE = `Usage:
  heptora-platform serve [options]      migrate the database (unless --no-migrate), then serve
  heptora-platform migrate [--db ...]   apply pending database migrations, print them, exit
  heptora-platform create-admin --email E --password-stdin [--org NAME] [--db ...]

Options of serve; each has an environment variable (for an EnvironmentFile), a flag wins:
  --host H                HEPTORA_HOST              address to listen on (127.0.0.1)
  --port P                HEPTORA_PORT              port to listen on (8080; 0 picks one)
  --db PATH|postgres://   HEPTORA_DB                SQLite file or PostgreSQL URL (./${DEFAULT_DB})
  --public-url URL        HEPTORA_PUBLIC_URL        the address people use, e.g. https://heptora.example.com
  --outbox DIR            HEPTORA_OUTBOX            where mail is written without SMTP (./${DEFAULT_OUTBOX})
  --smtp-url URL          HEPTORA_SMTP_URL          smtp:// or smtps:// server for mail
  --mail-from ADDR        HEPTORA_MAIL_FROM         sender of mail
  --trust-proxy ADDRS     HEPTORA_TRUST_PROXY       reverse proxies' addresses/CIDRs, comma-separated
  --log-level L           HEPTORA_LOG_LEVEL         fatal, error, warn, info (default), debug, silent
  --no-migrate            HEPTORA_NO_MIGRATE=true   do not migrate at start (run migrate first)
  --shutdown-timeout S    HEPTORA_SHUTDOWN_TIMEOUT  seconds SIGTERM waits for requests (10)
migrate and create-admin take --db or HEPTORA_DB too. Logs are JSON lines on stdout.`;

type Env = Readonly<Record<string, string | undefined>>;

interface Setting<T> {
  flag: string;
  env?: string;
  schema: z.ZodType<T>;
}

/** Parses one setting from the first of flag, env; returns undefined when neither is set. */
function read<T>(
  setting: Setting<T>,
  flags: Record<string, string | boolean | undefined>,
  env: Env,
): T | undefined {
  const fromFlag = flags[setting.flag];
  const fromEnv = setting.env === undefined ? undefined : env[setting.env];
  const [raw, source] =
    fromFlag !== undefined
      ? [fromFlag, `--${setting.flag}`]
      : fromEnv !== undefined && fromEnv !== ""
        ? [fromEnv, setting.env]
        : [undefined, ""];
  if (raw === undefined) return undefined;
  const parsed = setting.schema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(`${source}: ${parsed.error.issues[0]?.message ?? "invalid value"}`);
  }
  return parsed.data;
}

const Text = (what: string, max = 2048) =>
  z.string().trim().min(1, `${what} is empty.`).max(max, `${what} is too long.`);

const PortSchema = z.coerce
  .number({ message: "must be a whole number from 0 to 65535." })
  .int("must be a whole number from 0 to 65535.")
  .min(0, "must be a whole number from 0 to 65535.")
  .max(65_535, "must be a whole number from 0 to 65535.");

const HttpUrlSchema = Text("The URL").refine(
  (value) => {
    try {
      return ["http:", "https:"].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  },
  { message: "must be an http:// or https:// URL, like https://heptora.example.com." },
);

const SmtpUrlSchema = Text("The SMTP URL").refine(
  (value) => {
    try {
      return ["smtp:", "smtps:"].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  },
  { message: "must be an smtp:// or smtps:// URL, like smtps://user:pass@mail.example.com." },
);

const BoolSchema = z.union([
  z.boolean(),
  z
    .string()
    .regex(/^(1|0|true|false|yes|no)$/i, "must be true or false.")
    .transform((v) => /^(1|true|yes)$/i.test(v)),
]);

const LogLevelSchema = z.enum(["fatal", "error", "warn", "info", "debug", "silent"], {
  message: "must be one of fatal, error, warn, info, debug, silent.",
});

const TrustProxySchema = Text("The proxy list").transform((value, context) => {
  try {
    return parseTrustedProxies(value);
  } catch (error) {
    context.addIssue({ code: "custom", message: (error as Error).message });
    return z.NEVER;
  }
});

const ShutdownTimeoutSchema = z.coerce
  .number({ message: "must be a number of seconds from 1 to 300." })
  .min(1, "must be a number of seconds from 1 to 300.")
  .max(300, "must be a number of seconds from 1 to 300.");

/** A file path is made absolute now, against the directory the command was started in. */
const DbSchema = Text("The database").transform((value) =>
  /^postgres(ql)?:\/\//i.test(value) ? value : resolve(value),
);

export function parseConfig(argv: readonly string[], env: Env): Config {
  const [command, ...rest] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    return Object.freeze({ command: "help" });
  }
  const options = {
    host: { type: "string" },
    port: { type: "string" },
    db: { type: "string" },
    "public-url": { type: "string" },
    outbox: { type: "string" },
    "smtp-url": { type: "string" },
    "mail-from": { type: "string" },
    "trust-proxy": { type: "string" },
    "log-level": { type: "string" },
    "no-migrate": { type: "boolean" },
    "shutdown-timeout": { type: "string" },
    email: { type: "string" },
    "password-stdin": { type: "boolean" },
    org: { type: "string" },
    help: { type: "boolean", short: "h" },
  } as const;
  let flags: Record<string, string | boolean | undefined>;
  try {
    flags = parseArgs({ args: [...rest], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new ConfigError(`${message} (see heptora-platform --help)`);
  }
  if (flags.help === true) return Object.freeze({ command: "help" });

  const db =
    read({ flag: "db", env: "HEPTORA_DB", schema: DbSchema }, flags, env) ?? resolve(DEFAULT_DB);
  const allowed: Record<string, readonly string[]> = {
    serve: [
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
    ],
    migrate: ["db"],
    "create-admin": ["email", "password-stdin", "org", "db"],
  };
  const allowedHere = allowed[command];
  if (allowedHere === undefined) {
    throw new ConfigError(`Unknown command '${command}'. Use serve, migrate or create-admin.`);
  }
  for (const [name, value] of Object.entries(flags)) {
    if (value !== undefined && !allowedHere.includes(name)) {
      throw new ConfigError(`--${name} does not apply to ${command}.`);
    }
  }

  if (command === "create-admin") {
    const email = read({ flag: "email", schema: EmailSchema }, flags, env);
    if (email === undefined) throw new ConfigError("--email is required for create-admin.");
    if (flags["password-stdin"] !== true) {
      throw new ConfigError(
        "create-admin reads the password from standard input: add --password-stdin and pipe it in.",
      );
    }
    const organization = read({ flag: "org", schema: OrganizationNameSchema }, flags, env);
    return Object.freeze({ command: "create-admin", email, organization, db });
  }

  if (command === "migrate") return Object.freeze({ command: "migrate", db });

  return Object.freeze({
    command: "serve",
    host:
      read({ flag: "host", env: "HEPTORA_HOST", schema: Text("The host", 255) }, flags, env) ??
      "127.0.0.1",
    port: read({ flag: "port", env: "HEPTORA_PORT", schema: PortSchema }, flags, env) ?? 8080,
    db,
    publicUrl: read(
      { flag: "public-url", env: "HEPTORA_PUBLIC_URL", schema: HttpUrlSchema },
      flags,
      env,
    )?.replace(/\/+$/, ""),
    outbox: resolve(
      read(
        { flag: "outbox", env: "HEPTORA_OUTBOX", schema: Text("The outbox directory") },
        flags,
        env,
      ) ?? DEFAULT_OUTBOX,
    ),
    smtpUrl: read({ flag: "smtp-url", env: "HEPTORA_SMTP_URL", schema: SmtpUrlSchema }, flags, env),
    mailFrom:
      read(
        { flag: "mail-from", env: "HEPTORA_MAIL_FROM", schema: Text("The sender", 320) },
        flags,
        env,
      ) ?? "Heptora <heptora@localhost>",
    trustProxy:
      read(
        { flag: "trust-proxy", env: "HEPTORA_TRUST_PROXY", schema: TrustProxySchema },
        flags,
        env,
      ) ?? [],
    logLevel:
      read({ flag: "log-level", env: "HEPTORA_LOG_LEVEL", schema: LogLevelSchema }, flags, env) ??
      "info",
    migrate: !(
      read({ flag: "no-migrate", env: "HEPTORA_NO_MIGRATE", schema: BoolSchema }, flags, env) ??
      false
    ),
    shutdownTimeoutMs:
      (read(
        {
          flag: "shutdown-timeout",
          env: "HEPTORA_SHUTDOWN_TIMEOUT",
          schema: ShutdownTimeoutSchema,
        },
        flags,
        env,
      ) ?? 10) * 1000,
  });
}
