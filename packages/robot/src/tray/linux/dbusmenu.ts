/**
 * The tray's menu as a com.canonical.dbusmenu object (protocol version 3), the menu that
 * StatusNotifierItem hosts (KDE, XFCE, GNOME's AppIndicator extension) draw: a root whose
 * children are the disabled status line, a separator, the TrayState's items (a separator before
 * Quit). Ids are stable per action, so a host's cached layout stays right across updates; each
 * update that changes the menu bumps the revision and emits LayoutUpdated. A "clicked" Event on an enabled item calls
 * `onPick` with its action; events for the status line, separators or unknown ids do nothing.
 */
import type { TrayAction, TrayState } from "../tray.ts";
import type { DBusConnection } from "./dbus-connection.ts";
import { DBusError, DBusErrorName } from "./dbus-error.ts";
import { type DBusValue, type Variant, variant } from "./dbus-marshal.ts";
import { type InterfaceSpec, objectHandler } from "./dbus-object.ts";
import { plainText } from "./plain-text.ts";

export const MENU_PATH = "/MenuBar";
export const DBUSMENU_INTERFACE = "com.canonical.dbusmenu";

export const MenuId = {
  Root: 0,
  Status: 1,
  StatusSeparator: 2,
  QuitSeparator: 3,
} as const;

/** Each action's item id: fixed, so it means the same thing in every revision. */
export const ACTION_MENU_ID: Record<TrayAction, number> = {
  secrets: 10,
  settings: 11,
  logout: 12,
  quit: 13,
};

const MAX_LABEL = 300;
const MAX_IDS_PER_CALL = 256;

interface MenuEntry {
  id: number;
  properties: Record<string, Variant>;
  action?: TrayAction;
  enabled: boolean;
}

/** A label as dbusmenu wants it: `_` marks a mnemonic, so a literal one is doubled. */
export function menuLabel(text: string): string {
  return plainText(text, MAX_LABEL).replaceAll("_", "__");
}

function entriesOf(state: TrayState): MenuEntry[] {
  const entries: MenuEntry[] = [
    {
      id: MenuId.Status,
      enabled: false,
      properties: {
        label: variant("s", menuLabel(state.status)),
        enabled: variant("b", false),
      },
    },
    { id: MenuId.StatusSeparator, enabled: false, properties: { type: variant("s", "separator") } },
  ];
  state.items.forEach((item, index) => {
    if (item.action === "quit" && index > 0) {
      entries.push({
        id: MenuId.QuitSeparator,
        enabled: false,
        properties: { type: variant("s", "separator") },
      });
    }
    entries.push({
      id: ACTION_MENU_ID[item.action],
      action: item.action,
      enabled: item.enabled,
      properties: {
        label: variant("s", menuLabel(item.label)),
        enabled: variant("b", item.enabled),
      },
    });
  });
  return entries;
}

export interface ExportedMenu {
  update(state: TrayState): void;
  revision(): number;
  dispose(): void;
}

