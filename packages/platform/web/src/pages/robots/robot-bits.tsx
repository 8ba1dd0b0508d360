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
