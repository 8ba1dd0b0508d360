/**
 * What a robot syncs: the definitions (names, flags, descriptions) of the processes assigned to
 * its user. Without a cursor, or with one this platform never issued, the answer is the full set
 * (`full: true`). With a cursor, only processes added or changed since, and removals; when
 * nothing changed that is two indexed queries.
 */
import type { DefinitionsResponse, ProcessDefinition } from "@heptora/protocol";
import type { SqlExecutor } from "../../db/sql-db.ts";
import type { DefinitionsRepo } from "./definitions.repo.ts";

export function createDefinitionsService(deps: { db: SqlExecutor; repo: DefinitionsRepo }) {
  const { db, repo } = deps;

  async function definitions(userId: string, since?: number): Promise<ProcessDefinition[]> {
    const [processes, variables] = await Promise.all([
      repo.processes(db, userId, since),
      repo.variables(db, userId, since),
    ]);
    const byProcess = new Map<string, ProcessDefinition["variables"]>();
    for (const [processId, id, name, secret, description] of variables) {
      let list = byProcess.get(processId);
      if (list === undefined) {
        list = [];
        byProcess.set(processId, list);
      }
      list.push({ id, name, secret: secret === 1, description });
    }
    return processes.map((p) => ({
      id: p.id,
      name: p.name,
      description: p.description,
      variables: byProcess.get(p.id) ?? [],
    }));
  }

  return {
    async sync(userId: string, cursor: string | undefined): Promise<DefinitionsResponse> {
      // Read the counter first (or in the same statement as the change check): everything
      // numbered up to it is committed, so the answer covers at least that; anything newer is
      // sent again next time (harmless).
      const since = cursor === undefined ? undefined : Number(cursor);
      const full = async (current: number): Promise<DefinitionsResponse> => ({
        cursor: String(current),
        full: true,
        processes: await definitions(userId),
        removed: { processes: [] },
      });
      if (since === undefined || !Number.isSafeInteger(since)) return full(await repo.current(db));
      const { current, changed } = await repo.counterAndChangesSince(db, userId, since);
      if (since > current) return full(current);
      if (!changed) {
        return { cursor: String(current), full: false, processes: [], removed: { processes: [] } };
      }
      const [processes, removed] = await Promise.all([
        definitions(userId, since),
        repo.removedSince(db, userId, since),
      ]);
      return { cursor: String(current), full: false, processes, removed: { processes: removed } };
    },
  };
}

export type DefinitionsService = ReturnType<typeof createDefinitionsService>;
