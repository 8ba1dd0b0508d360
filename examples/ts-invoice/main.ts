/**
 * Invoice Processing, in TypeScript: reads its SAP credentials from the local Heptora robot.
 *
 * Run from the repository root, through the robot, which grants this run access to the names the
 * process "Invoice Processing" declares:
 *
 *   npx heptora run "Invoice Processing" -- node examples/ts-invoice/main.ts
 */
import { getSecret, HeptoraSecretError } from "@heptora/sdk";

async function main(): Promise<number> {
  let user: string;
  let password: string;
  try {
    [user, password] = await Promise.all([getSecret("SAP_USER"), getSecret("SAP_PASSWORD")]);
  } catch (error) {
    if (!(error instanceof HeptoraSecretError)) throw error;
    // The message is the robot's, written for whoever runs this: what went wrong, what to do.
    console.error(`Invoice Processing: ${error.message}`);
    return 1;
  }

  // A real automation would hand these to the SAP client here. We print the user name on purpose
  // to show what `heptora run` does with it: the robot masks every value the process declares, so
  // the line reads "Logged in to SAP as ***". (Do not print secrets in real code: the masking is
  // a safety net, not a licence.) The password is only measured, never printed.
  console.log(`Logged in to SAP as ${user}`);
  console.log(`Password received (${password.length} characters).`);
  console.log("Processed 3 invoices.");
  return 0;
}

process.exitCode = await main();
