/**
 * Messages of the management part of the local API (`/v1/manage/*`), used by the `heptora` CLI.
 * The Secrets window calls the same robot service in-process and shares these shapes.
 * Every call carries `Authorization: Bearer <management token>` (the daemon's control.token).
 */
import { z } from "zod";
import { EmailSchema, PasswordSchema, ProcessNameSchema, SecretValueSchema } from "../fields.ts";
import { SecretNameSchema } from "../names.ts";
import { OpaqueIdSchema, TimestampSchema } from "./fields.ts";

/** `GET /v1/manage/status`. */
export const LocalStatusSchema = z.object({
  dataDir: z.string(),
  socketPath: z.string(),
  platformUrl: z.string(),
  /** Set when the platform URL is plain http to another machine (allowed by a setting). */
  platformWarning: z.string().nullable(),
  signedIn: z.boolean(),
  email: z.string().nullable(),
  /** Why the robot was last signed out, in words for the person (kept across restarts). */
  signedOutReason: z.string().nullable(),
  /**
   * The same as a code: a RobotSignOutReason (`revoked`, `password_changed`,
   * `account_deactivated`, `expired`), `signed_out` (a person, here) or `refused` (no reason given).
   */
  signedOutCause: z.string().nullable(),
  robotId: z.string().nullable(),
  robotName: z.string(),
  /** The robot's version. */
  version: z.string(),
  vaultId: z.string(),
  locked: z.boolean(),
  keyProtectionWarning: z.string().nullable(),
  /**
   * What is known to be wrong with the vault (docs/adr/0074): a file older than this machine last
   * saw, a deleted one, current versions or cached definitions put back, a broken audit chain
   * (checked at start). `ok` with no problems when there is nothing to say. Never a value.
   */
  integrity: z.object({ ok: z.boolean(), problems: z.array(z.string()) }),
  sync: z.object({
    lastSyncAt: TimestampSchema.nullable(),
    lastAttemptAt: TimestampSchema.nullable(),
    lastError: z.string().nullable(),
    nextSyncAt: TimestampSchema.nullable(),
    intervalSeconds: z.number(),
  }),
  counts: z.object({
    processes: z.number().int(),
    declared: z.number().int(),
    set: z.number().int(),
    missing: z.number().int(),
  }),
  activeRuns: z.number().int(),
});
export type LocalStatus = z.infer<typeof LocalStatusSchema>;

/** `POST /v1/manage/login`. */
export const LocalLoginRequestSchema = z.strictObject({
  email: EmailSchema,
  password: PasswordSchema,
});
export type LocalLoginRequest = z.input<typeof LocalLoginRequestSchema>;

/** `POST /v1/manage/sync` (and part of the login answer). */
export const LocalSyncResultSchema = z.object({
  syncedAt: TimestampSchema,
  full: z.boolean(),
  processes: z.number().int(),
  changed: z.number().int(),
  removed: z.number().int(),
  reported: z.boolean(),
});
export type LocalSyncResult = z.infer<typeof LocalSyncResultSchema>;

export const LocalLoginResponseSchema = z.object({
  email: z.string(),
  robotId: z.string(),
  sync: LocalSyncResultSchema.nullable(),
  syncError: z.string().nullable(),
});
export type LocalLoginResponse = z.infer<typeof LocalLoginResponseSchema>;

/** `POST /v1/manage/logout`: the token is forgotten either way; values stay on the machine. */
export const LocalLogoutResponseSchema = z.object({
  signedOut: z.boolean(),
  /** False when the platform could not be reached to revoke the robot token. */
  revokedAtPlatform: z.boolean(),
});
export type LocalLogoutResponse = z.infer<typeof LocalLogoutResponseSchema>;

/** One secret's state on this robot; never its value. */
export const LocalSecretInfoSchema = z.object({
  name: z.string(),
  set: z.boolean(),
  version: z.number().int().nullable(),
  updatedAt: TimestampSchema.nullable(),
});
export type LocalSecretInfo = z.infer<typeof LocalSecretInfoSchema>;

export const LocalListedVariableSchema = LocalSecretInfoSchema.extend({
  secret: z.boolean(),
  description: z.string(),
});
export type LocalListedVariable = z.infer<typeof LocalListedVariableSchema>;

/** `GET /v1/manage/secrets[?process=P]`: names grouped by process, set or not, last change. */
export const LocalSecretsListSchema = z.object({
  processes: z.array(
    z.object({
      id: OpaqueIdSchema,
      name: z.string(),
      description: z.string(),
      variables: z.array(LocalListedVariableSchema),
    }),
  ),
  /** Values kept on this robot that no assigned process declares any more. */
  undeclared: z.array(LocalSecretInfoSchema),
});
export type LocalSecretsList = z.infer<typeof LocalSecretsListSchema>;

export const LocalSecretsListQuerySchema = z.strictObject({
  process: ProcessNameSchema.optional(),
});

/**
 * `PUT /v1/manage/secrets/{name}`. A value shorter than SECRET_VALUE_MIN_MASKABLE characters is
 * refused (secret_value_too_short) unless `allowShort` is true, which is audited
 * (secret.short_allowed).
 */
export const LocalSetSecretRequestSchema = z.strictObject({
  value: SecretValueSchema,
  allowShort: z.boolean().optional(),
});
export type LocalSetSecretRequest = z.infer<typeof LocalSetSecretRequestSchema>;

