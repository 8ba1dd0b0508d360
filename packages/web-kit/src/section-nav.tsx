/**
 * The sections of an app in its sidebar. Each section has its own path, so a reload stays where it
 * was; the current one is marked with aria-current. A section is a link, or a button where the app
 * wants its sections to read as controls of one window.
 */
import type { ReactNode } from "react";
import { Link, navigate, usePathname } from "./router.tsx";

export function SectionNav({ children }: { children: ReactNode }) {
  return (
    <nav aria-label="Sections" className="nav">
      <ul>{children}</ul>
    </nav>
  );
}

/** Whether `path` is in the section at `to`: the section itself or anything below it. */
export function inSection(path: string, to: string): boolean {
  return path === to || path.startsWith(`${to.replace(/\/$/, "")}/`);
}

export function SectionLink({
  to,
  icon,
  current,
  as = "link",
  children,
}: {
  to: string;
  icon: ReactNode;
  /** Whether this section is shown; by default, whether the address is in it. */
  current?: boolean;
  as?: "link" | "button";
  children: ReactNode;
}) {
  const path = usePathname();
  const here = current ?? inSection(path, to);
  const props = {
    className: here ? "nav-link nav-link-current" : "nav-link",
    "aria-current": here ? ("page" as const) : undefined,
  };
  const content = (
    <>
      {icon}
      <span className="nav-label">{children}</span>
    </>
  );
  return (
    <li>
      {as === "link" ? (
        <Link to={to} {...props}>
          {content}
        </Link>
      ) : (
        <button type="button" onClick={() => navigate(to)} {...props}>
          {content}
        </button>
      )}
    </li>
  );
}
