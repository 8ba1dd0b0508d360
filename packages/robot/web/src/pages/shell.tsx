/**
 * The window once the robot is signed in: the kit's shell with the window's sidebar (sections,
 * the robot's status with "Sync now", log out) and the current section. Sections have their own
 * paths (/, /activity, /settings) so a reload stays where it was; /logout (from the tray) shows
 * the secrets with the sign-out confirmation open.
 */
import {
  AppShell,
  ConfirmDialog,
  exactTime,
  IconAlert,
  IconAudit,
  IconSignOut,
  inSection,
  Logo,
  matchPath,
  plural,
  SectionLink,
  SectionNav,
  timeAgo,
  useAction,
  useNotify,
  usePathname,
} from "@heptora/web-kit";
import { type ReactNode, useState } from "react";
import { api } from "../api/client.ts";
import type { LogoutResponse, RobotStatus, SyncResult } from "../api/types.ts";
import { IconKey, IconRuns, IconSettings, IconSync } from "../components/icons.tsx";
import { hostOf } from "../lib/format.ts";
import { ActivityPage } from "./activity/activity-page.tsx";
import { RunsPage } from "./runs-page.tsx";
import { SecretsPage } from "./secrets/secrets-page.tsx";
import { SettingsPage } from "./settings-page.tsx";

/** The sections of the window and their paths. */
const SECTIONS = {
  secrets: "/",
  runs: "/runs",
  activity: "/activity",
  settings: "/settings",
} as const;

type Section = keyof typeof SECTIONS;

function sectionOfPath(pathname: string): Section {
  if (inSection(pathname, SECTIONS.runs)) return "runs";
  if (inSection(pathname, SECTIONS.activity)) return "activity";
  if (inSection(pathname, SECTIONS.settings)) return "settings";
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
  const pathname = usePathname();
  const section = sectionOfPath(pathname);
  // The tray's "Log out" opens the window on /logout: it asks here before signing out.
  const [confirmLogout, setConfirmLogout] = useState(() => pathname === "/logout");
  const [syncVersion, setSyncVersion] = useState(0);
  const notify = useNotify();

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
  const sectionLink = (id: Section, icon: ReactNode, label: ReactNode) => (
    <SectionLink to={SECTIONS[id]} as="button" current={section === id} icon={icon}>
      {label}
    </SectionLink>
  );
  const sidebar = (
    <>
      <div className="sidebar-brand">
        <Logo size={30} />
        <span className="brand-tag">Robot</span>
      </div>
      <SectionNav>
        {sectionLink(
          "secrets",
          <IconKey />,
          <>
            Secrets
            {counts.missing > 0 ? (
              <span className="nav-count" title={`${counts.missing} without a value`}>
                {counts.missing}
                <span className="visually-hidden"> not set</span>
              </span>
            ) : null}
          </>,
        )}
        {sectionLink("runs", <IconRuns />, "Runs")}
        {sectionLink("activity", <IconAudit />, "Activity")}
        {sectionLink("settings", <IconSettings />, "Settings")}
      </SectionNav>
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
    </>
  );
  return (
    <AppShell sidebar={sidebar} landmark="aside">
      <IntegrityBanner status={status} />
      {section === "secrets" ? (
        <SecretsPage status={status} syncVersion={syncVersion} onChange={onStatusChange} />
      ) : null}
      {section === "runs" ? (
        <RunsPage runId={matchPath("/runs/:id", pathname)?.id ?? null} />
      ) : null}
      {section === "activity" ? <ActivityPage /> : null}
      {section === "settings" ? <SettingsPage status={status} idleMinutes={idleMinutes} /> : null}
    </AppShell>
  );
}

/**
 * Said on every page while the vault failed an integrity check (docs/adr/0074): a file older than
 * this machine last saw, a deleted one, versions put back, a broken audit chain.
 */
function IntegrityBanner({ status }: { status: RobotStatus }) {
  if (status.integrity.ok) return null;
  return (
    <div className="warning" role="alert" aria-label="Vault integrity">
      <IconAlert />
      <div>
        <p className="warning-title">The vault was changed outside Heptora</p>
        {status.integrity.problems.map((problem) => (
          <p key={problem}>{problem}</p>
        ))}
        <p className="small">
          Reads that cannot be trusted are refused and recorded. Check the values, then set them
          again, or restore the data dir from a backup.
        </p>
      </div>
    </div>
  );
}

/** Signed in as, platform, last sync and "Sync now". */
function RobotCard({ status, onSynced }: { status: RobotStatus; onSynced: () => void }) {
  const notify = useNotify();
  const { busy, error, run } = useAction();
  const last = status.sync.lastSyncAt;

  const syncNow = () =>
    run(async () => {
      const result = await api.post<SyncResult>("/sync");
      notify(
        `Synced: ${plural(result.processes, "process", "processes")}, ${result.changed} changed.`,
      );
      onSynced();
    });

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
