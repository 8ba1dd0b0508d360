/** A moment as people read it ("3 minutes ago"), with the exact time as its tooltip. */
import { exactTime, timeAgo } from "./format.ts";

export function TimeAgo({ at }: { at: string }) {
  return (
    <time dateTime={at} title={exactTime(at)}>
      {timeAgo(at)}
    </time>
  );
}
