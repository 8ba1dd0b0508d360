/**
 * The shapes the web app reads from the platform API: the protocol's own types (types only, so
 * nothing of zod reaches the bundle through this file).
 */
export type {
  ApiToken,
  ApiTokenListResponse,
  ApiTokenScope,
  AuditEvent,
  AuditListResponse,
  CreatedApiToken,
  Process as ProcessDetail,
  Process as ProcessSummary,
  ProcessListResponse,
  Robot as RobotSummary,
  RobotDetail,
  RobotListResponse,
  Role,
  SessionResponse as Session,
  SessionUser,
  User,
  UserListResponse,
  Variable,
} from "@heptora/protocol";
