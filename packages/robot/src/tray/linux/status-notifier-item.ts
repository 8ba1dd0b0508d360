/**
 * The tray icon as an org.kde.StatusNotifierItem object at /StatusNotifierItem: the Heptora
 * logo as pixmaps (no icon theme needed), the tooltip (its first line as the title, the rest as
 * the description), and the menu's object path. `ItemIsMenu` is true, so hosts open the menu on
 * a click; a host that calls Activate anyway (a primary click) opens the Secrets window, the
 * usual thing to want. Emits NewToolTip when the tooltip changes.
 */
import type { TrayAction } from "../tray.ts";
import type { DBusConnection } from "./dbus-connection.ts";
import { variant } from "./dbus-marshal.ts";
import { type InterfaceSpec, objectHandler } from "./dbus-object.ts";
import { MENU_PATH } from "./dbusmenu.ts";
import { logoPixmaps } from "./icon-pixmap.ts";
import { plainText } from "./plain-text.ts";

export const ITEM_PATH = "/StatusNotifierItem";
export const ITEM_INTERFACE = "org.kde.StatusNotifierItem";

const MAX_TOOLTIP = 500;

export interface ExportedItem {
  setTooltip(tooltip: string): void;
  dispose(): void;
}

/** Exports the item at ITEM_PATH on `connection`. */
export function exportStatusNotifierItem(
  connection: DBusConnection,
  initialTooltip: string,
  onPick: (action: TrayAction) => void,
): ExportedItem {
  let tooltip = boundedTooltip(initialTooltip);
  const pixmaps = logoPixmaps();
  const none = () => ({ signature: "", body: [] });

  const item: InterfaceSpec = {
    name: ITEM_INTERFACE,
    methods: {
      ContextMenu: { in: "ii", out: "", handle: none },
      Activate: {
        in: "ii",
        out: "",
        handle: () => {
          onPick("secrets");
          return none();
        },
      },
      SecondaryActivate: { in: "ii", out: "", handle: none },
      Scroll: { in: "is", out: "", handle: none },
    },
    signals: {
      NewTitle: "",
      NewIcon: "",
      NewAttentionIcon: "",
      NewOverlayIcon: "",
      NewToolTip: "",
      NewStatus: "s",
    },
    properties: () => {
      const [title = "", ...rest] = tooltip.split("\n");
      return {
        Category: variant("s", "ApplicationStatus"),
        Id: variant("s", "heptora"),
        Title: variant("s", "Heptora"),
        Status: variant("s", "Active"),
        WindowId: variant("i", 0),
        IconName: variant("s", ""),
        IconThemePath: variant("s", ""),
        IconPixmap: variant("a(iiay)", pixmaps),
        OverlayIconName: variant("s", ""),
        OverlayIconPixmap: variant("a(iiay)", []),
        AttentionIconName: variant("s", ""),
        AttentionIconPixmap: variant("a(iiay)", []),
        AttentionMovieName: variant("s", ""),
        ToolTip: variant("(sa(iiay)ss)", ["", [], title, rest.join("\n")]),
        ItemIsMenu: variant("b", true),
        Menu: variant("o", MENU_PATH),
      };
    },
  };

  const unexport = connection.exportObject(ITEM_PATH, objectHandler([item]));
  return {
    setTooltip(next) {
      const bounded = boundedTooltip(next);
      if (bounded === tooltip) return;
      tooltip = bounded;
      connection.emitSignal({ path: ITEM_PATH, interface: ITEM_INTERFACE, member: "NewToolTip" });
    },
    dispose: unexport,
  };
}

function boundedTooltip(text: string): string {
  return plainText(text, MAX_TOOLTIP, true);
}
