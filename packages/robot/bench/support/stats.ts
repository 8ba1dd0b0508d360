/**
 * What the robot's benches share: the median, and whole commands timed round-robin so that every
 * command sees the same moments of the machine's load.
 */
import { spawnSync } from "node:child_process";

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export interface TimedCommand {
  label: string;
  program: string;
  args: readonly string[];
}

/**
 * Runs each command once a round, `warmup` rounds unmeasured first; every run must exit 0.
 * Returns each label's times in milliseconds (spawn to exit).
 */
export function timeInterleaved(
  commands: readonly TimedCommand[],
  options: { rounds: number; warmup: number; env: NodeJS.ProcessEnv },
): Map<string, number[]> {
  const times = new Map<string, number[]>(commands.map((c) => [c.label, []]));
  for (let round = -options.warmup; round < options.rounds; round++) {
    for (const c of commands) {
      const start = performance.now();
      const result = spawnSync(c.program, c.args, { env: options.env, stdio: "pipe" });
      const elapsed = performance.now() - start;
      if (result.status !== 0) {
        throw new Error(`${c.label} failed (${result.status}): ${result.stderr.toString()}`);
      }
      if (round >= 0) times.get(c.label)?.push(elapsed);
    }
  }
  return times;
}
