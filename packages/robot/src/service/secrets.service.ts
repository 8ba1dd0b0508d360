/**
 * Values as people manage them (the CLI, the Secrets window): list, set, reveal, unset, history,
 * restore, and the audit log. Writes are audited by the vault in the write's own transaction;
 * a reveal is committed to the audit log before the value is returned.
 */
import {
  closestNames,
  didYouMean,
  type ForgetPersonResponse,
  HeptoraError,
  type LocalAuditVerifyResult,
  type LocalSecretInfo,
  type LocalSecretsList,
  type PeopleList,
  type RevealedSecret,
  SECRET_VALUE_MIN_MASKABLE,
  type SecretHistory,
  SecretValueSchema,
  type UnsetSecretResponse,
} from "@heptora/protocol";
import { normalisePerson } from "@heptora/vault";
import type { Actor } from "./actor.ts";
import type { ChangeSignal } from "./changes.ts";
import type { RefusalTally } from "./refusal-tally.ts";
import type { RemovedNames } from "./removed-names.ts";
import { checkName, declaredNames, findProcess, secretInfo, valueMissing } from "./scope.ts";
import type { SignInStore } from "./sign-in.ts";
import type { VaultHolder } from "./vault-holder.ts";

export interface SecretsServiceDeps {
  vaults: Pick<VaultHolder, "vault">;
  signIn: Pick<SignInStore, "current" | "person">;
  changes: Pick<ChangeSignal, "notify">;
  removedNames: Pick<RemovedNames, "removedFrom" | "renamedTo">;
  /** Refused attempts still being counted: flushed into the log before it is read. */
  refusals?: Pick<RefusalTally, "flush">;
}

export type SecretsService = ReturnType<typeof createSecretsService>;

