/** The platform audit log (`GET /api/v1/audit`, admins only). */
import { z } from "zod";
import { IdSchema, TimestampSchema } from "./common.ts";

export const AuditOutcome = { Ok: "ok", Denied: "denied", Failed: "failed" } as const;
export type AuditOutcome = (typeof AuditOutcome)[keyof typeof AuditOutcome];
export const AuditOutcomeSchema = z.enum([
  AuditOutcome.Ok,
  AuditOutcome.Denied,
  AuditOutcome.Failed,
]);

export const AuditEventSchema = z.object({
  id: z.string(),
  at: TimestampSchema,
  actor: z.object({ id: IdSchema, email: z.string() }).nullable(),
  action: z.string().meta({ examples: ["auth.login", "process.created", "robot.revoked"] }),
  target: z.object({ type: z.string(), id: z.string(), name: z.string() }).nullable(),
  outcome: AuditOutcomeSchema,
  ip: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  /**
   * How many times this happened: 1, or more for a refusal an unauthenticated caller repeated
   * (failed or throttled sign-ins, reset requests) from one address within the hour.
   */
  count: z.number().int().min(1),
  /** When it last happened (`at` is the first time). */
  lastAt: TimestampSchema,
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;

export const AuditQuerySchema = z.strictObject({
  actorId: IdSchema.optional(),
  processId: IdSchema.optional(),
  robotId: IdSchema.optional(),
  action: z.string().trim().min(1).max(100).optional(),
  from: TimestampSchema.optional(),
  to: TimestampSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** The `nextBefore` of the previous page. */
  before: z
    .string()
    .regex(/^[0-9]{1,18}$/)
    .optional(),
});
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

export const AuditListResponseSchema = z.object({
  events: z.array(AuditEventSchema),
  nextBefore: z.string().nullable().meta({ description: "Pass as `before` for older events." }),
});
export type AuditListResponse = z.infer<typeof AuditListResponseSchema>;
