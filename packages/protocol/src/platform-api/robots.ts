/**
 * The robot API (`/api/v1/robot/*`, bearer token) and the robots seen by people
 * (`/api/v1/robots`). Only names, booleans and timestamps: the platform never receives a value.
 *
 * @example
 * // Robot side: report which names are set; any other field (e.g. `value`) is rejected.
 * RobotStatusRequestSchema.parse({ secrets: [{ name: "SAP_USER", set: true }] });
 */
import { z } from "zod";
import { DisplayNameSchema, EmailSchema, PasswordSchema } from "../fields.ts";
import { IdSchema, TimestampSchema, VariableNameSchema } from "./common.ts";

export const RobotLoginRequestSchema = z.strictObject({
  email: EmailSchema,
  password: PasswordSchema,
  robotName: DisplayNameSchema("robot name", 100),
  /** Stable per machine (the robot keeps it in its data dir): a re-login reuses the robot. */
  machineId: DisplayNameSchema("machine id", 200),
});
export type RobotLoginRequest = z.infer<typeof RobotLoginRequestSchema>;

export const RobotLoginResponseSchema = z.object({
  robotId: IdSchema,
  token: z.string().meta({ description: "Send as `Authorization: Bearer <token>`." }),
});
export type RobotLoginResponse = z.infer<typeof RobotLoginResponseSchema>;

/**
 * Why the platform refuses a robot token: sent as `error.details.reason` with
 * `invalid_robot_token`, so the robot can tell its person why it was signed out.
 */
export const RobotSignOutReason = {
  /** An administrator (or the owner) revoked the robot on the web app. */
  Revoked: "revoked",
  /** The owner's password was changed (reset), which signs out all their robots. */
  PasswordChanged: "password_changed",
  /** The owner's account was deactivated. */
  AccountDeactivated: "account_deactivated",
  /** The robot's sign-in expired. */
  Expired: "expired",
} as const;
export type RobotSignOutReason = (typeof RobotSignOutReason)[keyof typeof RobotSignOutReason];

const SIGN_OUT_REASONS: readonly string[] = Object.values(RobotSignOutReason);

export function isRobotSignOutReason(value: unknown): value is RobotSignOutReason {
  return typeof value === "string" && SIGN_OUT_REASONS.includes(value);
}

/** Opaque cursor from a previous definitions answer. */
export const CursorSchema = z
  .string()
  .trim()
  .regex(/^[0-9]{1,18}$/, { message: "The cursor is not valid: sync without one." });

export const DefinitionsQuerySchema = z.strictObject({ cursor: CursorSchema.optional() });
export type DefinitionsQuery = z.infer<typeof DefinitionsQuerySchema>;

/**
 * `id` is the variable's stable id: when a sync brings a known id under another name, the
 * variable was renamed and the robot moves its values. Optional: older platforms do not send it.
 */
export const DefinitionVariableSchema = z.object({
  id: IdSchema.optional(),
  name: z.string(),
  secret: z.boolean(),
  description: z.string(),
});

export const ProcessDefinitionSchema = z.object({
  id: IdSchema,
  name: z.string(),
  description: z.string(),
  variables: z.array(DefinitionVariableSchema),
});
export type ProcessDefinition = z.infer<typeof ProcessDefinitionSchema>;

/**
 * `full: true` (no cursor, or a cursor this platform does not know): `processes` is the whole
 * set; replace the cache. `full: false`: `processes` holds the added or changed ones (complete,
 * with all their variables) and `removed.processes` the ids to drop.
 */
export const DefinitionsResponseSchema = z.object({
  cursor: z.string(),
  full: z.boolean(),
  processes: z.array(ProcessDefinitionSchema),
  removed: z.object({ processes: z.array(IdSchema) }),
});
export type DefinitionsResponse = z.infer<typeof DefinitionsResponseSchema>;

export const SecretStatusSchema = z.strictObject({
  name: VariableNameSchema,
  set: z.boolean(),
  updatedAt: TimestampSchema.optional(),
});
export type SecretStatus = z.infer<typeof SecretStatusSchema>;

