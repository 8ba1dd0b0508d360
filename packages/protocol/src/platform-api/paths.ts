/** Every path of the platform API, relative to the origin, so clients never spell them twice. */
export const PLATFORM_API_PREFIX = "/api/v1";

export const PlatformApiPaths = {
  openapi: "/api/v1/openapi.json",
  login: "/api/v1/auth/login",
  logout: "/api/v1/auth/logout",
  session: "/api/v1/auth/session",
  passwordReset: "/api/v1/auth/password-reset",
  passwordResetConfirm: "/api/v1/auth/password-reset/confirm",
  setup: "/api/v1/setup",
  users: "/api/v1/users",
  processes: "/api/v1/processes",
  robots: "/api/v1/robots",
  audit: "/api/v1/audit",
  tokens: "/api/v1/tokens",
  robotLogin: "/api/v1/robot/login",
  robotDefinitions: "/api/v1/robot/definitions",
  robotStatus: "/api/v1/robot/status",
  robotLogout: "/api/v1/robot/logout",
} as const;

/** The cookie that carries a web session, and the header that carries its CSRF token. */
export const SESSION_COOKIE = "heptora_session";
export const CSRF_HEADER = "x-csrf-token";
