/**
 * Turns the robot's answer (status + body bytes) into a value or a HeptoraSecretError. Pure, so
 * every mapping is tested without a socket. The body is never quoted in an error: a malformed
 * 200 may well contain the value.
 */
import { HeptoraSecretError, SdkErrorCodes } from "./errors.ts";

/**
 * The value from a 200 `{ "name", "value" }`, or the robot's error as a HeptoraSecretError.
 *
 * @example
 * secretFromResponse("SAP_USER", 200, '{"name":"SAP_USER","value":"ana"}', token); // "ana"
 */
export function secretFromResponse(
  name: string,
  status: number,
  body: string,
  token: string,
): string {
  const parsed = parseJson(body);
  if (status === 200) {
    if (isRecord(parsed) && parsed.name === name && typeof parsed.value === "string") {
      return parsed.value;
    }
    throw badResponse(`The robot's answer for '${name}' is not in the expected form.`, status);
  }
  return throwErrorBody(parsed, status, token);
}

/**
 * The names from a 200 `{ "process", "names": [{ "name", "secret" }] }` of `GET /v1/secrets`,
 * or the robot's error as a HeptoraSecretError.
 *
 * @example
 * namesFromResponse(200, '{"process":"Invoices","names":[{"name":"SAP_USER","secret":true}]}', token);
 * // ["SAP_USER"]
 */
export function namesFromResponse(status: number, body: string, token: string): string[] {
  const parsed = parseJson(body);
  if (status === 200) {
    const names = isRecord(parsed) ? parsed.names : undefined;
    if (Array.isArray(names)) {
      const out: string[] = [];
      for (const entry of names) {
        if (!isRecord(entry) || typeof entry.name !== "string") break;
        out.push(entry.name);
      }
      if (out.length === names.length) return out;
    }
    throw badResponse("The robot's list of declared names is not in the expected form.", status);
  }
  return throwErrorBody(parsed, status, token);
}

function throwErrorBody(parsed: unknown, status: number, token: string): never {
  const error = isRecord(parsed) ? parsed.error : undefined;
  if (isRecord(error) && typeof error.code === "string" && typeof error.message === "string") {
    const hint = typeof error.hint === "string" ? scrub(error.hint, token) : undefined;
    return throwRobotError(error.code, scrub(error.message, token), status, hint);
  }
  throw badResponse(`The robot answered HTTP ${status} without a Heptora error body.`, status);
}

function throwRobotError(code: string, message: string, status: number, hint?: string): never {
  throw new HeptoraSecretError(code, message, { status, hint });
}

function badResponse(message: string, status: number): HeptoraSecretError {
  return new HeptoraSecretError(SdkErrorCodes.BadResponse, message, {
    status,
    hint: "Check that HEPTORA_ROBOT_SOCKET points at a Heptora robot of the same version.",
  });
}

/** Defence in depth: the robot never echoes the token, but if it ever did, it stops here. */
function scrub(text: string, token: string): string {
  return token.length > 0 && text.includes(token) ? text.split(token).join("***") : text;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
