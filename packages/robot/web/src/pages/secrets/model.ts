/** Pure views over the robot's list: search, the "set / not set" filter, names shared by processes. */
import type { ListedVariable, SecretsList } from "../../api/types.ts";

export type Show = "all" | "missing" | "set";

export interface ProcessGroup {
  id: string;
  name: string;
  description: string;
  variables: ListedVariable[];
  total: number;
  set: number;
}

/** Every name, with the processes declaring it (a name is one value for all of them). */
export function processesByName(list: SecretsList): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const p of list.processes) {
    for (const v of p.variables) byName.set(v.name, [...(byName.get(v.name) ?? []), p.name]);
  }
  return byName;
}

function matches(query: string, process: SecretsList["processes"][number], v: ListedVariable) {
  if (query === "") return true;
  const q = query.toLowerCase();
  return (
    v.name.toLowerCase().includes(q) ||
    v.description.toLowerCase().includes(q) ||
    process.name.toLowerCase().includes(q)
  );
}

export function visibleGroups(list: SecretsList, query: string, show: Show): ProcessGroup[] {
  const q = query.trim();
  return list.processes
    .map((p) => ({
      id: p.id,
      name: p.name,
      description: p.description,
      total: p.variables.length,
      set: p.variables.filter((v) => v.set).length,
      variables: p.variables.filter(
        (v) => matches(q, p, v) && (show === "all" || (show === "set") === v.set),
      ),
    }))
    .filter((g) => g.variables.length > 0);
}

/** The variable of a name as any process lists it (the state is the same for all). */
export function findVariable(list: SecretsList, name: string): ListedVariable | undefined {
  for (const p of list.processes) {
    const found = p.variables.find((v) => v.name === name);
    if (found) return found;
  }
  return undefined;
}

export function totals(list: SecretsList): { names: number; set: number } {
  const byName = processesByName(list);
  let set = 0;
  for (const name of byName.keys()) if (findVariable(list, name)?.set) set++;
  return { names: byName.size, set };
}
