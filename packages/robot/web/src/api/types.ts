/** The shapes the window API answers with: the robot local API's, from @heptora/protocol. */
export type {
  ForgetPersonResponse,
  LocalAuditEntry as AuditEntry,
  LocalAuditVerifyResult as AuditVerifyResult,
  LocalListedVariable as ListedVariable,
  LocalLoginResponse as LoginResponse,
  LocalLogoutResponse as LogoutResponse,
  LocalSecretInfo as SecretInfo,
  LocalSecretsList as SecretsList,
  LocalStatus as RobotStatus,
  LocalSyncResult as SyncResult,
  PeopleList,
  RevealedSecret,
  RunDetail,
  RunList,
  RunSummary,
  SecretHistory,
} from "@heptora/protocol";
