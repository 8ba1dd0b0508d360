/**
 * What the parts of the robot service share: the vault (or "locked"), the run tokens, the clock,
 * the log, the sign-in kept in the vault settings, and a way to say "values changed" (the sync
 * scheduler then reports soon).
 */
import { HeptoraError } from "@heptora/protocol";
import type { RunTokenRegistry } from "./run-tokens.ts";
import { type ServiceVault, Settings } from "./service-vault.ts";

/** Who acted, as the audit log records it. */
export type Actor = "cli" | "window" | `run:${string}`;

export interface Session {
  token: string;
  robotId: string;
  email: string;
}

export interface ServiceContext {
  /** The open vault; throws vault_locked when it is locked. */
  vault(): ServiceVault;
  /** The vault or null, for callers that must work while locked (status). */
  peekVault(): ServiceVault | null;
  setVault(vault: ServiceVault | null): void;
  runs: RunTokenRegistry;
  clock: () => Date;
  log: (line: string) => void;
  /** The sign-in kept in the vault, if any. */
  session(): Session | undefined;
  /** The sign-in, or robot_not_signed_in (401). */
  requireSession(): Session;
  /** Values changed: the platform's view should follow soon. */
  changed(): void;
  onChanged(listener: () => void): void;
}

export function createServiceContext(options: {
  vault: ServiceVault;
  runs: RunTokenRegistry;
  clock: () => Date;
  log: (line: string) => void;
}): ServiceContext {
  let current: ServiceVault | null = options.vault;
  let listener: (() => void) | undefined;
  const context: ServiceContext = {
    vault() {
      if (current === null) throw new HeptoraError("vault_locked");
      return current;
    },
    peekVault: () => current,
    setVault(vault) {
      current = vault;
    },
    runs: options.runs,
    clock: options.clock,
    log: options.log,
    session() {
      const vault = context.vault();
      const token = vault.getSetting(Settings.RobotToken);
      if (token === null) return undefined;
      return {
        token,
        robotId: vault.getSetting(Settings.RobotId) ?? "",
        email: vault.getSetting(Settings.Email) ?? "",
      };
    },
    requireSession() {
      const session = context.session();
      if (session === undefined) throw new HeptoraError("robot_not_signed_in");
      return session;
    },
    changed() {
      listener?.();
    },
    onChanged(next) {
      listener = next;
    },
  };
  return context;
}
