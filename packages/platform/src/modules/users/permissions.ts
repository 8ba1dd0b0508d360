/** Rules on who may do what, shared by the services (the routes check the same up front). */
import { HeptoraError } from "@heptora/protocol";
import type { UserActor } from "../../http/actors.ts";

export function assertAdmin(actor: UserActor): void {
  if (actor.role !== "admin") {
    throw new HeptoraError("insufficient_permissions", {
      hint: "Ask an administrator of your organisation.",
    });
  }
}

export function actorRef(actor: { id: string; email: string }) {
  return { id: actor.id, email: actor.email };
}
