/**
 * Inputs only the Secrets window takes, bounded and strict. Everything it shares with the CLI is
 * validated by the person-facing routes (src/http/person-routes.ts) with @heptora/protocol's
 * schemas.
 */
import { LocalAuditEventTypes, SecretNameSchema, WindowPaths } from "@heptora/protocol";
import { z } from "zod";

/** `GET /api/audit/export?format=csv|json[&type=][&name=]`. */
export const AuditExportQuerySchema = z.strictObject({
  format: z.enum(["csv", "json"], { error: "format must be csv or json." }),
  type: z.enum(LocalAuditEventTypes).optional(),
  name: SecretNameSchema.optional(),
});

/** `GET /session/open?t=<token>[&next=/settings]`: the one-time link. */
export const OpenQuerySchema = z.strictObject({
  t: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/),
  next: z.enum(WindowPaths).optional(),
});
