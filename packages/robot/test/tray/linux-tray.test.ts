/**
 * The Linux tray on a real, private dbus-daemon: without a watcher it refuses in one line; with
 * a StatusNotifierWatcher played by the test (through our client, on its own connection) it
 * registers, answers Properties, GetLayout, Event and the rest as a tray host would call them,
 * re-registers when the watcher comes back, survives hostile calls, and answers gdbus and
 * dbus-send (independent implementations) too. No X, no sleeps: every wait is on a signal or a
 * reply.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import type { DBusConnection } from "../../src/tray/linux/dbus-connection.ts";
import { type DBusError, DBusErrorName } from "../../src/tray/linux/dbus-error.ts";
import { type DBusValue, type Variant, variant } from "../../src/tray/linux/dbus-marshal.ts";
import type { DBusMessage } from "../../src/tray/linux/dbus-message.ts";
import { objectHandler } from "../../src/tray/linux/dbus-object.ts";
import { ACTION_MENU_ID, MENU_PATH, MenuId } from "../../src/tray/linux/dbusmenu.ts";
import { startLinuxTray, WATCHER_NAME, WATCHER_PATH } from "../../src/tray/linux/linux-tray.ts";
import { ITEM_PATH } from "../../src/tray/linux/status-notifier-item.ts";
import {
  type Tray,
  type TrayAction,
  type TrayState,
  TrayUnavailableError,
} from "../../src/tray/tray.ts";
import { nextSignal, type PrivateBus, startPrivateBus } from "./private-bus.ts";

const run = promisify(execFile);

const ITEMS: TrayState["items"] = [
  { action: "secrets", label: "Secrets", enabled: true },
  { action: "settings", label: "Settings", enabled: true },
  { action: "logout", label: "Log out", enabled: true },
  { action: "quit", label: "Quit Heptora", enabled: true },
];
const SIGNED_IN: TrayState = {
  status: "Signed in as ana_b@example.com",
  tooltip: "Heptora 0.1.0\nSigned in as ana_b@example.com",
  items: ITEMS,
};

let bus: PrivateBus;

before(async () => {
  bus = await startPrivateBus();
});
after(async () => {
  await bus.stop();
});

interface FakeWatcher {
  connection: DBusConnection;
  registrations: { service: string; sender: string }[];
  nextRegistration(): Promise<{ service: string; sender: string }>;
}

/** An org.kde.StatusNotifierWatcher, as a panel would provide it. */
async function startWatcher(): Promise<FakeWatcher> {
  const connection = await bus.connect();
  const registrations: FakeWatcher["registrations"] = [];
  let waiters: ((entry: { service: string; sender: string }) => void)[] = [];
  connection.exportObject(
    WATCHER_PATH,
    objectHandler([
      {
        name: WATCHER_NAME,
        methods: {
          RegisterStatusNotifierItem: {
            in: "s",
            out: "",
            handle: ([service], call) => {
              const entry = { service: service as string, sender: call.sender ?? "" };
              registrations.push(entry);
              for (const waiter of waiters) waiter(entry);
              waiters = [];
              return { signature: "", body: [] };
            },
          },
        },
        signals: {},
        properties: () => ({ IsStatusNotifierHostRegistered: variant("b", true) }),
      },
    ]),
  );
  const [result] = await connection.callBus("RequestName", "su", [WATCHER_NAME, 4]);
  assert.equal(result, 1);
  return {
    connection,
    registrations,
    nextRegistration: () => new Promise((resolve) => waiters.push(resolve)),
  };
}

function call(
  from: DBusConnection,
  destination: string,
  path: string,
  iface: string,
  member: string,
  signature = "",
  body: unknown[] = [],
): Promise<DBusValue[]> {
  return from.call({ destination, path, interface: iface, member, signature, body });
}

type Layout = [number, ReadonlyMap<string, Variant>, Variant[]];

function children(layout: DBusValue): { id: number; props: Record<string, DBusValue> }[] {
  const [, , kids] = layout as Layout;
  return kids.map((kid) => {
    const [id, props] = kid.value as Layout;
    return {
      id,
      props: Object.fromEntries([...props].map(([name, value]) => [name, value.value])),
    };
  });
}

