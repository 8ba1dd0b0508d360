/**
 * The frame of every signed-in screen: the kit's shell, with the admin app's sections (People and
 * the audit log for admins only), the signed-in person and sign-out.
 */
import {
  AppShell,
  IconAudit,
  IconSignOut,
  Link,
  Logo,
  SectionLink,
  SectionNav,
} from "@heptora/web-kit";
import { type ReactNode, useState } from "react";
import { messageOf } from "../api/client.ts";
import { useSession, useUser } from "../lib/session.tsx";
import { IconKey, IconPeople, IconProcesses, IconRobot } from "./icons.tsx";
import { RoleBadge } from "./role-badge.tsx";

const SECTIONS = [
  { to: "/processes", label: "Processes", icon: IconProcesses, adminOnly: false },
  { to: "/robots", label: "Robots", icon: IconRobot, adminOnly: false },
  { to: "/people", label: "People", icon: IconPeople, adminOnly: true },
  { to: "/audit", label: "Audit log", icon: IconAudit, adminOnly: true },
  { to: "/tokens", label: "API tokens", icon: IconKey, adminOnly: true },
] as const;

export function Layout({ children }: { children: ReactNode }) {
  const user = useUser();
  const { signOut } = useSession();
  const [signOutError, setSignOutError] = useState<string | null>(null);
  const sections = SECTIONS.filter((s) => !s.adminOnly || user.role === "admin");

  const sidebar = (
    <>
      <Link to="/processes" className="brand" aria-label="Heptora home">
        <Logo />
      </Link>
      <SectionNav>
        {sections.map(({ to, label, icon: Icon }) => (
          <SectionLink key={to} to={to} icon={<Icon />}>
            {label}
          </SectionLink>
        ))}
      </SectionNav>
      <div className="account">
        <div className="account-who">
          <span className="account-email" title={user.email}>
            {user.email}
          </span>
          <RoleBadge role={user.role} />
        </div>
        <button
          type="button"
          className="button button-ghost account-signout"
          onClick={() => signOut().catch((e: unknown) => setSignOutError(messageOf(e)))}
        >
          <IconSignOut />
          <span>Sign out</span>
        </button>
        {signOutError ? (
          <p className="form-error" role="alert">
            {signOutError}
          </p>
        ) : null}
      </div>
    </>
  );
  return (
    <AppShell sidebar={sidebar} product="Heptora">
      {children}
    </AppShell>
  );
}
