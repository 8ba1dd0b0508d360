/**
 * Processes and their variables (names and flags only) and assignments. Admins change them;
 * members see only the processes assigned to them. Every change that a robot could see marks
 * the definitions feed in the same transaction (see definitions.repo.ts).
 */
import {
  type Assignees,
  type CreateProcessRequest,
  closestNames,
  didYouMean,
  HeptoraError,
  invalidSecretNameMessage,
  MAX_LISTED_ISSUES,
  type Process,
  quoteInput,
  suggestSecretName,
  type UpdateProcessRequest,
  type UpdateVariableRequest,
  type Variable,
} from "@heptora/protocol";
import { isUniqueViolation, type SqlDb, type SqlExecutor } from "../../db/sql-db.ts";
import type { RequestMeta, UserActor } from "../../http/actors.ts";
import { type Clock, iso } from "../../lib/clock.ts";
import { newId } from "../../lib/tokens.ts";
import type { AuditService } from "../audit/audit.service.ts";
import type { DefinitionsRepo } from "../definitions/definitions.repo.ts";
import { actorRef, assertAdmin } from "../users/permissions.ts";
import type { UsersRepo } from "../users/users.repo.ts";
import type { ProcessesRepo, ProcessRow, ProcessScope, VariableRow } from "./processes.repo.ts";

/**
 * Ids in the body that name no user of the organisation: 422 `users_not_found` naming each with
 * its place in `userIds` (the process exists, so a 404 would mislead), quoted safely.
 */
function unknownAssignees(sent: readonly string[], unknown: readonly string[]): HeptoraError {
  const missing = new Set(unknown);
  const issues = sent
    .map((id, index) => ({ id, index }))
    .filter(({ id }) => missing.has(id))
    .slice(0, MAX_LISTED_ISSUES)
    .map(({ id, index }) => ({
      path: `userIds.${index}`,
      message: `There is no user with id ${quoteInput(id)} in your organisation.`,
    }));
  const shown = unknown.slice(0, 5).map((id) => quoteInput(id));
  const more = unknown.length > 5 ? ` (and ${unknown.length - 5} more)` : "";
  return new HeptoraError("users_not_found", {
    message: `There is no user with id ${shown.join(", ")}${more} in your organisation.`,
    hint: "Use the ids from GET /api/v1/users; nothing was changed.",
    details: { issues, userIds: unknown.slice(0, 100) },
  });
}

function toVariable(row: VariableRow): Variable {
  return { id: row.id, name: row.name, secret: row.secret === 1, description: row.description };
}

function nameTaken(name: string): HeptoraError {
  return new HeptoraError("process_name_taken", {
    message: `A process named ${quoteInput(name)} already exists.`,
    hint: "Choose another name.",
  });
}

function variableTaken(name: string, process: string): HeptoraError {
  return new HeptoraError("variable_name_taken", {
    message: `Process ${quoteInput(process)} already has a variable named ${quoteInput(name)}.`,
  });
}

function processNotFound(id: string): HeptoraError {
  return new HeptoraError("process_not_found", {
    message: `There is no process with id ${quoteInput(id)}.`,
  });
}