describe("where no tray host exists", () => {
  test("no session bus address: a one-line reason", async () => {
    await assert.rejects(
      startLinuxTray(SIGNED_IN, { sessionBusAddress: undefined }),
      (error: Error) =>
        error instanceof TrayUnavailableError && /DBUS_SESSION_BUS_ADDRESS/.test(error.message),
    );
  });

  test("an unreachable bus: a one-line reason", async () => {
    await assert.rejects(
      startLinuxTray(SIGNED_IN, { sessionBusAddress: "unix:path=/nonexistent/heptora-bus" }),
      (error: Error) =>
        error instanceof TrayUnavailableError &&
        /cannot be reached \(.*ENOENT\)/.test(error.message) &&
        !error.message.includes("\n"),
    );
  });

  test("a bus without a StatusNotifierWatcher: a one-line reason", async () => {
    await assert.rejects(
      startLinuxTray(SIGNED_IN, { sessionBusAddress: bus.address }),
      (error: Error) =>
        error instanceof TrayUnavailableError &&
        /org\.kde\.StatusNotifierWatcher/.test(error.message),
    );
  });
});

describe("with a StatusNotifierWatcher", () => {
  let watcher: FakeWatcher;
  let host: DBusConnection;
  let tray: Tray;
  let item: string;
  const picked: TrayAction[] = [];
  let pickWaiters: ((action: TrayAction) => void)[] = [];
  const warnings: string[] = [];

  before(async () => {
    watcher = await startWatcher();
    host = await bus.connect();
    const registered = watcher.nextRegistration();
    tray = await startLinuxTray(SIGNED_IN, {
      sessionBusAddress: bus.address,
      onWarning: (message) => warnings.push(message),
    });
    tray.onAction((action) => {
      picked.push(action);
      for (const waiter of pickWaiters) waiter(action);
      pickWaiters = [];
    });
    item = (await registered).service;
  });
  after(async () => {
    await tray.close();
  });

  const nextPick = () => new Promise<TrayAction>((resolve) => pickWaiters.push(resolve));
  const menu = (member: string, signature = "", body: unknown[] = []) =>
    call(host, item, MENU_PATH, "com.canonical.dbusmenu", member, signature, body);

  test("the item registers with the watcher under its own well-known name", async () => {
    assert.match(item, /^org\.kde\.StatusNotifierItem-\d+-\d+$/);
    const [owner] = await host.callBus("GetNameOwner", "s", [item]);
    assert.equal(watcher.registrations[0]?.sender, owner);
  });

  test("Properties.GetAll on the item: title, status, tooltip, logo pixmaps, menu", async () => {
    const [all] = await call(
      host,
      item,
      ITEM_PATH,
      "org.freedesktop.DBus.Properties",
      "GetAll",
      "s",
      ["org.kde.StatusNotifierItem"],
    );
    const props = all as ReadonlyMap<string, Variant>;
    assert.equal(props.get("Title")?.value, "Heptora");
    assert.equal(props.get("Status")?.value, "Active");
    assert.equal(props.get("Menu")?.value, MENU_PATH);
    assert.equal(props.get("ItemIsMenu")?.value, true);
    assert.deepEqual((props.get("ToolTip")?.value as DBusValue[]).slice(2), [
      "Heptora 0.1.0",
      "Signed in as ana_b@example.com",
    ]);
    const pixmaps = props.get("IconPixmap")?.value as [number, number, Uint8Array][];
    assert.deepEqual(
      pixmaps.map(([w, h]) => [w, h]),
      [
        [22, 22],
        [32, 32],
        [48, 48],
      ],
    );
    for (const [w, h, argb] of pixmaps) {
      assert.equal(argb.length, w * h * 4);
      const centre = ((h >> 1) * w + (w >> 1)) * 4;
      assert.equal(argb[centre], 255, "the centre is opaque");
      assert.equal(argb[0], 0, "the rounded corner is transparent");
    }
  });

  test("GetLayout: the five entries, the status line disabled, separators between", async () => {
    const [revision, layout] = await menu("GetLayout", "iias", [0, -1, []]);
    assert.equal(typeof revision, "number");
    const entries = children(layout as DBusValue);
    const labelled = entries.filter((entry) => entry.props.type !== "separator");
    assert.deepEqual(
      labelled.map((entry) => [entry.props.label, entry.props.enabled]),
      [
        ["Signed in as ana__b@example.com", false],
        ["Secrets", true],
        ["Settings", true],
        ["Log out", true],
        ["Quit Heptora", true],
      ],
    );
    assert.equal(entries[0]?.id, MenuId.Status);
    assert.equal(entries[1]?.props.type, "separator");
    assert.equal(entries.at(-2)?.props.type, "separator");
  });

  test("GetGroupProperties, GetProperty and AboutToShow answer as dbusmenu hosts expect", async () => {
    const [groups] = await menu("GetGroupProperties", "aias", [
      [MenuId.Status, ACTION_MENU_ID.quit, 999],
      ["label"],
    ]);
    assert.deepEqual(
      (groups as [number, ReadonlyMap<string, Variant>][]).map(([id, props]) => [
        id,
        props.get("label")?.value,
        props.has("enabled"),
      ]),
      [
        [MenuId.Status, "Signed in as ana__b@example.com", false],
        [ACTION_MENU_ID.quit, "Quit Heptora", false],
      ],
    );
    const [label] = await menu("GetProperty", "is", [ACTION_MENU_ID.secrets, "label"]);
    assert.deepEqual(label, variant("s", "Secrets"));
    assert.deepEqual(await menu("AboutToShow", "i", [0]), [false]);
    assert.deepEqual(await menu("AboutToShowGroup", "ai", [[0, 12345]]), [[], [12345]]);
    const [version] = await call(
      host,
      item,
      MENU_PATH,
      "org.freedesktop.DBus.Properties",
      "Get",
      "ss",
      ["com.canonical.dbusmenu", "Version"],
    );
    assert.deepEqual(version, variant("u", 3));
  });

  test("Event clicked on Secrets reaches onAction; on the status line, nothing", async () => {
    const pick = nextPick();
    await menu("Event", "isvu", [MenuId.Status, "clicked", variant("i", 0), 0]);
    await menu("Event", "isvu", [ACTION_MENU_ID.secrets, "hovered", variant("i", 0), 0]);
    await menu("Event", "isvu", [ACTION_MENU_ID.secrets, "clicked", variant("i", 0), 0]);
    assert.equal(await pick, "secrets");
    assert.deepEqual(picked, ["secrets"]);

    const quit = nextPick();
    const [errors] = await menu("EventGroup", "a(isvu)", [
      [
        [ACTION_MENU_ID.quit, "clicked", variant("s", ""), 0],
        [4242, "clicked", variant("s", ""), 0],
      ],
    ]);
    assert.equal(await quit, "quit");
    assert.deepEqual(errors, [4242]);
  });

  test("update() emits LayoutUpdated and NewToolTip; the next GetLayout has the new status", async () => {
    await host.addMatch(`type='signal',sender='${item}'`);
    const layoutUpdated = nextSignal(host, (m) => m.member === "LayoutUpdated");
    const tooltipChanged = nextSignal(host, (m) => m.member === "NewToolTip");
    const [before] = await menu("GetLayout", "iias", [0, -1, []]);
    tray.update({
      status: "Platform unreachable, working offline",
      tooltip: "Heptora 0.1.0\nPlatform unreachable, working offline",
      items: ITEMS.map((entry) =>
        entry.action === "logout" ? { ...entry, enabled: false } : entry,
      ),
    });
    const signal = await layoutUpdated;
    assert.deepEqual(signal.body, [(before as number) + 1, 0]);
    await tooltipChanged;
    const [revision, layout] = await menu("GetLayout", "iias", [0, -1, ["label", "enabled"]]);
    assert.equal(revision, (before as number) + 1);
    const entries = children(layout as DBusValue);
    assert.equal(entries[0]?.props.label, "Platform unreachable, working offline");
    assert.equal(entries.find((entry) => entry.id === ACTION_MENU_ID.logout)?.props.enabled, false);

    // A disabled item's click does nothing.
    await menu("Event", "isvu", [ACTION_MENU_ID.logout, "clicked", variant("i", 0), 0]);
    const settings = nextPick();
    await menu("Event", "isvu", [ACTION_MENU_ID.settings, "clicked", variant("i", 0), 0]);
    assert.equal(await settings, "settings");
    assert.ok(!picked.includes("logout"));
  });

  test("hostile calls get errors and change nothing", async () => {
    const refused = async (promise: Promise<unknown>, name: string) =>
      assert.rejects(promise, (error: DBusError) => error.errorName === name);
    await refused(menu("GetLayout", "s", ["x"]), DBusErrorName.InvalidArgs);
    await refused(menu("GetLayout", "iias", [77, -1, []]), DBusErrorName.InvalidArgs);
    await refused(menu("Nope"), DBusErrorName.UnknownMethod);
    await refused(
      call(host, item, "/Elsewhere", "com.canonical.dbusmenu", "GetLayout"),
      DBusErrorName.UnknownObject,
    );
    await refused(
      call(host, item, ITEM_PATH, "org.freedesktop.DBus.Properties", "Get", "ss", [
        "org.kde.StatusNotifierItem",
        "__proto__",
      ]),
      DBusErrorName.UnknownProperty,
    );
    await refused(
      call(host, item, ITEM_PATH, "org.freedesktop.DBus.Properties", "Set", "ssv", [
        "org.kde.StatusNotifierItem",
        "Title",
        variant("s", "pwned"),
      ]),
      DBusErrorName.PropertyReadOnly,
    );
    await refused(
      menu("GetGroupProperties", "aias", [Array.from({ length: 1000 }, (_, i) => i), []]),
      DBusErrorName.LimitsExceeded,
    );
    // Still answering.
    assert.deepEqual(await call(host, item, "/", "org.freedesktop.DBus.Peer", "Ping"), []);
    assert.deepEqual(await menu("AboutToShow", "i", [0]), [false]);
  });

  test("gdbus and dbus-send, independent D-Bus implementations, read the item and menu", async () => {
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: bus.address };
    const layout = await run(
      "gdbus",
      [
        "call",
        "--session",
        "--dest",
        item,
        "--object-path",
        MENU_PATH,
        "--method",
        "com.canonical.dbusmenu.GetLayout",
        "--",
        "0",
        "-1",
        "[]",
      ],
      { env },
    );
    assert.match(layout.stdout, /'label': <'Platform unreachable, working offline'>/);
    assert.match(layout.stdout, /'enabled': <false>/);

    const props = await run(
      "dbus-send",
      [
        "--session",
        "--print-reply",
        `--dest=${item}`,
        ITEM_PATH,
        "org.freedesktop.DBus.Properties.GetAll",
        "string:org.kde.StatusNotifierItem",
      ],
      { env },
    );
    assert.match(props.stdout, /string "IconPixmap"/);
    assert.match(props.stdout, /int32 48/);

    const pick = nextPick();
    await run(
      "gdbus",
      [
        "call",
        "--session",
        "--dest",
        item,
        "--object-path",
        MENU_PATH,
        "--method",
        "com.canonical.dbusmenu.Event",
        "--",
        String(ACTION_MENU_ID.secrets),
        "clicked",
        "<0>",
        "0",
      ],
      { env },
    );
    assert.equal(await pick, "secrets");
  });

  test("a restarted watcher gets the item registered again", async () => {
    await watcher.connection.close();
    const restarted = startWatcher();
    // The registration may come before startWatcher returns: listen from the connection's start.
    const again = await restarted;
    const entry = again.registrations[0] ?? (await again.nextRegistration());
    assert.equal(entry.service, item);
    watcher = again;
  });

  test("close() takes the item's name off the bus", async () => {
    const gone = nextSignal(
      host,
      (m: DBusMessage) => m.member === "NameOwnerChanged" && m.body[0] === item && m.body[2] === "",
    );
    await host.addMatch(
      `type='signal',sender='org.freedesktop.DBus',member='NameOwnerChanged',arg0='${item}'`,
    );
    await tray.close();
    await gone;
    assert.deepEqual(await host.callBus("NameHasOwner", "s", [item]), [false]);
    assert.deepEqual(warnings, []);
  });
});
