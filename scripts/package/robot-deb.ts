/**
 * `heptora-robot_<version>_amd64.deb`: the robot for a Debian or Ubuntu machine (docs/adr/0083).
 *
 * | path                                           | what                                        |
 * | ---------------------------------------------- | ------------------------------------------- |
 * | /usr/bin/heptora                               | the self-contained executable (its tray     |
 * |                                                | speaks D-Bus itself: no helper program)     |
 * | /usr/share/applications/heptora.desktop        | the launcher: the Secrets window, starting  |
 * |                                                | the robot first when it is not running      |
 * | /etc/xdg/autostart/heptora.desktop             | starts the robot with every desktop session |
 * |                                                | (`heptora autostart disable` hides it)      |
 * | /usr/lib/systemd/user/heptora.service          | an unattended robot as a user service       |
 * | /lib/systemd/system/heptora@.service           | the same for account %i at boot, no login   |
 * | /usr/share/icons/hicolor/{scalable,N}/apps/... | the icon, SVG and PNG                       |
 *
 * No maintainer scripts: dpkg's own triggers refresh the icon cache and the desktop database.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { desktopEntry } from "../../packages/robot/src/autostart/autostart.ts";
import { renderLogo } from "../../packages/robot/src/tray/logo.ts";
import type { PackageStep } from "./context.ts";
import { buildDeb, manPage, png } from "./deb.ts";
import { ensureExecutable, ROBOT_LINUX } from "./executables.ts";

export const ROBOT_DEB = "heptora-robot";
const ICON_SIZES = [16, 32, 48, 64, 128, 256] as const;

const LAUNCHER = [
  "[Desktop Entry]",
  "Type=Application",
  "Name=Heptora",
  "GenericName=Robot secrets",
  "Comment=Keeps your automations' secrets on this machine",
  'Exec=sh -c "heptora ui || exec heptora start"',
  "Icon=heptora",
  "Terminal=false",
  "Categories=Utility;Security;",
  "Keywords=secrets;RPA;robot;vault;",
  "StartupNotify=false",
  "",
].join("\n");

const USER_UNIT = `[Unit]
Description=Heptora robot (unattended)
Documentation=file:///usr/share/doc/heptora-robot/README
After=network-online.target

[Service]
Type=simple
ExecStart=/usr/bin/heptora start --no-tray
Restart=on-failure
RestartSec=5
NoNewPrivileges=yes

[Install]
WantedBy=default.target
`;

const SYSTEM_TEMPLATE = `[Unit]
Description=Heptora robot (unattended) for %i
Documentation=file:///usr/share/doc/heptora-robot/README
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=%i
ExecStart=/usr/bin/heptora start --no-tray
Restart=on-failure
RestartSec=5
NoNewPrivileges=yes
PrivateTmp=yes
ProtectSystem=full

[Install]
WantedBy=multi-user.target
`;

const README = `Heptora robot
=============

Start it:        heptora start           (a desktop session starts it for you: see below)
Sign in:         heptora login
Secrets window:  heptora ui, or the Heptora launcher, or the tray icon
Help:            heptora --help

With every desktop session: /etc/xdg/autostart/heptora.desktop starts the robot when a person
logs in. 'heptora autostart disable' turns that off for one person (an entry with Hidden=true in
~/.config/autostart), 'heptora autostart enable' turns it back on.

Unattended (no desktop):
  systemctl --user enable --now heptora.service      as the robot's account, with lingering on
                                                     (loginctl enable-linger ACCOUNT), or
  systemctl enable --now heptora@ACCOUNT.service     as root: the robot of ACCOUNT at boot.
Its data is the account's own ($XDG_DATA_HOME/heptora, 0700).
`;

export const robotDeb: PackageStep = {
  name: "robot-deb",
  run: async (context) => {
    const executable = await ensureExecutable(context, ROBOT_LINUX);
    const svg = readFileSync(
      join(context.root, "packages", "robot", "web", "public", "favicon.svg"),
    );
    const output = buildDeb(context, {
      name: ROBOT_DEB,
      control: {
        Section: "utils",
        Priority: "optional",
        Depends: "libc6 (>= 2.28), libstdc++6 (>= 10), libgcc-s1",
        Recommends: "chromium | google-chrome-stable | microsoft-edge-stable",
        Suggests: "dbus-user-session",
      },
      description: {
        summary: "keeps the secrets of automation robots on this machine",
        body: `Heptora's robot holds the values of the secret variables that the Heptora
platform declares for each automation process, encrypted on this machine,
and hands them to the processes it runs (heptora run). Values never leave
the machine. This package holds the heptora command (robot daemon and CLI,
with the Secrets window inside), a launcher, an autostart entry and systemd
units for unattended robots.`,
      },
      files: [
        { path: "/usr/bin/heptora", from: executable, mode: 0o755 },
        { path: "/usr/share/applications/heptora.desktop", text: LAUNCHER },
        {
          path: "/etc/xdg/autostart/heptora.desktop",
          text: desktopEntry(["/usr/bin/heptora", "start"]),
        },
        { path: "/usr/lib/systemd/user/heptora.service", text: USER_UNIT },
        { path: "/lib/systemd/system/heptora@.service", text: SYSTEM_TEMPLATE },
        { path: "/usr/share/icons/hicolor/scalable/apps/heptora.svg", bytes: svg },
        ...ICON_SIZES.map((size) => ({
          path: `/usr/share/icons/hicolor/${size}x${size}/apps/heptora.png`,
          bytes: png(size, renderLogo(size)),
        })),
        { path: "/usr/share/doc/heptora-robot/README", text: README },
        manPage(
          "heptora",
          executable,
          "the Heptora robot: secrets of automations, on this machine",
        ),
      ],
      conffiles: ["/etc/xdg/autostart/heptora.desktop"],
    });
    return [output];
  },
};
