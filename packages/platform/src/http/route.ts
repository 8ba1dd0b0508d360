/**
 * A route is data: method, path, auth mode, zod schemas, success status and a typed handler.
 * `registerRoutes` turns routes into Fastify routes (authentication, CSRF, validation, status);
 * `buildOpenApi` turns the same routes into the OpenAPI document, so the two cannot drift.
 *
 * @example
 * defineRoute({
 *   method: "GET", url: "/processes/:id", auth: "user", status: 200,
 *   summary: "One process", tags: ["processes"],
 *   params: z.object({ id: IdSchema }), response: ProcessSchema,
 *   handler: ({ actor, params }) => processes.get(actor, params.id),
 * });
 */
import {
  type ErrorCode,
  HeptoraError,
  type RequestPart,
  validationFailed,
} from "@heptora/protocol";
import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { ActorFor, AuthMode, RequestMeta, RobotActor, UserActor } from "./actors.ts";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export type SuccessStatus = 200 | 201 | 202 | 204;
type Schema = z.ZodType;
type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;
type Answer<S> = S extends z.ZodType ? z.input<S> : undefined;

export interface RouteContext<A extends AuthMode, P, Q, B> {
  readonly actor: ActorFor<A>;
  readonly params: Parsed<P>;
  readonly query: Parsed<Q>;
  readonly body: Parsed<B>;
  readonly meta: RequestMeta;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

/** `required`: the request must carry an Origin equal to the platform's own (e.g. setup);
 *  `if-present` (default for unauthenticated writes): a foreign Origin is refused. */
export type SameOriginRule = "required" | "if-present";

export interface RouteSpec<A extends AuthMode, P, Q, B, R> {
  readonly method: HttpMethod;
  /** Fastify path relative to /api/v1, e.g. `/processes/:id`. */
  readonly url: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags: readonly string[];
  readonly auth: A;
  readonly sameOrigin?: SameOriginRule;
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  readonly status: SuccessStatus;
  readonly response?: R;
  /** Error codes this route can answer besides the generic ones (documented in OpenAPI). */
  readonly errors?: readonly ErrorCode[];
  /** Headers the success answer carries (documented in OpenAPI), e.g. `Set-Cookie`. */
  readonly responseHeaders?: Readonly<Record<string, string>>;
  /** A validation issue on this body field answers with that code instead of validation_failed. */
  readonly issueCodes?: Readonly<Record<string, ErrorCode>>;
  /**
   * Runs only when the body is refused: may answer a better error from what the service knows
   * (e.g. an invalid variable name's suggestion, left out when the process already has it).
   */
  readonly refineBodyError?: (
    error: HeptoraError,
    context: { readonly actor: ActorFor<A>; readonly params: Parsed<P>; readonly body: unknown },
  ) => Promise<HeptoraError>;
  handler(context: RouteContext<A, P, Q, B>): Promise<Answer<R>>;
}

export interface Invocation {
  readonly actor: UserActor | RobotActor | undefined;
  readonly meta: RequestMeta;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

/** A route with its types erased, as the registrar and the OpenAPI builder see it. */
export interface Route {
  readonly method: HttpMethod;
  readonly url: string;
  readonly summary: string;
  readonly description: string | undefined;
  readonly tags: readonly string[];
  readonly auth: AuthMode;
  readonly sameOrigin: SameOriginRule | undefined;
  readonly status: SuccessStatus;
  readonly errors: readonly ErrorCode[];
  /** A person may call it with an admin API token (set by `acceptApiTokens`, docs/adr/0072). */
  readonly apiTokens?: boolean;
  /** Header name -> what it carries, on the success answer. */
  readonly responseHeaders: Readonly<Record<string, string>>;
  readonly schemas: {
    readonly params: Schema | undefined;
    readonly query: Schema | undefined;
    readonly body: Schema | undefined;
    readonly response: Schema | undefined;
  };
  invoke(invocation: Invocation): Promise<unknown>;
}

/** A route without a query schema takes no query parameters: any one is refused, as in a body. */
const NO_QUERY = z.strictObject({});

function parse(
  schema: Schema | undefined,
  value: unknown,
  where: RequestPart,
  issueCodes?: Readonly<Record<string, ErrorCode>>,
): unknown {
  if (schema === undefined) return undefined;
  if (where === "body" && value === undefined) {
    throw new HeptoraError("validation_failed", {
      message: "The request needs a JSON body.",
      hint: "Send it with Content-Type: application/json.",
    });
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw validationFailed(result.error.issues, { where, issueCodes });
}

export function defineRoute<
  A extends AuthMode,
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
  R extends Schema | undefined = undefined,
>(spec: RouteSpec<A, P, Q, B, R>): Route {
  return {
    method: spec.method,
    url: spec.url,
    summary: spec.summary,
    description: spec.description,
    tags: spec.tags,
    auth: spec.auth,
    sameOrigin: spec.sameOrigin,
    status: spec.status,
    // A field mapped to its own code (e.g. weak_password) answers that code: document it too.
    errors: [...new Set([...(spec.errors ?? []), ...Object.values(spec.issueCodes ?? {})])],
    responseHeaders: spec.responseHeaders ?? {},
    schemas: {
      params: spec.params,
      query: spec.query,
      body: spec.body,
      response: spec.response,
    },
    async invoke({ actor, meta, request, reply }) {
      const params = parse(spec.params, request.params, "path");
      const query = parse(spec.query ?? NO_QUERY, request.query, "query");
      let body: unknown;
      try {
        body = parse(spec.body, request.body, "body", spec.issueCodes);
      } catch (error) {
        if (spec.refineBodyError === undefined || !(error instanceof HeptoraError)) throw error;
        // The registrar checked that the actor matches `spec.auth`.
        const refusal = { actor, params, body: request.body } as Parameters<
          NonNullable<typeof spec.refineBodyError>
        >[1];
        throw await spec.refineBodyError(error, refusal);
      }
      // The registrar checked that the actor matches `spec.auth`.
      const context = { actor, params, query, body, meta, request, reply } as RouteContext<
        A,
        P,
        Q,
        B
      >;
      return spec.handler(context);
    },
  };
}