export function createSecretsService(deps: SecretsServiceDeps) {
  const { vaults, signIn, changes, removedNames, refusals } = deps;

  /** A name no assigned process declares: removed meanwhile, or a typo with close names. */
  function notDeclared(name: string, declared: Iterable<string>): HeptoraError {
    const to = removedNames.renamedTo(name);
    if (to !== undefined && new Set(declared).has(to)) {
      return new HeptoraError("secret_not_declared", {
        message: `${name} was renamed ${to} on the platform.`,
        hint: `Nothing was saved. Use ${to}: values set under ${name} moved with it.`,
      });
    }
    const from = removedNames.removedFrom(name);
    if (from === undefined) return notDeclaredByAny(name, declared);
    return new HeptoraError("secret_not_declared", {
      message: `${name} was removed from ${from.join(", ")} on the platform.`,
      hint: "Nothing was saved. Ask an administrator if the process still needs it.",
    });
  }
  return {
    /**
     * The signed-in person's names grouped by process, set or not, last change; never a value
     * (docs/adr/0066). Empty while no one is signed in.
     */
    listSecrets(query: { process?: string } = {}): LocalSecretsList {
      const vault = vaults.vault();
      const signedIn = signIn.current();
      const processes = vault.definitions().processes;
      const selected =
        query.process === undefined
          ? processes
          : [findProcess(processes, query.process, signedIn !== undefined)];
      // Signed out: no one's values are shown (the definitions went with the sign-in).
      if (signedIn === undefined) return { processes: [], undeclared: [] };
      const person = signIn.person();
      const declared = declaredNames(processes);
      return {
        processes: selected.map((p) => ({
          id: p.id,
          name: p.name,
          description: p.description,
          variables: p.variables.map((variable) => ({
            ...secretInfo(vault, person, variable.name),
            secret: variable.secret,
            description: variable.description,
          })),
        })),
        undeclared: vault
          .listSecrets(person)
          .filter((s) => s.set && !declared.has(s.name))
          .map((s) => secretInfo(vault, person, s.name)),
      };
    },

    /**
     * Stores a value for a name some assigned process declares. A name nobody declares is
     * refused with the close declared names (a typo must not create a stray secret). A value
     * shorter than SECRET_VALUE_MIN_MASKABLE characters cannot be masked safely in run output:
     * refused unless `allowShort`, which is audited as secret.short_allowed (docs/adr/0075).
     */
    async setSecret(
      name: string,
      value: string,
      actor: Actor,
      options: { allowShort?: boolean } = {},
    ): Promise<LocalSecretInfo> {
      const checked = checkName(name);
      const parsed = SecretValueSchema.parse(value);
      const vault = vaults.vault();
      const declared = declaredNames(vault.definitions().processes);
      if (!declared.has(checked)) {
        if (declared.size === 0 && signIn.current() === undefined) {
          throw new HeptoraError("robot_not_signed_in");
        }
        throw notDeclared(checked, declared);
      }
      const short = [...parsed].length < SECRET_VALUE_MIN_MASKABLE;
      if (short && options.allowShort !== true) {
        throw new HeptoraError("secret_value_too_short", {
          hint: "Nothing was saved. Use a longer value, or allow a short one on purpose: `heptora secrets set NAME --allow-short`, or Allow a short value in the Secrets window (recorded in the audit log).",
        });
      }
      const person = signIn.person();
      if (short) {
        // On the record before the value is stored: who chose a value that masking cannot hide.
        await vault.recordAudit({
          type: "secret.short_allowed",
          name: checked,
          actor,
          person,
          outcome: "ok",
          reason: `value shorter than ${SECRET_VALUE_MIN_MASKABLE} characters allowed`,
        });
      }
      vault.setSecret(person, checked, parsed, { actor });
      changes.notify("values");
      return secretInfo(vault, person, checked);
    },

    /** A value for a person (CLI `secrets get`, the window's reveal), audited first. */
    async revealSecret(name: string, actor: Actor): Promise<RevealedSecret> {
      const checked = checkName(name);
      const vault = vaults.vault();
      const person = signIn.person();
      const secret = vault.getSecret(person, checked);
      if (secret === undefined) {
        const declared = declaredNames(vault.definitions().processes);
        if (!declared.has(checked)) throw notDeclared(checked, declared);
        throw valueMissing(checked);
      }
      await vault.recordAudit({
        type: "secret.reveal",
        name: checked,
        actor,
        person,
        outcome: "ok",
      });
      return {
        name: checked,
        value: secret.value,
        version: secret.version,
        updatedAt: secret.updatedAt,
      };
    },

    /** Removes a value; its previous versions stay (encrypted) for `restore`. */
    async unsetSecret(name: string, actor: Actor): Promise<UnsetSecretResponse> {
      const checked = checkName(name);
      const vault = vaults.vault();
      const removed = vault.unsetSecret(signIn.person(), checked, { actor });
      if (removed) changes.notify("values");
      return { name: checked, removed };
    },

    /** The kept versions of a value: numbers and dates, never values. */
    history(name: string): SecretHistory {
      const checked = checkName(name);
      const vault = vaults.vault();
      return { name: checked, versions: vault.history(signIn.person(), checked) };
    },

    /** Makes a kept version current again (as a new version). */
    async restoreSecret(name: string, version: number, actor: Actor): Promise<LocalSecretInfo> {
      const checked = checkName(name);
      const vault = vaults.vault();
      const person = signIn.person();
      vault.restoreSecret(person, checked, version, { actor });
      changes.notify("values");
      return secretInfo(vault, person, checked);
    },

    /**
     * Moves the signed-in person's value `from`, which no assigned process declares any more,
     * and its history onto the declared name `to`, which has no value yet (re-sealed, audited
     * secret.moved). Refused otherwise, with the reason; nothing changes then.
     */
    async moveSecret(from: string, to: string, actor: Actor): Promise<LocalSecretInfo> {
      const source = checkName(from);
      const target = checkName(to);
      const vault = vaults.vault();
      const declared = declaredNames(vault.definitions().processes);
      if (!declared.has(target) && source !== target) {
        if (declared.size === 0 && signIn.current() === undefined) {
          throw new HeptoraError("robot_not_signed_in");
        }
        throw notDeclared(target, declared);
      }
      const person = signIn.person();
      vault.moveSecret(person, source, target, { actor });
      changes.notify("values");
      return secretInfo(vault, person, target);
    },

    /**
     * Removes another person's values and their history from this robot, audited with the count,
     * never opening them (docs/adr/0066). The signed-in person is refused: they would lose their
     * own values (they unset them one by one instead).
     */
    /** Whose values this robot holds, the signed-in person first marked; never a value. */
    listPeople(): PeopleList {
      const signedIn = signIn.current()?.email;
      const current = signedIn === undefined || signedIn === "" ? "" : normalisePerson(signedIn);
      return {
        people: vaults
          .vault()
          .people()
          .map((email) => ({ email, signedIn: email === current })),
      };
    },

    async forgetPerson(email: string, actor: Actor): Promise<ForgetPersonResponse> {
      const vault = vaults.vault();
      const person = normalisePerson(email);
      const signedIn = signIn.current()?.email;
      if (signedIn !== undefined && signedIn !== "" && normalisePerson(signedIn) === person) {
        throw new HeptoraError("validation_failed", {
          message: `${person} is signed in on this robot: their values are not forgotten.`,
          hint: "Sign in as someone else first, or unset the values one by one.",
        });
      }
      const removed = vault.forgetPerson(person, { actor });
      if (removed > 0) changes.notify("values");
      return { email: person, removed };
    },

    listAudit(query: { limit?: number; beforeSeq?: number; type?: string; name?: string }) {
      const vault = vaults.vault();
      refusals?.flush(); // the counts of refused attempts so far, in the log before it is read
      return { entries: vault.listAudit(query) };
    },

    verifyAudit(): LocalAuditVerifyResult {
      vaults.vault();
      refusals?.flush();
      const result = vaults.vault().verifyAudit();
      return { ok: result.ok, count: result.count, problems: result.problems };
    },
  };
}

/** A name no assigned process declares, with the closest declared names in the message. */
function notDeclaredByAny(name: string, declared: Iterable<string>): HeptoraError {
  const suggestion = didYouMean(closestNames(name, declared));
  return new HeptoraError("secret_not_declared", {
    message: `No process assigned to this robot declares '${name}'.${suggestion === undefined ? "" : ` ${suggestion}`}`,
    ...(suggestion === undefined && { hint: "See `heptora secrets list` for the declared names." }),
  });
}
