/**
 * The admin app's own icons, drawn in the kit's `Svg` frame; the icons both apps use come from
 * @heptora/web-kit. Decorative only.
 */
import { Svg } from "@heptora/web-kit";

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

export const IconPlus = () => (
  <Svg>
    <path d="M12 5v14M5 12h14" />
  </Svg>
);

export const IconShield = () => (
  <Svg>
    <path d="M12 3l8 3.5v5.7c0 4.6-3.3 8.5-8 9.8-4.7-1.3-8-5.2-8-9.8V6.5z" />
  </Svg>
);

export const IconKey = () => (
  <Svg>
    <circle cx="8" cy="15" r="4" />
    <path d="M10.9 12.1L20 3M16 7l3 3M14 9l2 2" />
  </Svg>
);
