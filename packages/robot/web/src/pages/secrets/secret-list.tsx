/** The variables, grouped by process. Each row is a button that selects the variable. */
import { Badge, exactTime, timeAgo } from "@heptora/web-kit";
import type { ProcessGroup } from "./model.ts";

export function SecretList({
  groups,
  shared,
  selected,
  onSelect,
}: {
  groups: ProcessGroup[];
  shared: Map<string, string[]>;
  selected: string | null;
  onSelect: (name: string) => void;
}) {
  return (
    <div className="groups">
      {groups.map((group) => (
        <section key={group.id} className="group" aria-labelledby={`process-${group.id}`}>
          <header className="group-header">
            <h2 id={`process-${group.id}`}>{group.name}</h2>
            <span className="group-count">
              {group.set} of {group.total} set
            </span>
          </header>
          {group.description ? <p className="group-description">{group.description}</p> : null}
          <ul className="rows">
            {group.variables.map((v) => {
              const others = (shared.get(v.name) ?? []).filter((p) => p !== group.name);
              return (
                <li key={v.name}>
                  <button
                    type="button"
                    className={selected === v.name ? "row row-selected" : "row"}
                    aria-current={selected === v.name ? "true" : undefined}
                    onClick={() => onSelect(v.name)}
                  >
                    <span className="row-main">
                      <span className="row-name mono">{v.name}</span>
                      <span className="row-description">
                        {v.description || (v.secret ? "No description" : "Plain setting")}
                      </span>
                      {others.length > 0 ? (
                        <span className="row-shared">
                          Shared with {others.join(", ")}: one value for{" "}
                          {others.length === 1 ? "both" : "all"}
                        </span>
                      ) : null}
                    </span>
                    <span className="row-state">
                      {v.set ? <Badge tone="ok">Set</Badge> : <Badge tone="warn">Not set</Badge>}
                      {v.updatedAt ? (
                        <span className="row-time" title={exactTime(v.updatedAt)}>
                          changed {timeAgo(v.updatedAt)}
                        </span>
                      ) : (
                        <span className="row-time">never set</span>
                      )}
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </div>
  );
}
