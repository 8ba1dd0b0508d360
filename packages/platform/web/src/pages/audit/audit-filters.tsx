/**
 * The audit log's filter form: who, which process, which robot, and a date range. The lists of
 * people, processes and robots fill in as they load; until then each offers only its "any".
 */
import { Field, Select } from "@heptora/web-kit";
import type { Dispatch, SetStateAction } from "react";
import type { Resource } from "../../api/client.ts";
import type { ProcessListResponse, RobotListResponse, UserListResponse } from "../../api/types.ts";
import { type AuditFilters, isFiltered, NO_FILTERS } from "./audit-query.ts";

interface Option {
  value: string;
  label: string;
}

/** A filter list's options: first `any` (filters nothing), then the items ordered by `sortKey`. */
function optionsOf<T extends { id: string }>(
  any: string,
  items: readonly T[] | undefined,
  sortKey: (item: T) => string,
  label: (item: T) => string = sortKey,
): Option[] {
  const sorted = [...(items ?? [])].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
  return [
    { value: "", label: any },
    ...sorted.map((item) => ({ value: item.id, label: label(item) })),
  ];
}

const dataOf = <T,>(resource: Resource<T>): T | undefined =>
  resource.status === "ready" ? resource.data : undefined;

export function AuditFilterForm({
  filters,
  setFilters,
  users,
  processes,
  robots,
}: {
  filters: AuditFilters;
  setFilters: Dispatch<SetStateAction<AuditFilters>>;
  users: Resource<UserListResponse>;
  processes: Resource<ProcessListResponse>;
  robots: Resource<RobotListResponse>;
}) {
  const set = (key: keyof AuditFilters) => (value: string) =>
    setFilters((f) => ({ ...f, [key]: value }));
  const lists: { label: string; key: keyof AuditFilters; options: Option[] }[] = [
    {
      label: "Person",
      key: "actorId",
      options: optionsOf("Anyone", dataOf(users)?.users, (u) => u.email),
    },
    {
      label: "Process",
      key: "processId",
      options: optionsOf("Any process", dataOf(processes)?.processes, (p) => p.name),
    },
    {
      label: "Robot",
      key: "robotId",
      options: optionsOf(
        "Any robot",
        dataOf(robots)?.robots,
        (r) => r.name,
        (r) => `${r.name} (${r.owner.email})`,
      ),
    },
  ];

  return (
    <form className="filters" onSubmit={(e) => e.preventDefault()}>
      {lists.map(({ label, key, options }) => (
        <Select
          key={key}
          label={label}
          value={filters[key]}
          onChange={set(key)}
          options={options}
        />
      ))}
      <Field
        label="From"
        type="date"
        value={filters.from}
        max={filters.to || undefined}
        onChange={(e) => set("from")(e.target.value)}
      />
      <Field
        label="To"
        type="date"
        value={filters.to}
        min={filters.from || undefined}
        onChange={(e) => set("to")(e.target.value)}
      />
      <div className="filters-actions">
        <button
          type="button"
          className="button"
          disabled={!isFiltered(filters)}
          onClick={() => setFilters(NO_FILTERS)}
        >
          Clear filters
        </button>
      </div>
    </form>
  );
}
