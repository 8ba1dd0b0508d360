/**
 * `getSecret(name)`: the client for the run this process belongs to, found through the
 * environment `heptora run` sets. The environment is read at each call (an automation may set it
 * late, a test may change it); the client, and so its open connection, is reused while the
 * socket and token stay the same.
 */
import { createClient, type HeptoraClient } from "./client.ts";
import { HeptoraSecretError, SdkErrorCodes } from "./errors.ts";
import { assertSecretName } from "./names.ts";

let current: { socketPath: string; token: string; client: HeptoraClient } | undefined;

/**
 * The value of the secret `name`, declared by the process this automation runs as.
 *
 * @example
 * import { getSecret } from "@heptora/sdk";
 * const password = await getSecret("SAP_PASSWORD");
 */
export async function getSecret(name: string): Promise<string> {
  assertSecretName(name);
  return clientFromEnvironment(process.env).getSecret(name);
}

/**
 * The names the process this automation runs as declares: names only, never a value.
 *
 * @example
 * import { listSecretNames } from "@heptora/sdk";
 * const names = await listSecretNames(); // ["SAP_USER", "SAP_PASSWORD"]
 */
export async function listSecretNames(): Promise<string[]> {
  return clientFromEnvironment(process.env).listSecretNames();
}

function clientFromEnvironment(env: NodeJS.ProcessEnv): HeptoraClient {
  const socketPath = env.HEPTORA_ROBOT_SOCKET;
  const token = env.HEPTORA_RUN_TOKEN;
  if (!socketPath) throw notInARun("HEPTORA_ROBOT_SOCKET");
  if (!token) throw notInARun("HEPTORA_RUN_TOKEN");
  if (current?.socketPath === socketPath && current.token === token) return current.client;
  current?.client.close();
  current = { socketPath, token, client: createClient({ socketPath, token }) };
  return current.client;
}

function notInARun(variable: string): HeptoraSecretError {
  return new HeptoraSecretError(
    SdkErrorCodes.NotInARun,
    `${variable} is not set: run this automation with \`heptora run PROCESS -- ...\` so that ` +
      "it can reach the robot.",
  );
}
