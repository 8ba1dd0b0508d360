/**
 * The names every part of Heptora agrees on for the robot's local API: the environment variables
 * `heptora run` gives a child, the socket file name, and the URL paths. Plain constants, so the
 * SDKs (which have no runtime dependency) can mirror them and tests can check they match.
 */

/** Environment variables `heptora run` adds to the child's environment. */
export const RobotEnv = {
  /** Path of the robot's Unix socket (or Windows named pipe). */
  Socket: "HEPTORA_ROBOT_SOCKET",
  /** Name of the process this run belongs to. */
  Process: "HEPTORA_PROCESS",
  /** The run token: 256-bit random, valid for this run only, scoped to the process's names. */
  RunToken: "HEPTORA_RUN_TOKEN",
} as const;

/** The socket file inside the data dir (POSIX). */
export const ROBOT_SOCKET_FILE = "robot.sock";
/** The management token file inside the data dir, written 0600 by the daemon at start. */
export const CONTROL_TOKEN_FILE = "control.token";

/** URL paths of the local API. `{name}` and `{runId}` are URL-encoded path segments. */
export const RobotApiPaths = {
  /** GET with `Authorization: Bearer <run token>`: the value of one declared secret. */
  secret: (name: string) => `/v1/secrets/${encodeURIComponent(name)}`,
  /** GET with `Authorization: Bearer <run token>`: the names the run's process declares. */
  declaredNames: "/v1/secrets",
  status: "/v1/manage/status",
  login: "/v1/manage/login",
  logout: "/v1/manage/logout",
  sync: "/v1/manage/sync",
  secrets: "/v1/manage/secrets",
  manageSecret: (name: string) => `/v1/manage/secrets/${encodeURIComponent(name)}`,
  reveal: (name: string) => `/v1/manage/secrets/${encodeURIComponent(name)}/reveal`,
  history: (name: string) => `/v1/manage/secrets/${encodeURIComponent(name)}/history`,
  restore: (name: string) => `/v1/manage/secrets/${encodeURIComponent(name)}/restore`,
  /** POST {to}: moves an undeclared value and its history onto a declared name. */
  move: (name: string) => `/v1/manage/secrets/${encodeURIComponent(name)}/move`,
  /** POST {email}: removes another person's values from this robot (never reveals them). */
  forgetPerson: "/v1/manage/people/forget",
  audit: "/v1/manage/audit",
  auditVerify: "/v1/manage/audit/verify",
  runs: "/v1/manage/runs",
  run: (runId: string) => `/v1/manage/runs/${encodeURIComponent(runId)}`,
  /** POST: a one-time link that signs a browser in to the Secrets window (`heptora ui`). */
  windowLink: "/v1/manage/ui/session",
  /** POST: the daemon shows the Secrets window itself (an app window; no link leaves it). */
  windowOpen: "/v1/manage/ui/open",
} as const;

/** Largest request body the local API reads (bytes); a larger one is 413 body_too_large. */
export const ROBOT_API_MAX_BODY_BYTES = 1024 * 1024;
