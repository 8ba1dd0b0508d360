/**
 * `heptora-platform_<version>_amd64.deb`: the platform as a system service (docs/adr/0083).
 *
 * | path                                        | what                                           |
 * | ------------------------------------------- | ---------------------------------------------- |
 * | /usr/bin/heptora-platform                   | the self-contained executable (web app inside) |
 * | /lib/systemd/system/heptora-platform.service | runs `serve` as the system user `heptora`,     |
 * |                                             | hardened, logs to the journal (stdout)         |
 * | /etc/heptora/platform.env                   | its settings (conffile, root:heptora 0640)     |
 * | /var/lib/heptora                            | its data (heptora:heptora 0750), made by       |
 * |                                             | postinst and by systemd's StateDirectory       |
 *
 * The service is not enabled by the package: the admin sets the public URL first, then runs
 * `systemctl enable --now heptora-platform`. The maintainer scripts honour DPKG_ROOT (dpkg
 * --root with --force-script-chrootless), which is how the tests install the package.
 */
import type { PackageStep } from "./context.ts";
import { buildDeb, manPage } from "./deb.ts";
import { ensureExecutable, PLATFORM_LINUX } from "./executables.ts";

export const PLATFORM_DEB = "heptora-platform";

/** The packaged settings: every flag of `serve` as its environment variable. */
export const PLATFORM_ENV = `# Settings of heptora-platform, read by its systemd service (EnvironmentFile).
# Each line is VARIABLE=value; every command-line flag of 'heptora-platform serve' has one
# (see heptora-platform --help). After a change: systemctl restart heptora-platform
# This file may hold the SMTP password: it is readable by root and the heptora group only.

# Where it listens. Behind a reverse proxy keep 127.0.0.1; TLS belongs to the proxy.
HEPTORA_HOST=127.0.0.1
HEPTORA_PORT=8080

# The address people and robots use (links in mails, the Host header check). Set it.
#HEPTORA_PUBLIC_URL=https://heptora.example.com

# SQLite in the service's data directory, or postgres://USER:PASSWORD@HOST:5432/DB
HEPTORA_DB=/var/lib/heptora/platform.db

# Mail (password resets): an SMTP server, else mails are written to the outbox directory.
#HEPTORA_SMTP_URL=smtp://user:password@mail.example.com:587
#HEPTORA_MAIL_FROM=heptora@example.com
HEPTORA_OUTBOX=/var/lib/heptora/outbox

# true only behind a reverse proxy that sets X-Forwarded-For.
HEPTORA_TRUST_PROXY=false

# fatal, error, warn, info, debug or silent (JSON lines on stdout: the journal).
HEPTORA_LOG_LEVEL=info
`;

export const PLATFORM_UNIT = `[Unit]
Description=Heptora platform
Documentation=file:///usr/share/doc/heptora-platform/README
After=network-online.target postgresql.service
Wants=network-online.target

[Service]
Type=simple
User=heptora
Group=heptora
EnvironmentFile=/etc/heptora/platform.env
WorkingDirectory=/var/lib/heptora
ExecStart=/usr/bin/heptora-platform serve
Restart=on-failure
RestartSec=2
# SIGTERM drains the requests in flight; past this it is killed.
TimeoutStopSec=15
StateDirectory=heptora
StateDirectoryMode=0750
UMask=0027
NoNewPrivileges=yes
ProtectSystem=strict
ReadWritePaths=/var/lib/heptora
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
ProtectProc=invisible
RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
LockPersonality=yes
RemoveIPC=yes
CapabilityBoundingSet=
SystemCallArchitectures=native
SystemCallFilter=@system-service
SystemCallFilter=~@privileged @resources

[Install]
WantedBy=multi-user.target
`;

