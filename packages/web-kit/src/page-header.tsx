/**
 * The title block of a page: an optional way back, the title, a line or two under it and the
 * page's actions. Sets the document title (when the shell names the product) and takes focus after
 * in-app navigation, so a screen reader announces where the user landed.
 */
import { type ReactNode, useEffect, useRef } from "react";
import { Link } from "./router.tsx";
import { useProduct } from "./shell.tsx";

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
  const product = useProduct();
  useEffect(() => {
    if (product !== null) document.title = `${title} · ${product}`;
  }, [title, product]);
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
