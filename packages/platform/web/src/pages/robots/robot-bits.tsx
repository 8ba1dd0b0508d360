/** Small pieces shared by the robot list and the robot page. */
import { Badge, TimeAgo } from "@heptora/web-kit";

export function OnlineBadge({ online }: { online: boolean }) {
  return (
    <Badge look="dot" tone={online ? "ok" : "off"}>
      {online ? "Online" : "Offline"}
    </Badge>
  );
}

export function LastSeen({ at }: { at: string | null }) {
  if (at === null) return <span className="muted">Never</span>;
  return <TimeAgo at={at} />;
}

/**
 * "Audit log went backwards" (docs/adr/0074): a status report of this robot showed its audit log
 * behind an earlier one (restored from an older copy, entries cut, the vault file replaced).
 */
export function AuditBackwardsBadge({
  auditLog,
}: {
  auditLog: { wentBackwards: { at: string; message: string } | null } | null;
}) {
  const backwards = auditLog?.wentBackwards ?? null;
  if (backwards === null) return null;
  return (
    <span title={backwards.message}>
      <Badge look="dot" tone="danger">
        Audit log went backwards
      </Badge>
    </span>
  );
}
