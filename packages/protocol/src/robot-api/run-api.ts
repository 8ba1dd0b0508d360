/**
 * Messages of the part of the local API that automations use (through the SDKs) and of the run
 * grant that `heptora run` asks the daemon for.
 *
 * @example
 * // GET /v1/secrets/SAP_USER  with  Authorization: Bearer <HEPTORA_RUN_TOKEN>
 * GetSecretResponseSchema.parse({ name: "SAP_USER", value: "ana" });
 */
import { z } from "zod";
import { ProcessNameSchema } from "../fields.ts";
import { SecretNameSchema } from "../names.ts";
import { OpaqueIdSchema } from "./fields.ts";
import { RunCommandSchema } from "./run-records.ts";

/** 200 answer of `GET /v1/secrets/{name}`. */
export const GetSecretResponseSchema = z.object({
  name: z.string().max(64),
  value: z.string(),
});
export type GetSecretResponse = z.infer<typeof GetSecretResponseSchema>;

/**
 * `POST /v1/manage/runs` (management token): a run token for one run of `process`.
 * `env` names values to hand over as environment variables (`heptora run --env NAME`).
 */
export const RunGrantRequestSchema = z.strictObject({
  process: ProcessNameSchema,
  env: z.array(SecretNameSchema).max(100).default([]),
  /** The command as typed (argv), for the run's record (docs/adr/0077); never the environment. */
  command: RunCommandSchema.default([]),
  /**
   * The pre-run check (docs/adr/0077): refuse, naming them, when secrets the process declares
   * have no value for the person. `heptora run` asks for it unless given `--allow-missing`.
   */
  requireValues: z.boolean().default(false),
});
export type RunGrantRequest = z.input<typeof RunGrantRequestSchema>;

/**
 * The first line of the `POST /v1/manage/runs` answer (NDJSON). The daemon keeps the response
 * open for as long as the run lasts: when the connection closes, the run token is revoked.
 * `mask` holds every non-empty value the process declares (and the run token), for the output
 * masker of `heptora run`; `env` holds the values asked for with `--env`.
 */
export const RunGrantSchema = z.object({
  runId: OpaqueIdSchema,
  token: z.string().max(200),
  process: z.object({ id: OpaqueIdSchema, name: z.string().max(200) }),
  socketPath: z.string().max(4096),
  names: z.array(z.string().max(64)),
  mask: z.array(z.string()),
  env: z.record(z.string().max(64), z.string()),
});
export type RunGrant = z.infer<typeof RunGrantSchema>;

/**
 * A later line of the `POST /v1/manage/runs` answer: values of the process's secret variables
 * set or changed while the run goes on (and not sent before), for the output masker of
 * `heptora run`, which masks them from then on (docs/adr/0075). Sent over the run's own
 * connection only, never on a command line or in an environment.
 */
export const RunMaskUpdateSchema = z.object({ mask: z.array(z.string()) });
export type RunMaskUpdate = z.infer<typeof RunMaskUpdateSchema>;

/**
 * `GET /v1/manage/runs`: the runs going on now, for a person (ids, process, start; never a
 * token or a value).
 */
export const ActiveRunsSchema = z.object({
  runs: z.array(
    z.object({
      runId: OpaqueIdSchema,
      process: z.object({ id: OpaqueIdSchema, name: z.string().max(200) }),
      startedAt: z.string(),
    }),
  ),
});
export type ActiveRuns = z.infer<typeof ActiveRunsSchema>;

/**
 * 200 answer of `GET /v1/secrets` (run token): the names the run's process declares, and which
 * of them are secret. Names only, never a value or whether one is set: the SDKs' adapters
 * (RPA Framework's vault, the Robot Framework listener) build on it (docs/adr/0076).
 */
export const DeclaredNamesResponseSchema = z.object({
  process: z.string().max(200),
  names: z.array(z.object({ name: z.string().max(64), secret: z.boolean() })).max(10_000),
});
export type DeclaredNamesResponse = z.infer<typeof DeclaredNamesResponseSchema>;