const POSTINST = `#!/bin/sh
# heptora-platform postinst: the system user and its data directory. Never starts the service.
set -e
root="\${DPKG_ROOT:-}"
if [ "$1" = configure ]; then
  # With DPKG_ROOT (dpkg --root, chrootless) the accounts are that root's files, read as files.
  if ! grep -q '^heptora:' "$root/etc/passwd"; then
    useradd --system --user-group --home-dir /var/lib/heptora --no-create-home \\
      --shell /usr/sbin/nologin --comment "Heptora platform" \${root:+--prefix "$root"} heptora
  fi
  uid=$(awk -F: '$1 == "heptora" { print $3 }' "$root/etc/passwd")
  gid=$(awk -F: '$1 == "heptora" { print $3 }' "$root/etc/group")
  mkdir -p "$root/var/lib/heptora"
  chown "$uid:$gid" "$root/var/lib/heptora"
  chmod 0750 "$root/var/lib/heptora"
  chown "0:$gid" "$root/etc/heptora/platform.env"
  chmod 0640 "$root/etc/heptora/platform.env"
  if [ -z "$root" ] && [ -d /run/systemd/system ]; then
    systemctl --system daemon-reload >/dev/null || true
    # An upgrade restarts a running service on the new executable; nothing starts it otherwise.
    deb-systemd-invoke try-restart heptora-platform.service >/dev/null || true
  fi
fi
exit 0
`;

const PRERM = `#!/bin/sh
# heptora-platform prerm: stop the service before its executable goes away.
set -e
if [ "$1" = remove ] && [ -z "\${DPKG_ROOT:-}" ] && [ -d /run/systemd/system ]; then
  deb-systemd-invoke stop heptora-platform.service >/dev/null 2>&1 || true
fi
exit 0
`;

const POSTRM = `#!/bin/sh
# heptora-platform postrm: the data in /var/lib/heptora and the user stay, even on purge: they
# are the organisation's accounts and audit. Remove them by hand if that is meant.
set -e
if [ -z "\${DPKG_ROOT:-}" ] && [ -d /run/systemd/system ]; then
  systemctl --system daemon-reload >/dev/null 2>&1 || true
fi
exit 0
`;

const README = `Heptora platform
================

1. Edit /etc/heptora/platform.env: at least HEPTORA_PUBLIC_URL; HEPTORA_DB for PostgreSQL.
2. Create the first admin:
     sudo -u heptora sh -c 'set -a; . /etc/heptora/platform.env; \\
       heptora-platform create-admin --email you@example.com --password-stdin'
3. systemctl enable --now heptora-platform
4. journalctl -u heptora-platform -f    (JSON lines with request ids)

Health: GET /healthz (alive), GET /readyz (database reachable).
Data: /var/lib/heptora (SQLite database, mail outbox); back it up, or the PostgreSQL database.
`;

export const platformDeb: PackageStep = {
  name: "platform-deb",
  run: async (context) => {
    const executable = await ensureExecutable(context, PLATFORM_LINUX);
    return [
      buildDeb(context, {
        name: PLATFORM_DEB,
        control: {
          Section: "net",
          Priority: "optional",
          Depends:
            "libc6 (>= 2.28), libstdc++6 (>= 10), libgcc-s1, passwd, init-system-helpers (>= 1.50)",
          Suggests: "postgresql, haproxy | nginx",
        },
        description: {
          summary: "web platform of Heptora, secrets for automation robots",
          body: `The Heptora platform holds which secret variables each automation process
needs (names only, never values), the accounts of the people who run them
and the robots they sign in. Robots keep the values on their own machines.
This package runs it as a systemd service under its own system user, with
SQLite in /var/lib/heptora or a PostgreSQL database.`,
        },
        files: [
          { path: "/usr/bin/heptora-platform", from: executable, mode: 0o755 },
          { path: "/lib/systemd/system/heptora-platform.service", text: PLATFORM_UNIT },
          // 0644 in the package (no secret in it yet); postinst makes it root:heptora 0640.
          { path: "/etc/heptora/platform.env", text: PLATFORM_ENV },
          { path: "/usr/share/doc/heptora-platform/README", text: README },
          manPage("heptora-platform", executable, "the Heptora platform server"),
        ],
        conffiles: ["/etc/heptora/platform.env"],
        scripts: { postinst: POSTINST, prerm: PRERM, postrm: POSTRM },
      }),
    ];
  },
};
