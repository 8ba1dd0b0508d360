/** A person's role as a small-capitals badge: admins stand out, members do not. */
import { Badge } from "@heptora/web-kit";
import type { Role } from "../api/types.ts";

export function RoleBadge({ role }: { role: Role }) {
  return (
    <Badge look="caps" tone={role === "admin" ? "highlight" : "info"}>
      {role}
    </Badge>
  );
}