/** `POST /v1/manage/secrets/{name}/reveal`: audited as secret.reveal before it is answered. */
export const RevealedSecretSchema = z.object({
  name: z.string(),
  value: z.string(),
  version: z.number().int(),
  updatedAt: TimestampSchema,
});
export type RevealedSecret = z.infer<typeof RevealedSecretSchema>;

/** `DELETE /v1/manage/secrets/{name}`. */
export const UnsetSecretResponseSchema = z.object({ name: z.string(), removed: z.boolean() });
export type UnsetSecretResponse = z.infer<typeof UnsetSecretResponseSchema>;

/**
 * `POST /v1/manage/people/forget {email}`: removes another person's values from this robot
 * (docs/adr/0066); `removed` counts the names. Never a value.
 */
/** `GET /v1/manage/people`: whose values this robot holds (emails only, never a value). */
export const PeopleListSchema = z.object({
  people: z.array(z.object({ email: z.string(), signedIn: z.boolean() })),
});
export type PeopleList = z.infer<typeof PeopleListSchema>;

export const ForgetPersonRequestSchema = z.strictObject({ email: z.string().min(1).max(320) });
export const ForgetPersonResponseSchema = z.object({ email: z.string(), removed: z.number() });
export type ForgetPersonResponse = z.infer<typeof ForgetPersonResponseSchema>;

/** `GET /v1/manage/secrets/{name}/history`. */
export const SecretHistorySchema = z.object({
  name: z.string(),
  versions: z.array(
    z.object({ version: z.number().int(), createdAt: TimestampSchema, current: z.boolean() }),
  ),
});
export type SecretHistory = z.infer<typeof SecretHistorySchema>;

/**
 * `POST /v1/manage/secrets/{name}/move {to}`: moves the person's value `name`, which no process
 * declares any more, and its history onto the declared name `to`, which has no value yet
 * (answers `to`'s LocalSecretInfo). Never a value.
 */
export const MoveSecretRequestSchema = z.strictObject({ to: z.string().min(1).max(200) });

/** `POST /v1/manage/secrets/{name}/restore`. */
export const RestoreSecretRequestSchema = z.strictObject({
  version: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
});

export const LocalAuditEventTypes = [
  "secret.read",
  "secret.reveal",
  "secret.set",
  "secret.unset",
  "secret.restore",
  "secret.renamed",
  "secret.moved",
  "access.denied",
  "secret.read_refused",
  "vault.tampered",
  "audit.tampered",
  "login",
  "logout",
  "sync",
  "unlock",
  "lock",
  "vault.unlock_failed",
  "vault.slot_added",
  "vault.slot_removed",
  "run.start",
  "window.open",
  "secret.short_allowed",
  // Key rotation, backup and restore (docs/adr/0080).
  "vault.key_rotated",
  "vault.backed_up",
  "vault.restored",
] as const;
export type LocalAuditEventType = (typeof LocalAuditEventTypes)[number];

/** `GET /v1/manage/audit?limit=&beforeSeq=&type=&name=` (query strings). */
export const LocalAuditListQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  beforeSeq: z.coerce.number().int().min(1).optional(),
  type: z.enum(LocalAuditEventTypes).optional(),
  name: SecretNameSchema.optional(),
});
export type LocalAuditListQuery = z.input<typeof LocalAuditListQuerySchema>;

export const LocalAuditEntrySchema = z.looseObject({
  seq: z.number().int(),
  type: z.string(),
  at: z.string().optional(),
  name: z.string().nullish(),
  process: z.string().nullish(),
  actor: z.string().nullish(),
  outcome: z.string().nullish(),
  reason: z.string().nullish(),
});
export type LocalAuditEntry = z.infer<typeof LocalAuditEntrySchema>;

export const LocalAuditListSchema = z.object({ entries: z.array(LocalAuditEntrySchema) });

/** `GET /v1/manage/audit/verify`. */
export const LocalAuditVerifySchema = z.object({
  ok: z.boolean(),
  count: z.number().int(),
  problems: z.array(z.object({ seq: z.number(), kind: z.string(), message: z.string() })),
});
export type LocalAuditVerifyResult = z.infer<typeof LocalAuditVerifySchema>;

/**
 * `POST /v1/manage/ui/session`: a one-time link to the Secrets window, for `heptora ui`. It signs
 * one browser in, once, until `expiresAt` (2 minutes).
 */
/** The sections of the Secrets window a link or the tray may open it on (and nowhere else). */
export const WindowPaths = ["/", "/runs", "/activity", "/settings", "/logout"] as const;
export type WindowPath = (typeof WindowPaths)[number];

/** `POST /v1/manage/ui/open`: the daemon shows the window on this machine's desktop. */
export const WindowOpenRequestSchema = z.strictObject({
  next: z.enum(WindowPaths).default("/"),
});

/** `opened: false` when the robot has no desktop to show it on (print a link instead). */
export const WindowOpenResultSchema = z.object({
  opened: z.boolean(),
  notice: z.string().max(500).optional(),
});
export type WindowOpenResult = z.infer<typeof WindowOpenResultSchema>;

export const WindowLinkSchema = z.object({
  url: z.string().max(300),
  expiresAt: TimestampSchema,
});
export type WindowLink = z.infer<typeof WindowLinkSchema>;
