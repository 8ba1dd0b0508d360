/**
 * `heptora run PROCESS [--env NAME...] -- CMD ARGS...`: runs an automation with a run token scoped
 * to the names PROCESS declares. The child starts from this command's environment and working
 * directory plus HEPTORA_ROBOT_SOCKET, HEPTORA_PROCESS and HEPTORA_RUN_TOKEN (and with --env the
 * named values; and Robot Framework's masking listener and RPA Framework's vault adapters,
 * runner/rpa-integrations.ts); its output is masked; its exit code becomes ours. The run token is revoked when
 * the run ends (the daemon ties it to this command's connection).
 */
import { RobotEnv } from "@heptora/protocol";
import { rpaIntegrationEnv } from "../../runner/rpa-integrations.ts";
import { runChild } from "../../runner/run-child.ts";
import type { CommandRun } from "../command.ts";
import { flag, UsageError, writeLine } from "../command.ts";
import { endRunRecord } from "../run-record.ts";

export const run: CommandRun = async ({ client, args, options, rest, io, env }) => {
  const [command, ...commandArgs] = rest;
  if (command === undefined || command === "") {
    throw new UsageError('Give the command to run after --: heptora run "PROCESS" -- CMD ARGS...');
  }
  const envNames = Array.isArray(options.env) ? options.env : [];
  const run = await client().openRun({
    process: args[0] as string,
    env: envNames,
    command: rest,
    requireValues: !flag(options, "allow-missing"),
  });
  try {
    const { grant } = run;
    const childEnv = {
      ...env,
      ...rpaIntegrationEnv(env),
      ...grant.env,
      [RobotEnv.Socket]: grant.socketPath,
      [RobotEnv.Process]: grant.process.name,
      [RobotEnv.RunToken]: grant.token,
    };
    const outcome = await runChild({
      command,
      args: commandArgs,
      cwd: process.cwd(),
      env: childEnv,
      mask: grant.mask,
      maskUpdates: (learn) => run.onMask(learn),
      stdout: io.stdout,
      stderr: io.stderr,
    });
    if (outcome.startError !== undefined) writeLine(io.stderr, outcome.startError);
    await endRunRecord(client(), grant.runId, outcome, io);
    return outcome.exitCode;
  } finally {
    run.close();
  }
};
