/**
 * Inputs of the window's own API, bounded and strict. Bodies and queries reuse the local API's
 * schemas from @heptora/protocol (the window and the CLI call the same robot service).
 */
import { LocalAuditEventTypes, SecretNameSchema } from "@heptora/protocol";
import { z } from "zod";

export {
  LocalAuditListQuerySchema as AuditListQuerySchema,
  LocalLoginRequestSchema as LoginRequestSchema,
  LocalSetSecretRequestSchema as SetSecretRequestSchema,
  RestoreSecretRequestSchema,
} from "@heptora/protocol";

/** A secret name as it arrives in a path; the service checks the naming rule and suggests fixes. */
export const PathNameSchema = z.string().min(1).max(200);

/** An empty body (or `{}`) for actions that take none. */
export const EmptyBodySchema = z.strictObject({});

/** `GET /api/audit/export?format=csv|json[&type=][&name=]`. */
export const AuditExportQuerySchema = z.strictObject({
  format: z.enum(["csv", "json"], { error: "format must be csv or json." }),
  type: z.enum(LocalAuditEventTypes).optional(),
  name: SecretNameSchema.optional(),
});

/** `GET /session/open?t=<token>`: the one-time link. */
export const OpenQuerySchema = z.strictObject({
  t: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/),
});
