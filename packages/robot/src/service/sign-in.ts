/**
 * The robot's sign-in as the vault keeps it (encrypted, like values): the robot token, the robot
 * id and the person's email. Read each time, so a sign-out by any part is seen by every other.
 */
import { HeptoraError } from "@heptora/protocol";
import { Settings } from "./service-vault.ts";
import type { VaultHolder } from "./vault-holder.ts";

export interface SignIn {
  token: string;
  robotId: string;
  email: string;
}

export interface SignInStore {
  /** The sign-in kept in the vault, if any (throws vault_locked while locked). */
  current(): SignIn | undefined;
  /** The sign-in, or robot_not_signed_in (401). */
  require(): SignIn;
  /**
   * The person whose values the robot serves now: the signed-in email (docs/adr/0066), or
   * robot_not_signed_in while no one is signed in.
   */
  person(): string;
}

export function createSignInStore(deps: { vaults: Pick<VaultHolder, "vault"> }): SignInStore {
  const store: SignInStore = {
    current() {
      const vault = deps.vaults.vault();
      const token = vault.getSetting(Settings.RobotToken);
      if (token === null) return undefined;
      return {
        token,
        robotId: vault.getSetting(Settings.RobotId) ?? "",
        email: vault.getSetting(Settings.Email) ?? "",
      };
    },
    require() {
      const signIn = store.current();
      if (signIn === undefined) throw new HeptoraError("robot_not_signed_in");
      return signIn;
    },
    person() {
      const email = store.require().email;
      if (email === "") throw new HeptoraError("robot_not_signed_in");
      return email;
    },
  };
  return store;
}
