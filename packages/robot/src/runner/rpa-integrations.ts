/**
 * What `heptora run` adds to the child's environment so that Robot Framework and RPA Framework
 * automations are safe and work unchanged (docs/adr/0076). Names of Python classes only, never a
 * value: the classes (in the Python SDK) learn values from the robot, in the child's process.
 *
 * - `ROBOT_OPTIONS` gets `--listener heptora.robot.MaskingListener` appended (every run: RF reads
 *   it whichever way it is started, every other program ignores it), unless it is there already.
 * - `RPA_SECRET_MANAGER` (RPA.Robocorp.Vault) and `RC_VAULT_SECRET_MANAGER` (robocorp.vault)
 *   name Heptora's adapters, unless the automation's environment sets them already.
 *
 * @example
 * rpaIntegrationEnv({ ROBOT_OPTIONS: "--loglevel TRACE" }).ROBOT_OPTIONS;
 * // "--loglevel TRACE --listener heptora.robot.MaskingListener"
 */

export const MASKING_LISTENER = "heptora.robot.MaskingListener";
export const RPA_SECRET_MANAGER = "heptora.rpa.HeptoraSecretManager";
export const RC_VAULT_SECRET_MANAGER = "heptora.robocorp_vault.HeptoraSecretManager";

export function rpaIntegrationEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const added: Record<string, string> = {};
  const options = env.ROBOT_OPTIONS?.trim() ?? "";
  if (!options.split(/\s+/).includes(MASKING_LISTENER)) {
    added.ROBOT_OPTIONS = `${options} --listener ${MASKING_LISTENER}`.trim();
  }
  if (!env.RPA_SECRET_MANAGER) added.RPA_SECRET_MANAGER = RPA_SECRET_MANAGER;
  if (!env.RC_VAULT_SECRET_MANAGER) added.RC_VAULT_SECRET_MANAGER = RC_VAULT_SECRET_MANAGER;
  return added;
}