/** Exports the menu at MENU_PATH on `connection`. */
export function exportDbusMenu(
  connection: DBusConnection,
  initial: TrayState,
  onPick: (action: TrayAction) => void,
): ExportedMenu {
  let revision = 1;
  let entries = entriesOf(initial);
  const rootProperties: Record<string, Variant> = {
    "children-display": variant("s", "submenu"),
  };

  const propertiesOf = (id: number): Record<string, Variant> | undefined =>
    id === MenuId.Root ? rootProperties : entries.find((entry) => entry.id === id)?.properties;

  const filtered = (properties: Record<string, Variant>, names: readonly DBusValue[]) =>
    names.length === 0
      ? properties
      : Object.fromEntries(Object.entries(properties).filter(([name]) => names.includes(name)));

  const layout = (id: number, depth: number, names: readonly DBusValue[]): DBusValue[] => {
    const properties = propertiesOf(id) ?? {};
    const children =
      id === MenuId.Root && depth !== 0
        ? entries.map((entry) => variant("(ia{sv}av)", layout(entry.id, depth - 1, names)))
        : [];
    return [id, filtered(properties, names) as unknown as DBusValue, children];
  };

  const pick = (id: number, eventId: string): boolean => {
    const entry = entries.find((candidate) => candidate.id === id);
    if (!entry && id !== MenuId.Root) return false;
    if (eventId === "clicked" && entry?.action && entry.enabled) onPick(entry.action);
    return true;
  };

  const bounded = (ids: readonly DBusValue[]) => {
    if (ids.length > MAX_IDS_PER_CALL) {
      throw new DBusError(DBusErrorName.LimitsExceeded, "too many ids in one call");
    }
    return ids as number[];
  };

  const menu: InterfaceSpec = {
    name: DBUSMENU_INTERFACE,
    methods: {
      GetLayout: {
        in: "iias",
        out: "u(ia{sv}av)",
        handle: ([parentId, depth, names]) => {
          if (!propertiesOf(parentId as number)) {
            throw new DBusError(DBusErrorName.InvalidArgs, "no menu item with this id");
          }
          const wanted = bounded(names as DBusValue[]);
          return {
            signature: "u(ia{sv}av)",
            body: [revision, layout(parentId as number, depth as number, wanted)],
          };
        },
      },
      GetGroupProperties: {
        in: "aias",
        out: "a(ia{sv})",
        handle: ([ids, names]) => {
          const wanted = bounded(ids as DBusValue[]);
          const all = [MenuId.Root, ...entries.map((entry) => entry.id)];
          const result = (wanted.length === 0 ? all : wanted).flatMap((id) => {
            const properties = propertiesOf(id);
            return properties ? [[id, filtered(properties, bounded(names as DBusValue[]))]] : [];
          });
          return { signature: "a(ia{sv})", body: [result] };
        },
      },
      GetProperty: {
        in: "is",
        out: "v",
        handle: ([id, name]) => {
          const properties = propertiesOf(id as number);
          const value =
            properties && Object.hasOwn(properties, name as string)
              ? properties[name as string]
              : undefined;
          if (!value) throw new DBusError(DBusErrorName.InvalidArgs, "no such item or property");
          return { signature: "v", body: [value] };
        },
      },
      Event: {
        in: "isvu",
        out: "",
        handle: ([id, eventId]) => {
          if (!pick(id as number, eventId as string)) {
            throw new DBusError(DBusErrorName.InvalidArgs, "no menu item with this id");
          }
          return { signature: "", body: [] };
        },
      },
      EventGroup: {
        in: "a(isvu)",
        out: "ai",
        handle: ([events]) => {
          const list = bounded(events as DBusValue[]) as unknown as DBusValue[][];
          const errors = list
            .filter(([id, eventId]) => !pick(id as number, eventId as string))
            .map(([id]) => id as number);
          return { signature: "ai", body: [errors] };
        },
      },
      AboutToShow: {
        in: "i",
        out: "b",
        handle: () => ({ signature: "b", body: [false] }),
      },
      AboutToShowGroup: {
        in: "ai",
        out: "aiai",
        handle: ([ids]) => {
          const unknown = bounded(ids as DBusValue[]).filter((id) => !propertiesOf(id));
          return { signature: "aiai", body: [[], unknown] };
        },
      },
    },
    signals: {
      ItemsPropertiesUpdated: "a(ia{sv})a(ias)",
      LayoutUpdated: "ui",
      ItemActivationRequested: "iu",
    },
    properties: () => ({
      Version: variant("u", 3),
      TextDirection: variant("s", "ltr"),
      Status: variant("s", "normal"),
      IconThemePath: variant("as", []),
    }),
  };

  const unexport = connection.exportObject(MENU_PATH, objectHandler([menu]));
  return {
    update(state) {
      const next = entriesOf(state);
      if (JSON.stringify(next) === JSON.stringify(entries)) return;
      entries = next;
      revision = (revision % 0xffffffff) + 1;
      connection.emitSignal({
        path: MENU_PATH,
        interface: DBUSMENU_INTERFACE,
        member: "LayoutUpdated",
        signature: "ui",
        body: [revision, MenuId.Root],
      });
    },
    revision: () => revision,
    dispose: unexport,
  };
}
