/**
 * The few HTTP helpers the local API needs on top of node:http: a bounded JSON body reader and
 * JSON/error writers. Every answer is `Cache-Control: no-store` (some carry values).
 */

import type { IncomingMessage, ServerResponse } from "node:http";
import {
  fromZodError,
  HeptoraError,
  isHeptoraError,
  ROBOT_API_MAX_BODY_BYTES,
} from "@heptora/protocol";
import { ZodError } from "zod";
import { diskFullError, isDiskFull } from "../lib/disk-full.ts";

export async function readJsonBody(
  req: IncomingMessage,
  maxBytes = ROBOT_API_MAX_BODY_BYTES,
): Promise<unknown> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > maxBytes) throw new HeptoraError("body_too_large");
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    total += (chunk as Buffer).length;
    if (total > maxBytes) throw new HeptoraError("body_too_large");
    chunks.push(chunk as Buffer);
  }
  if (total === 0) return {};
  const type = req.headers["content-type"] ?? "";
  if (!type.startsWith("application/json")) throw new HeptoraError("unsupported_media_type");
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HeptoraError("invalid_json");
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": payload.length,
    "cache-control": "no-store",
  });
  res.end(payload);
}

export function sendNoContent(res: ServerResponse): void {
  res.writeHead(204, { "cache-control": "no-store" });
  res.end();
}

/**
 * Renders any error as `{ error: { code, message, hint? } }`. A zod error is rendered as on every
 * server, by the protocol's fromZodError (our schemas' messages never echo a value);
 * anything unknown becomes a 500 without detail, logged under a short reference.
 */
export function toHeptoraError(error: unknown, logUnknown: (line: string) => void): HeptoraError {
  // Before anything else: a wrapped SQLITE_FULL or ENOSPC says "the disk is full" (ADR 0073).
  if (isDiskFull(error)) {
    logUnknown("A change failed: the disk is full (nothing was changed).");
    return diskFullError(error);
  }
  if (isHeptoraError(error)) return error;
  if (error instanceof ZodError) return fromZodError(error);
  const reference = Math.random().toString(36).slice(2, 10);
  const name = error instanceof Error ? error.name : typeof error;
  logUnknown(`internal error ${reference}: ${name}`);
  return new HeptoraError("internal_error", {
    message: `Something went wrong in the robot (reference ${reference}).`,
    hint: "See the daemon's output.",
  });
}

export function sendError(res: ServerResponse, error: HeptoraError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, error.status, error.toBody());
}
