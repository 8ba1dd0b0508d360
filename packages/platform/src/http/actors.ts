/** Who is calling: a person through a web session, or a robot through its bearer token. */
import type { ApiTokenScope, Role } from "@heptora/protocol";

/** The admin API token a request was made with (docs/adr/0072). */
export interface ApiTokenRef {
  readonly id: string;
  readonly name: string;
  readonly scope: ApiTokenScope;
}

export interface UserActor {
  readonly kind: "user";
  readonly id: string;
  readonly orgId: string;
  readonly email: string;
  readonly role: Role;
  /** SHA-256 of the session token: identifies the session without being it. */
  readonly sessionHash: string;
  readonly csrfToken: string;
  /**
   * Set when the person acts through an admin API token instead of a web session; then
   * `sessionHash` and `csrfToken` are random values that match nothing.
   */
  readonly apiToken?: ApiTokenRef;
}

export interface RobotActor {
  readonly kind: "robot";
  readonly robotId: string;
  readonly robotName: string;
  readonly userId: string;
  readonly orgId: string;
  readonly email: string;
}

/** Facts about the request that the audit log records. */
export interface RequestMeta {
  readonly ip: string;
  readonly requestId: string;
}

export const AuthMode = {
  /** Anyone; a session cookie is not even looked at. */
  Public: "public",
  /** Anyone; a valid session cookie, if any, is resolved (and then CSRF applies). */
  Optional: "optional",
  /** A signed-in person. */
  User: "user",
  /** A signed-in admin. */
  Admin: "admin",
  /** A robot bearer token. */
  Robot: "robot",
} as const;
export type AuthMode = (typeof AuthMode)[keyof typeof AuthMode];

export type ActorFor<A extends AuthMode> = A extends "user" | "admin"
  ? UserActor
  : A extends "robot"
    ? RobotActor
    : A extends "optional"
      ? UserActor | undefined
      : undefined;
