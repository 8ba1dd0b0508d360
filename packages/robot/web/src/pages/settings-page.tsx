/** Settings: where this robot talks to, where it keeps its data, how its key is protected. */
import { exactTime, IconAlert, PageHeader, plural } from "@heptora/web-kit";
import type { RobotStatus } from "../api/types.ts";
import { KeySlotsCard } from "./key-slots-card.tsx";
import { PeopleCard } from "./people-card.tsx";

export function SettingsPage({
  status,
  idleMinutes,
}: {
  status: RobotStatus;
  idleMinutes: number;
}) {
  return (
    <div className="page">
      <PageHeader
        title="Settings"
        subtitle={
          <>
            Set when the robot starts: <code>heptora start --platform URL --data-dir DIR</code>, or
            the <code>HEPTORA_*</code> environment variables.
          </>
        }
      />

      {status.platformWarning ? (
        <div className="warning" role="note" aria-label="Platform connection">
          <IconAlert />
          <div>
            <p className="warning-title">Platform connection</p>
            <p>{status.platformWarning}</p>
          </div>
        </div>
      ) : null}

      {status.keyProtectionWarning ? (
        <div className="warning" role="note">
          <IconAlert />
          <div>
            <p className="warning-title">Key protection</p>
            <p>{status.keyProtectionWarning}</p>
            <p className="small">
              Whoever can read that file as you can decrypt the values. Keep it outside backups that
              others can read; a passphrase or OS keychain slot protects it better (Key slots,
              below).
            </p>
          </div>
        </div>
      ) : null}

      <section className="card" aria-labelledby="settings-platform">
        <h2 id="settings-platform" className="card-title">
          Platform
        </h2>
        <dl className="settings">
          <Setting label="Platform URL" value={status.platformUrl} mono />
          <Setting label="Signed in as" value={status.email ?? "Not signed in"} />
          <Setting label="Robot name" value={status.robotName} />
          <Setting label="Robot id" value={status.robotId ?? "—"} mono />
          <Setting label="Version" value={status.version} />
          <Setting
            label="Sync"
            value={`Every ${plural(status.sync.intervalSeconds, "second")}${
              status.sync.lastSyncAt ? `; last ${exactTime(status.sync.lastSyncAt)}` : ""
            }`}
          />
        </dl>
      </section>

      <section className="card" aria-labelledby="settings-machine">
        <h2 id="settings-machine" className="card-title">
          This machine
        </h2>
        <dl className="settings">
          <Setting label="Data directory" value={status.dataDir} mono />
          <Setting label="Vault id" value={status.vaultId} mono />
          <Setting label="Local socket" value={status.socketPath} mono />
          <Setting
            label="Window inactivity"
            value={`This window closes after ${plural(idleMinutes, "minute")} without activity (HEPTORA_UI_IDLE_MINUTES).`}
          />
          <Setting
            label="Values"
            value={`${status.counts.set} of ${status.counts.declared} set, for ${plural(status.counts.processes, "process", "processes")}`}
          />
        </dl>
      </section>

      <KeySlotsCard />

      <PeopleCard />
    </div>
  );
}

function Setting({ label, value, mono = false }: { label: string; value: string; mono?: boolean }) {
  return (
    <div className="setting">
      <dt>{label}</dt>
      <dd className={mono ? "mono" : undefined}>{value}</dd>
    </div>
  );
}
