/**
 * The Secrets window across a robot restart: when the robot stops while a person's window is open
 * and in use, it notes when the window was last used (`<dataDir>/window-resume.json`, 0600, no
 * secret in it); at the next start on a desktop it opens the window again, but only while that
 * activity is younger than the window's idle timeout, so a restart never extends a session that
 * would have ended anyway. The note is read once and removed.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const RESUME_FILE = "window-resume.json";

/** Writes the note when a window is open with a live session. */
export function noteOpenWindow(dataDir: string, lastActivityAt: number | undefined): void {
  if (lastActivityAt === undefined) return;
  writeFileSync(join(dataDir, RESUME_FILE), `${JSON.stringify({ lastActivityAt })}\n`, {
    mode: 0o600,
  });
}

/** Whether to open the window at start; the note is removed either way. */
export function takeResume(dataDir: string, now: number, idleMs: number): boolean {
  const path = join(dataDir, RESUME_FILE);
  let lastActivityAt: unknown;
  try {
    lastActivityAt = (JSON.parse(readFileSync(path, "utf8")) as { lastActivityAt?: unknown })
      .lastActivityAt;
  } catch {
    return false;
  } finally {
    rmSync(path, { force: true });
  }
  return (
    typeof lastActivityAt === "number" && lastActivityAt <= now && now - lastActivityAt < idleMs
  );
}
