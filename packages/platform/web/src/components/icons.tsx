/** The few icons the app uses, as inline SVG (no icon font, nothing fetched). Decorative only. */
import type { ReactNode } from "react";

function Svg({ children }: { children: ReactNode }) {
  return (
    <svg
      className="icon"
      viewBox="0 0 24 24"
      width="18"
      height="18"
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

export const IconProcesses = () => (
  <Svg>
    <rect x="3" y="4" width="18" height="6" rx="1.5" />
    <rect x="3" y="14" width="18" height="6" rx="1.5" />
    <path d="M7 7h.01M7 17h.01" />
  </Svg>
);

export const IconPeople = () => (
  <Svg>
    <circle cx="9" cy="8" r="3.2" />
    <path d="M3 20c.6-3.4 3-5.2 6-5.2s5.4 1.8 6 5.2" />
    <path d="M16 4.8a3.2 3.2 0 0 1 0 6.3M18 15.2c1.6.7 2.6 2.3 3 4.8" />
  </Svg>
);

export const IconRobot = () => (
  <Svg>
    <rect x="4" y="8" width="16" height="11" rx="2.5" />
    <path d="M12 4v4M9 13h.01M15 13h.01M9.5 16.5h5" />
  </Svg>
);

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

export const IconPlus = () => (
  <Svg>
    <path d="M12 5v14M5 12h14" />
  </Svg>
);

export const IconSearch = () => (
  <Svg>
    <circle cx="11" cy="11" r="6.5" />
    <path d="M20 20l-4-4" />
  </Svg>
);

export const IconShield = () => (
  <Svg>
    <path d="M12 3l8 3.5v5.7c0 4.6-3.3 8.5-8 9.8-4.7-1.3-8-5.2-8-9.8V6.5z" />
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
