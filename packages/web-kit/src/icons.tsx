/**
 * The icons both apps use, as inline SVG (no icon font, nothing fetched), and the `Svg` frame each
 * app draws its own icons in. Decorative only: `aria-hidden`, never the only label of a control.
 */
import type { ReactNode } from "react";

export function Svg({ children, size = 18 }: { children: ReactNode; size?: number }) {
  return (
    <svg
      className="icon"
      viewBox="0 0 24 24"
      width={size}
      height={size}
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

export const IconAudit = () => (
  <Svg>
    <path d="M6 3h9l4 4v14H6z" />
    <path d="M14 3v5h5M9 12h7M9 16h7" />
  </Svg>
);

export const IconLock = () => (
  <Svg>
    <rect x="5" y="11" width="14" height="10" rx="2" />
    <path d="M8 11V8a4 4 0 0 1 8 0v3" />
  </Svg>
);

export const IconSignOut = () => (
  <Svg>
    <path d="M15 4h3a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-3" />
    <path d="M10 16l-4-4 4-4M6 12h10" />
  </Svg>
);

export const IconSearch = () => (
  <Svg>
    <circle cx="11" cy="11" r="6.5" />
    <path d="M20 20l-4-4" />
  </Svg>
);

export const IconCheck = () => (
  <Svg>
    <path d="M5 12.5l4.5 4.5L19 7.5" />
  </Svg>
);

export const IconAlert = () => (
  <Svg>
    <path d="M12 3l9.5 17h-19z" />
    <path d="M12 10v4M12 17h.01" />
  </Svg>
);

/** The Heptora mark and word; `product` names the app ("Heptora", "Heptora Secrets"). */
export function Logo({ product = "Heptora", size = 28 }: { product?: string; size?: number }) {
  return (
    <span className="logo">
      <svg viewBox="0 0 32 32" width={size} height={size} aria-hidden="true" focusable="false">
        <rect className="logo-tile" width="32" height="32" rx="7" />
        <path
          className="logo-shield"
          d="M16 6l8 3.5v6.2c0 5-3.4 9.1-8 10.3-4.6-1.2-8-5.3-8-10.3V9.5z"
        />
        <circle className="logo-tile" cx="16" cy="15" r="2.6" />
        <path className="logo-tile" d="M15 17h2v4h-2z" />
      </svg>
      <span className="logo-word">{product}</span>
    </span>
  );
}