export function createProcessesService(deps: {
  db: SqlDb;
  processes: ProcessesRepo;
  users: Pick<UsersRepo, "existingIds">;
  definitions: Pick<DefinitionsRepo, "next" | "markAssignees" | "markUsers">;
  audit: Pick<AuditService, "record">;
  clock: Clock;
}) {
  const { db, processes, users, definitions, audit, clock } = deps;

  /** Builds full Process objects for a scope in three queries. */
  async function load(q: SqlExecutor, scope: ProcessScope): Promise<Process[]> {
    const [rows, variables, assignments] = await Promise.all([
      processes.list(q, scope),
      processes.variables(q, scope),
      processes.assignments(q, scope),
    ]);
    const varsOf = new Map<string, Variable[]>();
    for (const v of variables) {
      const list = varsOf.get(v.process_id) ?? [];
      list.push(toVariable(v));
      varsOf.set(v.process_id, list);
    }
    const usersOf = new Map<string, string[]>();
    for (const a of assignments) {
      const list = usersOf.get(a.process_id) ?? [];
      list.push(a.user_id);
      usersOf.set(a.process_id, list);
    }
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      description: row.description,
      variables: varsOf.get(row.id) ?? [],
      assigneeIds: usersOf.get(row.id) ?? [],
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
    }));
  }

  async function one(q: SqlExecutor, id: string): Promise<Process> {
    const [process] = await load(q, { kind: "one", processId: id });
    if (process === undefined) throw processNotFound(id);
    return process;
  }

  /** The process, locked for the transaction; 404 when it is not the actor's organisation's. */
  async function forChange(tx: SqlExecutor, actor: UserActor, id: string): Promise<ProcessRow> {
    const row = await processes.byId(tx, actor.orgId, id, true);
    if (row === undefined) throw processNotFound(id);
    return row;
  }

  async function variableOf(tx: SqlExecutor, process: ProcessRow, name: string) {
    const row = await processes.variable(tx, process.id, name);
    if (row !== undefined) return row;
    const hint = didYouMean(closestNames(name, await processes.variableNames(tx, process.id)));
    throw new HeptoraError("variable_not_found", {
      message: `Process ${quoteInput(process.name)} has no variable named ${quoteInput(name)}.`,
      ...(hint !== undefined && { hint }),
    });
  }

  /** Marks the change for robots and bumps the process's updatedAt. */
  async function changed(tx: SqlExecutor, processId: string, at: number): Promise<void> {
    await processes.touch(tx, processId, at);
    await definitions.markAssignees(tx, processId, await definitions.next(tx));
  }

  return {
    async list(actor: UserActor): Promise<Process[]> {
      return load(
        db,
        actor.role === "admin"
          ? { kind: "org", orgId: actor.orgId }
          : { kind: "assigned", orgId: actor.orgId, userId: actor.id },
      );
    },

    async get(actor: UserActor, id: string): Promise<Process> {
      const row = await processes.byId(db, actor.orgId, id);
      // A member is told "not found" for a process not assigned to them: no existence leak.
      if (
        row === undefined ||
        (actor.role !== "admin" && !(await processes.isAssigned(db, id, actor.id)))
      ) {
        throw processNotFound(id);
      }
      return one(db, id);
    },

    async create(
      actor: UserActor,
      input: CreateProcessRequest,
      meta: RequestMeta,
    ): Promise<Process> {
      assertAdmin(actor);
      return db.transaction(async (tx) => {
        if ((await processes.idByName(tx, actor.orgId, input.name)) !== undefined) {
          throw nameTaken(input.name);
        }
        const at = clock.now();
        const row: ProcessRow = {
          id: newId(),
          org_id: actor.orgId,
          name: input.name,
          description: input.description ?? "",
          created_at: at,
          updated_at: at,
        };
        try {
          await processes.insert(tx, row);
        } catch (error) {
          if (isUniqueViolation(error)) throw nameTaken(input.name);
          throw error;
        }
        await audit.record(tx, {
          actor: actorRef(actor),
          action: "process.created",
          target: { type: "process", id: row.id, name: row.name },
          processId: row.id,
          outcome: "ok",
          ip: meta.ip,
        });
        return one(tx, row.id);
      });
    },

    async update(
      actor: UserActor,
      id: string,
      input: UpdateProcessRequest,
      meta: RequestMeta,
    ): Promise<Process> {
      assertAdmin(actor);
      return db.transaction(async (tx) => {
        const before = await forChange(tx, actor, id);
        const name = input.name ?? before.name;
        const description = input.description ?? before.description;
        if (name.toLowerCase() !== before.name.toLowerCase()) {
          const other = await processes.idByName(tx, actor.orgId, name);
          if (other !== undefined && other.id !== id) throw nameTaken(name);
        }
        const details: Record<string, unknown> = {};
        if (name !== before.name) details.name = { from: before.name, to: name };
        if (description !== before.description) details.descriptionChanged = true;
        if (Object.keys(details).length > 0) {
          const at = clock.now();
          try {
            await processes.update(tx, id, { name, description }, at);
          } catch (error) {
            if (isUniqueViolation(error)) throw nameTaken(name);
            throw error;
          }
          await changed(tx, id, at);
          await audit.record(tx, {
            actor: actorRef(actor),
            action: "process.updated",
            target: { type: "process", id, name },
            processId: id,
            outcome: "ok",
            ip: meta.ip,
            details,
          });
        }
        return one(tx, id);
      });
    },

    async remove(actor: UserActor, id: string, meta: RequestMeta): Promise<void> {
      assertAdmin(actor);
      await db.transaction(async (tx) => {
        const before = await forChange(tx, actor, id);
        // Marked before the delete: the assignments (and so the recipients) go with it.
        await definitions.markAssignees(tx, id, await definitions.next(tx));
        await processes.delete(tx, id);
        await audit.record(tx, {
          actor: actorRef(actor),
          action: "process.deleted",
          target: { type: "process", id, name: before.name },
          processId: id,
          outcome: "ok",
          ip: meta.ip,
        });
      });
    },

    /**
     * The refusal of an invalid variable name for this process, without suggesting a name the
     * process already has (the generic message, built before the process is known, might).
     */
    async refuseName(actor: UserActor, id: string, error: HeptoraError, input: unknown) {
      if (error.code !== "invalid_secret_name" || actor.role !== "admin") return error;
      if (typeof input !== "object" || input === null || !("name" in input)) return error;
      const name = typeof input.name === "string" ? input.name.trim() : undefined;
      const suggestion = name === undefined ? undefined : suggestSecretName(name);
      if (name === undefined || suggestion === undefined || name.length > 200) return error;
      if ((await processes.byId(db, actor.orgId, id)) === undefined) return error;
      const taken = await processes.variableNames(db, id);
      if (!taken.includes(suggestion)) return error;
      const message = invalidSecretNameMessage(name, taken);
      const issues = error.details?.issues;
      return new HeptoraError("invalid_secret_name", {
        message,
        details: {
          ...error.details,
          issues: Array.isArray(issues)
            ? issues.map((issue: { path: string; message: string }, i) =>
                i === 0 ? { ...issue, message } : issue,
              )
            : issues,
        },
      });
    },

    async addVariable(
      actor: UserActor,
      id: string,
      input: { name: string; secret: boolean; description?: string | undefined },
      meta: RequestMeta,
    ): Promise<Variable> {
      assertAdmin(actor);
      return db.transaction(async (tx) => {
        const process = await forChange(tx, actor, id);
        if ((await processes.variable(tx, id, input.name)) !== undefined) {
          throw variableTaken(input.name, process.name);
        }
        const row: VariableRow = {
          process_id: id,
          id: newId(),
          name: input.name,
          secret: input.secret ? 1 : 0,
          description: input.description ?? "",
        };
        const at = clock.now();
        try {
          await processes.insertVariable(tx, row, at);
        } catch (error) {
          if (isUniqueViolation(error)) throw variableTaken(input.name, process.name);
          throw error;
        }
        await changed(tx, id, at);
        await audit.record(tx, {
          actor: actorRef(actor),
          action: "variable.created",
          target: { type: "variable", id: `${id}/${row.name}`, name: row.name },
          processId: id,
          outcome: "ok",
          ip: meta.ip,
          details: { process: process.name, secret: input.secret },
        });
        return toVariable(row);
      });
    },

    async updateVariable(
      actor: UserActor,
      id: string,
      name: string,
      input: UpdateVariableRequest,
      meta: RequestMeta,
    ): Promise<Variable> {
      assertAdmin(actor);
      return db.transaction(async (tx) => {
        const process = await forChange(tx, actor, id);
        const before = await variableOf(tx, process, name);
        // A rename keeps the id: robots move the values set under the old name with it.
        const after: VariableRow = {
          process_id: id,
          id: before.id,
          name: input.name ?? before.name,
          secret: input.secret === undefined ? before.secret : input.secret ? 1 : 0,
          description: input.description ?? before.description,
        };
        if (
          after.name !== before.name &&
          (await processes.variable(tx, id, after.name)) !== undefined
        ) {
          throw variableTaken(after.name, process.name);
        }
        const details: Record<string, unknown> = { process: process.name };
        if (after.name !== before.name) details.name = { from: before.name, to: after.name };
        if (after.secret !== before.secret)
          details.secret = { from: before.secret === 1, to: after.secret === 1 };
        if (after.description !== before.description) details.descriptionChanged = true;
        if (Object.keys(details).length > 1) {
          const at = clock.now();
          await processes.updateVariable(tx, id, before.name, after, at);
          await changed(tx, id, at);
          await audit.record(tx, {
            actor: actorRef(actor),
            action: "variable.updated",
            target: { type: "variable", id: `${id}/${after.name}`, name: after.name },
            processId: id,
            outcome: "ok",
            ip: meta.ip,
            details,
          });
        }
        return toVariable(after);
      });
    },

    async removeVariable(
      actor: UserActor,
      id: string,
      name: string,
      meta: RequestMeta,
    ): Promise<void> {
      assertAdmin(actor);
      await db.transaction(async (tx) => {
        const process = await forChange(tx, actor, id);
        const variable = await variableOf(tx, process, name);
        const at = clock.now();
        await processes.deleteVariable(tx, id, variable.name);
        await changed(tx, id, at);
        await audit.record(tx, {
          actor: actorRef(actor),
          action: "variable.deleted",
          target: { type: "variable", id: `${id}/${variable.name}`, name: variable.name },
          processId: id,
          outcome: "ok",
          ip: meta.ip,
          details: { process: process.name },
        });
      });
    },

    async setAssignees(
      actor: UserActor,
      id: string,
      userIds: readonly string[],
      meta: RequestMeta,
    ): Promise<Assignees> {
      assertAdmin(actor);
      const wanted = [...new Set(userIds)].sort();
      return db.transaction(async (tx) => {
        const process = await forChange(tx, actor, id);
        const known = new Set(await users.existingIds(tx, actor.orgId, wanted));
        const unknown = wanted.filter((u) => !known.has(u));
        if (unknown.length > 0) throw unknownAssignees(userIds, unknown);
        const current = new Set(await processes.assigneeIds(tx, id));
        const added = wanted.filter((u) => !current.has(u));
        const removed = [...current].filter((u) => !known.has(u)).sort();
        if (added.length > 0 || removed.length > 0) {
          const at = clock.now();
          await processes.unassign(tx, id, removed);
          await processes.assign(tx, id, added, at);
          await definitions.markUsers(tx, id, [...added, ...removed], await definitions.next(tx));
          await audit.record(tx, {
            actor: actorRef(actor),
            action: "process.assignees_changed",
            target: { type: "process", id, name: process.name },
            processId: id,
            outcome: "ok",
            ip: meta.ip,
            details: { added, removed },
          });
        }
        return { userIds: wanted };
      });
    },
  };
}

export type ProcessesService = ReturnType<typeof createProcessesService>;
