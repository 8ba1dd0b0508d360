/**
 * Run tokens: 256-bit random bearer tokens, one per `heptora run`, scoped to one process and
 * kept only in the daemon's memory as SHA-256 digests. A token dies when its run ends (the CLI's
 * connection closes), when the robot signs out, or when the daemon stops.
 */
import { randomUUID, timingSafeEqual } from "node:crypto";
import { newToken, tokenDigest } from "../lib/tokens.ts";

export interface RunRecord {
  runId: string;
  processId: string;
  processName: string;
  /** The person the run was started for: it reads only their values (docs/adr/0066). */
  person: string;
  startedAt: string;
}

export interface RunTokenRegistry {
  issue(
    process: { id: string; name: string },
    person: string,
    now: Date,
  ): { run: RunRecord; token: string };
  /** The run a presented token belongs to, compared in constant time; undefined if none. */
  resolve(token: string): RunRecord | undefined;
  revoke(runId: string): boolean;
  revokeAll(): number;
  /** The runs going on, oldest first. */
  list(): RunRecord[];
  readonly size: number;
}

export function createRunTokenRegistry(): RunTokenRegistry {
  // Keyed by the hex digest: the lookup reveals nothing useful about a guessed token (the
  // digest of a guess is unrelated to the digest of the real one), and the final comparison is
  // timingSafeEqual on equal-length digests.
  const byDigest = new Map<string, { digest: Buffer; run: RunRecord }>();
  const digestByRun = new Map<string, string>();
  return {
    issue(process, person, now) {
      const token = newToken();
      const digest = tokenDigest(token);
      const run: RunRecord = {
        runId: randomUUID(),
        processId: process.id,
        processName: process.name,
        person,
        startedAt: now.toISOString(),
      };
      const key = digest.toString("hex");
      byDigest.set(key, { digest, run });
      digestByRun.set(run.runId, key);
      return { run, token };
    },
    resolve(token) {
      const digest = tokenDigest(token);
      const entry = byDigest.get(digest.toString("hex"));
      if (entry === undefined || !timingSafeEqual(entry.digest, digest)) return undefined;
      return entry.run;
    },
    revoke(runId) {
      const key = digestByRun.get(runId);
      if (key === undefined) return false;
      digestByRun.delete(runId);
      byDigest.delete(key);
      return true;
    },
    revokeAll() {
      const count = byDigest.size;
      byDigest.clear();
      digestByRun.clear();
      return count;
    },
    list() {
      return [...byDigest.values()].map((entry) => entry.run);
    },
    get size() {
      return byDigest.size;
    },
  };
}
