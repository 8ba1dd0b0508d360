/**
 * @heptora/sdk: secrets for TypeScript and JavaScript automations, from the local Heptora robot.
 *
 * Run the automation through the robot (`heptora run "Invoice Processing" -- node main.ts`); it
 * sets HEPTORA_ROBOT_SOCKET and a run token scoped to the names that process declares. No runtime
 * dependency: node:http over the robot's socket.
 *
 * @example
 * import { getSecret, HeptoraSecretError } from "@heptora/sdk";
 *
 * const user = await getSecret("SAP_USER");
 * // On failure: HeptoraSecretError with .code ("secret_not_declared", "vault_locked", ...),
 * // .status (the robot's HTTP status, if it answered), .hint, and the robot's message.
 */
export {
  type ClientOptions,
  createClient,
  DEFAULT_TIMEOUT_MS,
  type HeptoraClient,
} from "./client.ts";
export { getSecret, listSecretNames } from "./environment.ts";
export {
  HeptoraSecretError,
  type HeptoraSecretErrorCode,
  type HeptoraSecretErrorOptions,
  type SdkErrorCode,
  SdkErrorCodes,
} from "./errors.ts";
