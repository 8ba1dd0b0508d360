/** Small pieces shared by the robot list and the robot page. */
import { exactTime, timeAgo } from "@heptora/web-kit";

export function OnlineBadge({ online }: { online: boolean }) {
  return (
    <span className={online ? "status status-ok" : "status status-off"}>
      {online ? "Online" : "Offline"}
    </span>
  );
}

export function LastSeen({ at }: { at: string | null }) {
  if (at === null) return <span className="muted">Never</span>;
  return (
    <time dateTime={at} title={exactTime(at)}>
      {timeAgo(at)}
    </time>
  );
}
