/**
 * A robot route is data: a name, method, path, zod schemas and a typed handler. The person-facing
 * operations are declared once (person-routes.ts) and mounted on both servers: the socket (CLI,
 * management token) and the Secrets window (session cookie, Host, Origin, CSRF). Each server
 * checks its own credentials first, then calls `serveRoute`, which validates the path
 * parameters, the query and the body with the route's schemas and runs the handler.
 *
 * @example
 * defineRoute({
 *   name: "secrets.history", method: "GET", path: "/secrets/:name/history",
 *   summary: "A value's kept versions (numbers and dates)",
 *   params: NameParams,
 *   handler: ({ params }) => service.history(params.name),
 * });
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { HeptoraError } from "@heptora/protocol";
import { z } from "zod";
import type { PersonActor } from "../service/actor.ts";
import { readJsonBody, sendJson } from "./http-kit.ts";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

type Schema = z.ZodType;
type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

/** A handler that wrote the answer itself (a download, a stream) returns this. */
export const ANSWERED: unique symbol = Symbol("answered");

export interface RouteInput<P, Q, B> {
  readonly params: Parsed<P>;
  readonly query: Parsed<Q>;
  readonly body: Parsed<B>;
  /** Who is acting, as the audit log records it: the server that carried the request. */
  readonly actor: PersonActor;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
}

export interface RouteSpec<P, Q, B> {
  /** A stable name, e.g. "secrets.set": servers refer to routes by it. */
  readonly name: string;
  readonly method: HttpMethod;
  /** Relative to the server's prefix; `:param` segments, e.g. `/secrets/:name/reveal`. */
  readonly path: string;
  readonly summary: string;
  readonly params?: P;
  readonly query?: Q;
  /** Without a body schema, a state-changing route accepts only an empty body (or `{}`). */
  readonly body?: B;
  handler(input: RouteInput<P, Q, B>): unknown;
}

/** A route with its types erased, as the servers see it. */
export interface Route {
  readonly name: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly summary: string;
  invoke(input: RawInput): Promise<unknown>;
}

export interface RawInput {
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly actor: PersonActor;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** The server's limit for a request body. */
  readonly maxBodyBytes: number;
}

/** The body of an action that takes none: nothing, or `{}`. */
export const EmptyBodySchema = z.strictObject({});

export function defineRoute<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
>(spec: RouteSpec<P, Q, B>): Route {
  return {
    name: spec.name,
    method: spec.method,
    path: spec.path,
    summary: spec.summary,
    async invoke({ params, query, actor, req, res, maxBodyBytes }) {
      const input = {
        params: spec.params === undefined ? undefined : spec.params.parse(params),
        query: spec.query === undefined ? undefined : spec.query.parse(query),
        body:
          spec.method === "GET"
            ? undefined
            : (spec.body ?? EmptyBodySchema).parse(await readJsonBody(req, maxBodyBytes)),
        actor,
        req,
        res,
      } as RouteInput<P, Q, B>;
      return spec.handler(input);
    },
  };
}

/**
 * Runs a matched route and answers 200 with its JSON result (or nothing more, when the handler
 * answered itself).
 */
export async function serveRoute(route: Route, input: RawInput): Promise<void> {
  const result = await route.invoke(input);
  if (result === ANSWERED) return;
  sendJson(input.res, 200, result);
}

interface Compiled {
  readonly route: Route;
  readonly segments: readonly string[];
}

export interface RouteMatch {
  readonly route: Route;
  readonly params: Record<string, string>;
}

/**
 * Finds the route for a method and a path (already split into decoded segments, after the
 * server's prefix): route_not_found when no path matches, method_not_allowed when only the
 * method differs. Literal segments win over parameters.
 */
export function createRouter(routes: readonly Route[]) {
  const compiled: Compiled[] = routes.map((route) => ({
    route,
    segments: route.path.split("/").slice(1),
  }));
  const names = new Set<string>();
  for (const { route } of compiled) {
    if (names.has(route.name)) throw new Error(`Two routes are named '${route.name}'.`);
    names.add(route.name);
  }

  function paramsOf(pattern: readonly string[], segments: readonly string[]) {
    if (pattern.length !== segments.length) return undefined;
    const params: Record<string, string> = {};
    for (let i = 0; i < pattern.length; i++) {
      const want = pattern[i] as string;
      const got = segments[i] as string;
      if (want.startsWith(":")) {
        if (got === "") return undefined;
        params[want.slice(1)] = got;
      } else if (want !== got) {
        return undefined;
      }
    }
    return params;
  }

  return {
    routes,
    match(method: string, segments: readonly string[]): RouteMatch {
      let pathMatched = false;
      let best: RouteMatch | undefined;
      let bestLiterals = -1;
      for (const { route, segments: pattern } of compiled) {
        const params = paramsOf(pattern, segments);
        if (params === undefined) continue;
        pathMatched = true;
        if (route.method !== method) continue;
        const literals = pattern.filter((s) => !s.startsWith(":")).length;
        if (literals > bestLiterals) {
          best = { route, params };
          bestLiterals = literals;
        }
      }
      if (best !== undefined) return best;
      throw new HeptoraError(pathMatched ? "method_not_allowed" : "route_not_found");
    },
  };
}

/** Path segments after a prefix, percent-decoded (a malformed escape stays as it was). */
export function segmentsAfter(pathname: string, prefix: string): string[] | undefined {
  if (pathname !== prefix && !pathname.startsWith(`${prefix}/`)) return undefined;
  const rest = pathname.slice(prefix.length);
  return rest === "" ? [] : rest.split("/").slice(1).map(decodeSegment);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
