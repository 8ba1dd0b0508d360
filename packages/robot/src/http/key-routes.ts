/**
 * The vault's key slots and lock, declared once and mounted on both servers like the person
 * routes (person-routes.ts): under `/v1/manage` on the socket (management token) and under `/api`
 * in the Secrets window (session, Host, Origin, CSRF). docs/adr/0078 says who may do what:
 * unlocking and locking need only the server's own credential (the vault's key is the OS user's,
 * and while locked nobody's sign-in can be known); adding or removing a slot also needs the vault
 * unlocked and a person signed in, who is named in the audit entry.
 *
 * | name                | method | path                                  |
 * | ------------------- | ------ | ------------------------------------- |
 * | vault.status        | GET    | /vault/status                         |
 * | vault.slots.list    | GET    | /vault/slots                          |
 * | vault.slots.add     | POST   | /vault/slots {kind, passphrase?, label?} |
 * | vault.slots.remove  | DELETE | /vault/slots/:id                      |
 * | vault.unlock        | POST   | /vault/unlock {passphrase} or {recoveryKey} |
 * | vault.lock          | POST   | /vault/lock                           |
 */
import { HeptoraError } from "@heptora/protocol";
import { z } from "zod";
import type { VaultKeys } from "../keys/vault-keys.ts";
import { defineRoute, type Route } from "./route.ts";

const Label = z.string().min(1).max(100).optional();
const Passphrase = z.string().min(1).max(1024);

export const AddSlotRequestSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("passphrase"), passphrase: Passphrase, label: Label }),
  z.strictObject({ kind: z.literal("recovery"), label: Label }),
  z.strictObject({ kind: z.literal("os-keychain"), label: Label }),
]);

export const UnlockRequestSchema = z.union([
  z.strictObject({ passphrase: Passphrase }),
  z.strictObject({ recoveryKey: z.string().min(1).max(200) }),
]);

const SlotParams = z.strictObject({ id: z.string().min(1).max(100) });

export function keyRoutes(keys: VaultKeys, signedInPerson: () => string | null): Route[] {
  const person = (): string => {
    const email = signedInPerson();
    if (email === null) {
      throw new HeptoraError("robot_not_signed_in", {
        message: "Sign in before changing the vault's key slots.",
        hint: "heptora login (the audit log names who changed them).",
      });
    }
    return email;
  };
  return [
    defineRoute({
      name: "vault.status",
      method: "GET",
      path: "/vault/status",
      summary: "Locked or not, the key slots, auto-lock and the key-file warning",
      handler: () => keys.status(),
    }),
    defineRoute({
      name: "vault.slots.list",
      method: "GET",
      path: "/vault/slots",
      summary: "The vault's key slots (id, kind, created)",
      handler: () => ({ slots: keys.status().slots }),
    }),
    defineRoute({
      name: "vault.slots.add",
      method: "POST",
      path: "/vault/slots",
      summary: "Add a passphrase, recovery key (shown once) or OS keychain slot",
      body: AddSlotRequestSchema,
      handler: ({ body, actor }) => {
        if (keys.current() === null) return keys.addSlot(body, { actor, person: "" });
        return keys.addSlot(body, { actor, person: person() });
      },
    }),
    defineRoute({
      name: "vault.slots.remove",
      method: "DELETE",
      path: "/vault/slots/:id",
      summary: "Remove a key slot (never the last; the key file or keychain entry goes with it)",
      params: SlotParams,
      handler: ({ params, actor }) => {
        if (keys.current() === null) return keys.removeSlot(params.id, { actor, person: "" });
        return keys.removeSlot(params.id, { actor, person: person() });
      },
    }),
    defineRoute({
      name: "vault.unlock",
      method: "POST",
      path: "/vault/unlock",
      summary: "Unlock the vault with a passphrase or a recovery key (rate limited)",
      body: UnlockRequestSchema,
      handler: ({ body, actor }) => keys.unlock(body, actor),
    }),
    defineRoute({
      name: "vault.lock",
      method: "POST",
      path: "/vault/lock",
      summary: "Lock the vault: the data key is wiped from memory until the next unlock",
      handler: ({ actor }) => keys.lock(actor),
    }),
  ];
}
