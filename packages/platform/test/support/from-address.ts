/**
 * Unauthenticated requests as they arrive from one client address (`remoteAddress`), for the
 * throttling and audit-flood tests (docs/adr/0071).
 */
import type { TestApp } from "./app.ts";

function postFrom(t: TestApp, ip: string, url: string, body: unknown) {
  return t.app.inject({
    method: "POST",
    url,
    remoteAddress: ip,
    headers: { "content-type": "application/json" },
    payload: JSON.stringify(body),
  });
}

/** A web sign-in from `ip`. */
export function signIn(t: TestApp, ip: string, email: string, password: string) {
  return postFrom(t, ip, "/api/v1/auth/login", { email, password });
}

/** A robot sign-in from `ip` (its machine id names the address). */
export function robotSignIn(t: TestApp, ip: string, email: string, password: string) {
  return postFrom(t, ip, "/api/v1/robot/login", {
    email,
    password,
    robotName: "ana-pc",
    machineId: `m-${ip}`,
  });
}

/** A password-reset request from `ip`. */
export function resetRequest(t: TestApp, ip: string, email: string) {
  return postFrom(t, ip, "/api/v1/auth/password-reset", { email });
}
