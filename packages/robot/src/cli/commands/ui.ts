/**
 * `heptora ui`: asks the daemon for a one-time link to the Secrets window, prints it and opens it
 * in the browser when this machine has a desktop (`--no-open` to only print it). The link signs
 * one browser in, once, within 2 minutes (docs/adr/0060).
 */
import { browserOpener, openInBrowser } from "../../window/open-browser.ts";
import type { CommandRun } from "../command.ts";
import { flag, printJson, writeLine } from "../command.ts";

export const run: CommandRun = async ({ client, options, io, env }) => {
  const link = await client().windowLink();
  const opener = flag(options, "no-open")
    ? undefined
    : browserOpener(link.url, process.platform, env);
  const opened = opener === undefined ? false : await openInBrowser(opener);
  if (flag(options, "json")) {
    printJson(io, { ...link, opened });
    return 0;
  }
  writeLine(io.stdout, `Secrets window: ${link.url}`);
  writeLine(
    io.stderr,
    opened
      ? "Opened in your browser. The link works once, within 2 minutes."
      : "Open this link in a browser on this machine. It works once, within 2 minutes.",
  );
  return 0;
};
