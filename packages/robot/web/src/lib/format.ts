/**
 * The window's own formats: to-the-second times for the activity log and compact hosts. Relative
 * and exact times and plurals are in @heptora/web-kit.
 */

const precise = new Intl.DateTimeFormat("en-GB", {
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

export function preciseTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : precise.format(date);
}

/** The host of a URL for compact display ("127.0.0.1:8080"), the input when it is not a URL. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