/**
 * Where the robot's audit log stands (docs/adr/0074): its vault's id, the last entry's seq and a
 * SHA-256 of that entry's MAC. Hashes and counters only: never a value, a name or the MAC itself.
 * The platform keeps the last one per robot and flags the robot when a report goes backwards.
 */
export const RobotAuditCheckpointSchema = z.strictObject({
  vaultId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}$/, "a vault id is 1 to 100 letters, digits, '_' or '-'"),
  seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  head: z.string().regex(/^[0-9a-f]{64}$/, "'head' is a SHA-256 in lower-case hex (64 digits)"),
});
export type RobotAuditCheckpoint = z.infer<typeof RobotAuditCheckpointSchema>;

/** Replaces the robot's whole report. Strict: a field such as `value` is a 400. */
export const RobotStatusRequestSchema = z.strictObject({
  secrets: z.array(SecretStatusSchema).max(20_000),
  audit: RobotAuditCheckpointSchema.optional().meta({
    description:
      "Where the robot's audit log stands. A report whose log is behind the last one (fewer " +
      "entries, the same entry with another hash, or another vault) flags the robot: its audit " +
      "log went backwards.",
  }),
});
export type RobotStatusRequest = z.infer<typeof RobotStatusRequestSchema>;

export const RobotSecretSchema = z.object({
  name: z.string(),
  set: z.boolean(),
  updatedAt: TimestampSchema.nullable(),
});

/**
 * One person's last report from a robot: values on a robot belong to the person signed in
 * (docs/adr/0066), so each person who signed in there has their own set / not set names.
 */
export const RobotCoverageSchema = z.object({
  user: z.object({ id: IdSchema, email: z.string() }),
  secrets: z.array(RobotSecretSchema),
  reportedAt: TimestampSchema,
});
export type RobotCoverage = z.infer<typeof RobotCoverageSchema>;

export const RobotSchema = z.object({
  id: IdSchema,
  name: z.string(),
  machineId: z.string(),
  owner: z.object({ id: IdSchema, email: z.string() }),
  createdAt: TimestampSchema,
  lastSeenAt: TimestampSchema.nullable(),
  online: z.boolean().meta({ description: "Seen in the last 2 minutes." }),
  signedIn: z
    .boolean()
    .meta({ description: "False after the robot signed out or its user was deactivated." }),
  secrets: z.array(RobotSecretSchema).meta({
    description: "The current owner's last report (the same as their entry in `coverage`).",
  }),
  auditLog: z
    .object({
      seq: z.number().int(),
      reportedAt: TimestampSchema,
      wentBackwards: z
        .object({ at: TimestampSchema, message: z.string() })
        .nullable()
        .meta({
          description:
            "Set once a report showed the robot's audit log behind an earlier report (restored " +
            "from an older copy, entries cut, or the vault file replaced); it stays set.",
        }),
    })
    .nullable()
    .meta({ description: "The robot's last audit checkpoint; null before its first report." }),
  coverage: z.array(RobotCoverageSchema).meta({
    description:
      "The last report of each person who signed in on this robot, by email. Admins see " +
      "everyone's; a member sees their own.",
  }),
});
export type Robot = z.infer<typeof RobotSchema>;

/** One robot, with the processes assigned to its owner and which of their names are set. */
export const RobotDetailSchema = RobotSchema.extend({
  processes: z.array(
    z.object({
      id: IdSchema,
      name: z.string(),
      variables: z.array(
        z.object({
          name: z.string(),
          secret: z.boolean(),
          set: z.boolean(),
          updatedAt: TimestampSchema.nullable(),
        }),
      ),
    }),
  ),
});
export type RobotDetail = z.infer<typeof RobotDetailSchema>;

export const RobotListResponseSchema = z.object({ robots: z.array(RobotSchema) });
export type RobotListResponse = z.infer<typeof RobotListResponseSchema>;
