/**
 * Run records (docs/adr/0077): what each `heptora run` did, as `heptora runs list/show` and the
 * Secrets window's Runs page show it. Names, times and counts only: never a value, a token or the
 * run's environment. The command is what the person typed (argv), shown only to that person.
 *
 * @example
 * // GET /v1/manage/runs  ->  { runs: [{ runId, process, state: "ended", exitCode: 0, ... }] }
 */
import { z } from "zod";
import { OpaqueIdSchema, TimestampSchema } from "./fields.ts";

/** The most arguments, and the longest argument, `heptora run` records for a command. */
export const RUN_COMMAND_MAX_ARGS = 1000;
export const RUN_COMMAND_MAX_ARG_LENGTH = 8192;

export const RunCommandSchema = z
  .array(z.string().max(RUN_COMMAND_MAX_ARG_LENGTH))
  .max(RUN_COMMAND_MAX_ARGS);

/** running: its `heptora run` is going; ended: it told how it ended, or it ended unknown. */
export const RunStateSchema = z.enum(["running", "ended"]);

export const MaskedCountsSchema = z.object({
  stdout: z.number().int().min(0),
  stderr: z.number().int().min(0),
});

/** `POST /v1/manage/runs/{runId}/end` (socket only): how `heptora run`'s child ended. */
export const RunEndRequestSchema = z.strictObject({
  exitCode: z.number().int().min(0).max(255),
  signal: z
    .string()
    .regex(/^SIG[A-Z0-9]{1,12}$/)
    .nullable()
    .default(null),
  masked: z.strictObject({
    stdout: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    stderr: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  }),
});
export type RunEndRequest = z.input<typeof RunEndRequestSchema>;

const RunSummaryFields = {
  runId: OpaqueIdSchema,
  process: z.object({ id: OpaqueIdSchema, name: z.string().max(200) }),
  state: RunStateSchema,
  startedAt: TimestampSchema,
  /** null while running, and for a run that ended without telling (its robot was killed). */
  endedAt: TimestampSchema.nullable(),
  /** null while running or when unknown. */
  exitCode: z.number().int().nullable(),
  signal: z.string().max(20).nullable(),
  /** How many values the masker replaced per stream; null while running or when unknown. */
  masked: MaskedCountsSchema.nullable(),
  namesRead: z.number().int().min(0),
};

export const RunSummarySchema = z.object(RunSummaryFields);
export type RunSummary = z.infer<typeof RunSummarySchema>;

/** `GET /v1/manage/runs`: the person's recent runs, newest first. */
export const RunListSchema = z.object({ runs: z.array(RunSummarySchema) });
export type RunList = z.infer<typeof RunListSchema>;

/** `GET /v1/manage/runs/{runId}`: everything recorded for one run of the person. */
export const RunDetailSchema = z.object({
  ...RunSummaryFields,
  command: z.array(z.string()),
  reads: z.array(z.object({ name: z.string().max(64), at: TimestampSchema })),
});
export type RunDetail = z.infer<typeof RunDetailSchema>;

export const RunListQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const RunIdParamsSchema = z.strictObject({ runId: z.string().min(1).max(100) });
