/**
 * `heptora ui`: asks the robot to show the Secrets window on this machine's desktop, as an app
 * window whose one-time link travels over the browser's DevTools pipe (never on a command line).
 * Where the robot has no desktop, or with `--no-open`, it prints a one-time link instead: it signs
 * one browser in, once, within 2 minutes (docs/adr/0060).
 */
import type { CommandRun } from "../command.ts";
import { flag, printJson, stringOption, UsageError, writeLine } from "../command.ts";

const SECTIONS = { secrets: "/", activity: "/activity", settings: "/settings" } as const;

export const run: CommandRun = async ({ client, options, io }) => {
  const section = stringOption(options, "section") ?? "secrets";
  if (!Object.hasOwn(SECTIONS, section)) {
    throw new UsageError(`--section must be one of ${Object.keys(SECTIONS).join(", ")}.`);
  }
  const next = SECTIONS[section as keyof typeof SECTIONS];
  if (!flag(options, "no-open")) {
    const shown = await client().windowOpen(next);
    if (shown.opened) {
      if (flag(options, "json")) printJson(io, shown);
      else writeLine(io.stdout, shown.notice ?? "The Secrets window is open.");
      return 0;
    }
  }
  const link = await client().windowLink();
  if (flag(options, "json")) {
    printJson(io, { ...link, opened: false });
    return 0;
  }
  writeLine(io.stdout, `Secrets window: ${link.url}`);
  writeLine(
    io.stderr,
    "Open this link in a browser on this machine. It works once, within 2 minutes.",
  );
  return 0;
};
