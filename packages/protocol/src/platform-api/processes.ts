/**
 * Processes, their variables (names only, never values) and their assignees
 * (`/api/v1/processes`).
 */
import { z } from "zod";
import { DescriptionSchema, ProcessNameSchema } from "../fields.ts";
import { IdSchema, TimestampSchema, VariableNameSchema } from "./common.ts";
import { patchBody } from "./patch.ts";

/** `id` is stable: renaming the variable keeps it (and robots move their values with it). */
export const VariableSchema = z.object({
  id: IdSchema,
  name: z.string(),
  secret: z.boolean(),
  description: z.string(),
});
export type Variable = z.infer<typeof VariableSchema>;

export const ProcessSchema = z.object({
  id: IdSchema,
  name: z.string(),
  description: z.string(),
  variables: z.array(VariableSchema),
  assigneeIds: z.array(IdSchema),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type Process = z.infer<typeof ProcessSchema>;

export const ProcessListResponseSchema = z.object({ processes: z.array(ProcessSchema) });
export type ProcessListResponse = z.infer<typeof ProcessListResponseSchema>;

export const CreateProcessRequestSchema = z.strictObject({
  name: ProcessNameSchema,
  description: DescriptionSchema.optional(),
});
export type CreateProcessRequest = z.infer<typeof CreateProcessRequestSchema>;

export const UpdateProcessRequestSchema = patchBody({
  name: ProcessNameSchema.optional(),
  description: DescriptionSchema.optional(),
});
export type UpdateProcessRequest = z.infer<typeof UpdateProcessRequestSchema>;

/** `secret` defaults to true: a variable is treated as a secret unless said otherwise. */
export const CreateVariableRequestSchema = z.strictObject({
  name: VariableNameSchema,
  secret: z.boolean().default(true),
  description: DescriptionSchema.optional(),
});
export type CreateVariableRequest = z.input<typeof CreateVariableRequestSchema>;

export const UpdateVariableRequestSchema = patchBody({
  name: VariableNameSchema.optional(),
  secret: z.boolean().optional(),
  description: DescriptionSchema.optional(),
});
export type UpdateVariableRequest = z.infer<typeof UpdateVariableRequestSchema>;

/** `PUT /processes/{id}/assignees` replaces the whole set; the answer has the same shape. */
export const AssigneesSchema = z.strictObject({
  userIds: z.array(IdSchema).max(10_000),
});
export type Assignees = z.infer<typeof AssigneesSchema>;
