/**
 * The window once the robot is signed in: a sidebar (sections, the robot's status with "Sync
 * now", log out) and the current section. Sections have their own paths (/, /activity,
 * /settings) so a reload stays where it was.
 */
import {
  ConfirmDialog,
  exactTime,
  IconAlert,
  IconAudit,
  IconSignOut,
  Logo,
  plural,
  timeAgo,
  useNotify,
} from "@heptora/web-kit";
import { type ReactNode, useEffect, useState } from "react";
import { api, messageOf } from "../api/client.ts";
import type { LogoutResponse, RobotStatus, SyncResult } from "../api/types.ts";
import { IconKey, IconSettings, IconSync } from "../components/icons.tsx";
import { hostOf } from "../lib/format.ts";
import { ActivityPage } from "./activity/activity-page.tsx";
import { SecretsPage } from "./secrets/secrets-page.tsx";
import { SettingsPage } from "./settings-page.tsx";

type Section = "secrets" | "activity" | "settings";

const PATHS: Record<Section, string> = {
  secrets: "/",
  activity: "/activity",
  settings: "/settings",
};

function sectionOfPath(pathname: string): Section {
  if (pathname.startsWith("/activity")) return "activity";
  if (pathname.startsWith("/settings")) return "settings";
  return "secrets";
}

export function Shell({
  status,
  idleMinutes,
  onStatusChange,
}: {
  status: RobotStatus;
  idleMinutes: number;
  onStatusChange: () => void;
}) {
  const [section, setSection] = useState<Section>(() => sectionOfPath(window.location.pathname));
  const [confirmLogout, setConfirmLogout] = useState(false);
  const [syncVersion, setSyncVersion] = useState(0);
  const notify = useNotify();

  useEffect(() => {
    const onPop = () => setSection(sectionOfPath(window.location.pathname));
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);

  function go(next: Section): void {
    if (next !== section) window.history.pushState(null, "", PATHS[next]);
    setSection(next);
    document.getElementById("main")?.focus();
  }

  async function logout(): Promise<void> {
    const answer = await api.post<LogoutResponse>("/logout");
    notify(
      answer.revokedAtPlatform
        ? "Signed out. Values stay encrypted on this machine."
        : "Signed out here, but the platform could not be told: ask an administrator to revoke this robot.",
      answer.revokedAtPlatform ? "ok" : "info",
    );
    onStatusChange();
  }

  const counts = status.counts;
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="sidebar-brand">
          <Logo size={30} />
          <span className="brand-tag">Robot</span>
        </div>
        <nav className="nav" aria-label="Sections">
          <NavButton
            current={section === "secrets"}
            onClick={() => go("secrets")}
            icon={<IconKey />}
          >
            Secrets
            {counts.missing > 0 ? (
              <span className="nav-count" title={`${counts.missing} without a value`}>
                {counts.missing}
                <span className="visually-hidden"> not set</span>
              </span>
            ) : null}
          </NavButton>
          <NavButton
            current={section === "activity"}
            onClick={() => go("activity")}
            icon={<IconAudit />}
          >
            Activity
          </NavButton>
          <NavButton
            current={section === "settings"}
            onClick={() => go("settings")}
            icon={<IconSettings />}
          >
            Settings
          </NavButton>
        </nav>
        <RobotCard
          status={status}
          onSynced={() => {
            onStatusChange();
            setSyncVersion((v) => v + 1);
          }}
        />
        <button type="button" className="signout" onClick={() => setConfirmLogout(true)}>
          <IconSignOut />
          <span>Log out</span>
        </button>
      </aside>
      <main id="main" className="main" tabIndex={-1}>
        {section === "secrets" ? (
          <SecretsPage status={status} syncVersion={syncVersion} onChange={onStatusChange} />
        ) : null}
        {section === "activity" ? <ActivityPage /> : null}
        {section === "settings" ? <SettingsPage status={status} idleMinutes={idleMinutes} /> : null}
      </main>
      {confirmLogout ? (
        <ConfirmDialog
          title="Log out of the platform?"
          confirmLabel="Log out"
          danger
          onConfirm={logout}
          onClose={() => setConfirmLogout(false)}
        >
          <p>
            The robot forgets its sign-in as <strong>{status.email}</strong> and the processes it
            received. Values stay encrypted on this machine.
          </p>
          <p className="muted">
            Automations cannot read secrets until someone signs in again
            {status.activeRuns > 0
              ? `; ${plural(status.activeRuns, "running automation")} stop now`
              : ""}
            .
          </p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

function NavButton({
  current,
  onClick,
  icon,
  children,
}: {
  current: boolean;
  onClick: () => void;
  icon: ReactNode;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className={current ? "nav-link nav-link-current" : "nav-link"}
      aria-current={current ? "page" : undefined}
      onClick={onClick}
    >
      {icon}
      <span className="nav-label">{children}</span>
    </button>
  );
}

/** Signed in as, platform, last sync and "Sync now". */
function RobotCard({ status, onSynced }: { status: RobotStatus; onSynced: () => void }) {
  const notify = useNotify();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const last = status.sync.lastSyncAt;

  async function syncNow(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const result = await api.post<SyncResult>("/sync");
      notify(
        `Synced: ${plural(result.processes, "process", "processes")}, ${result.changed} changed.`,
      );
      onSynced();
    } catch (cause) {
      setError(messageOf(cause));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="robot-card" aria-label="Robot status">
      <p className="robot-line">
        <span className="robot-label">Signed in as</span>
        <span className="robot-value robot-email" title={status.email ?? ""}>
          {status.email}
        </span>
      </p>
      <p className="robot-line" title={status.platformUrl}>
        <span className="robot-label">Platform</span>
        <span className="robot-value">{hostOf(status.platformUrl)}</span>
      </p>
      <p className="robot-line">
        <span className="robot-label">Last sync</span>
        <span className="robot-value">
          {last === null ? "never" : <time title={exactTime(last)}>{timeAgo(last)}</time>}
        </span>
      </p>
      {status.sync.lastError !== null || error !== null ? (
        <output className="robot-error">
          <IconAlert />
          <span>{error ?? `Last attempt failed: ${status.sync.lastError}`}</span>
        </output>
      ) : null}
      <button type="button" className="button button-sync" onClick={syncNow} disabled={busy}>
        <IconSync />
        {busy ? "Syncing…" : "Sync now"}
      </button>
    </section>
  );
}
