/**
 * The frame of every signed-in screen: a sidebar (a top bar on small screens) with the sections,
 * the signed-in person and sign-out; the page itself goes in <main>.
 */
import { IconAudit, IconSignOut, Logo } from "@heptora/web-kit";
import { type ReactNode, useEffect, useRef, useState } from "react";
import { messageOf } from "../api/client.ts";
import { Link, usePathname } from "../lib/router.tsx";
import { useSession, useUser } from "../lib/session.tsx";
import { IconPeople, IconProcesses, IconRobot } from "./icons.tsx";

const SECTIONS = [
  { to: "/processes", label: "Processes", icon: IconProcesses, adminOnly: false },
  { to: "/robots", label: "Robots", icon: IconRobot, adminOnly: false },
  { to: "/people", label: "People", icon: IconPeople, adminOnly: true },
  { to: "/audit", label: "Audit log", icon: IconAudit, adminOnly: true },
] as const;

export function Layout({ children }: { children: ReactNode }) {
  const user = useUser();
  const { signOut } = useSession();
  const path = usePathname();
  const [signOutError, setSignOutError] = useState<string | null>(null);
  const sections = SECTIONS.filter((s) => !s.adminOnly || user.role === "admin");

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="sidebar">
        <Link to="/processes" className="brand" aria-label="Heptora home">
          <Logo />
        </Link>
        <nav aria-label="Sections" className="nav">
          <ul>
            {sections.map(({ to, label, icon: Icon }) => {
              const current = path === to || path.startsWith(`${to}/`);
              return (
                <li key={to}>
                  <Link
                    to={to}
                    className={current ? "nav-link nav-link-current" : "nav-link"}
                    aria-current={current ? "page" : undefined}
                  >
                    <Icon />
                    <span>{label}</span>
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
        <div className="account">
          <div className="account-who">
            <span className="account-email" title={user.email}>
              {user.email}
            </span>
            <span className={`role role-${user.role}`}>{user.role}</span>
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
      </header>
      <main id="main" className="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

/**
 * The title block of a page. Sets the document title and takes focus when the page changes, so a
 * screen reader announces where the user landed.
 */
export function PageHeader({
  title,
  subtitle,
  back,
  actions,
}: {
  title: string;
  subtitle?: ReactNode;
  back?: { to: string; label: string };
  actions?: ReactNode;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Heptora`;
  }, [title]);
  useEffect(() => {
    // Focus only after in-app navigation, not on the very first paint.
    if (document.activeElement && document.activeElement !== document.body) {
      heading.current?.focus({ preventScroll: true });
    }
  }, []);
  return (
    <div className="page-header">
      <div className="page-header-text">
        {back ? (
          <Link to={back.to} className="back-link">
            ← {back.label}
          </Link>
        ) : null}
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {subtitle ? <div className="page-subtitle">{subtitle}</div> : null}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </div>
  );
}
