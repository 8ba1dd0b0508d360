/**
 * Short labels on a coloured ground: a state ("Set", "Online"), an outcome, a role. The tone says
 * what it means; the look is the app's: `pill` (bold), `dot` (a dot of the tone's colour before
 * the text) or `caps` (small capitals).
 */
import type { ReactNode } from "react";

export type BadgeTone = "ok" | "warn" | "danger" | "off" | "neutral" | "info" | "highlight";

export type BadgeLook = "pill" | "dot" | "caps";

/**
 * @example
 * <Badge tone="ok">Set</Badge>
 * <Badge look="dot" tone={outcomeTone(event.outcome)}>{event.outcome}</Badge>
 */
export function Badge({
  tone = "neutral",
  look = "pill",
  className,
  children,
}: {
  tone?: BadgeTone;
  look?: BadgeLook;
  className?: string;
  children: ReactNode;
}) {
  const classes = ["badge", `badge-${look}`, `badge-${tone}`];
  if (className) classes.push(className);
  return <span className={classes.join(" ")}>{children}</span>;
}

/** The tone of an audit outcome: "ok", "denied", or anything else (a failure). */
export function outcomeTone(outcome: string): BadgeTone {
  if (outcome === "ok") return "ok";
  if (outcome === "denied") return "danger";
  return "warn";
}
