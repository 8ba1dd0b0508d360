/** Rules on who may do what, shared by the services (the routes check the same up front). */
import { HeptoraError } from "@heptora/protocol";
import type { UserActor } from "../../http/actors.ts";
import type { AuditActor } from "../audit/audit.repo.ts";

export function assertAdmin(actor: UserActor): void {
  if (actor.role !== "admin") {
    throw new HeptoraError("insufficient_permissions", {
      hint: "Ask an administrator of your organisation.",
    });
  }
}

/** Who did it, for the audit log; with the API token when the change was made through one. */
export function actorRef(actor: {
  id: string;
  email: string;
  apiToken?: { readonly id: string; readonly name: string };
}): AuditActor {
  return actor.apiToken === undefined
    ? { id: actor.id, email: actor.email }
    : {
        id: actor.id,
        email: actor.email,
        apiToken: { id: actor.apiToken.id, name: actor.apiToken.name },
      };
}
