/**
 * Robots: sign-in with the user's credentials (one robot per machine in an organisation, owned by
 * the person who signed in last; signing in again rotates its token), bearer-token
 * authentication, status reports per person (which names are set: never a value), listing for
 * people with each person's coverage, and revocation (effective at the next request).
 */
import {
  HeptoraError,
  isRobotSignOutReason,
  quoteInput,
  type Robot,
  type RobotAuditCheckpoint,
  type RobotCoverage,
  type RobotDetail,
  type RobotLoginResponse,
  RobotSignOutReason,
  type SecretStatus,
} from "@heptora/protocol";
import type { SqlDb, SqlExecutor } from "../../db/sql-db.ts";
import type { RequestMeta, RobotActor, UserActor } from "../../http/actors.ts";
import { type Clock, iso, isoOrNull } from "../../lib/clock.ts";
import { newId, newToken, sha256Hex } from "../../lib/tokens.ts";
import type { AuditService } from "../audit/audit.service.ts";
import type { CheckCredentials } from "../auth/credentials.ts";
import type { ProcessesRepo } from "../processes/processes.repo.ts";
import { actorRef } from "../users/permissions.ts";
import {
  createRobotAuditRepo,
  type RobotAuditRepo,
  type RobotAuditRow,
  wentBackwards,
} from "./robot-audit.repo.ts";
import type { RobotReportRow, RobotRow, RobotSecretRow, RobotsRepo } from "./robots.repo.ts";

/** Robot tokens start with this, so that a leaked one is recognisable. */
export const ROBOT_TOKEN_PREFIX = "hptr_";
/** lastSeenAt is written at most this often per robot. */
export const TOUCH_EVERY_MS = 30_000;
/** A robot seen within this window is shown online. */
export const ONLINE_WINDOW_MS = 120_000;

function invalidToken(reason?: string): HeptoraError {
  return new HeptoraError(
    "invalid_robot_token",
    isRobotSignOutReason(reason) ? { details: { reason } } : {},
  );
}

function toSecret(row: RobotSecretRow) {
  return { name: row.name, set: row.is_set === 1, updatedAt: isoOrNull(row.updated_at) };
}

export function createRobotsService(deps: {
  db: SqlDb;
  robots: RobotsRepo;
  processes: Pick<ProcessesRepo, "list" | "variables">;
  checkCredentials: CheckCredentials;
  audit: Pick<AuditService, "record">;
  clock: Clock;
  /** The robots' audit checkpoints (docs/adr/0074). */
  checkpoints?: RobotAuditRepo;
}) {
  const { db, robots, processes, checkCredentials, audit, clock } = deps;
  const checkpoints = deps.checkpoints ?? createRobotAuditRepo();

  /**
   * The robot with its current owner's report (`secrets`) and each person's (`coverage`): all of
   * them for an admin, the member's own for a member.
   */
  function toRobot(
    actor: UserActor,
    row: RobotRow,
    secrets: readonly RobotSecretRow[],
    reports: readonly RobotReportRow[],
    checkpoint: RobotAuditRow | undefined,
  ): Robot {
    const now = clock.now();
    const of = (userId: string) => secrets.filter((s) => s.user_id === userId).map(toSecret);
    const coverage: RobotCoverage[] = reports
      .filter((r) => actor.role === "admin" || r.user_id === actor.id)
      .map((r) => ({
        user: { id: r.user_id, email: r.email },
        secrets: of(r.user_id),
        reportedAt: iso(r.reported_at),
      }));
    return {
      id: row.id,
      name: row.name,
      machineId: row.machine_id,
      owner: { id: row.user_id, email: row.owner_email },
      createdAt: iso(row.created_at),
      lastSeenAt: isoOrNull(row.last_seen_at),
      online: row.last_seen_at !== null && now - row.last_seen_at < ONLINE_WINDOW_MS,
      signedIn: row.token_hash !== null,
      secrets: of(row.user_id),
      auditLog:
        checkpoint === undefined
          ? null
          : {
              seq: checkpoint.seq,
              reportedAt: iso(checkpoint.reported_at),
              wentBackwards:
                checkpoint.went_backwards_at === null
                  ? null
                  : {
                      at: iso(checkpoint.went_backwards_at),
                      message: checkpoint.went_backwards ?? "",
                    },
            },
      coverage,
    };
  }

  /**
   * Keeps the robot's audit checkpoint; a report behind the last one flags the robot for good
   * and is recorded in the platform's audit log.
   */
  async function saveCheckpoint(
    tx: SqlExecutor,
    robot: RobotActor,
    next: RobotAuditCheckpoint,
    now: number,
    meta: RequestMeta | undefined,
  ): Promise<void> {
    const last = await checkpoints.ofRobot(tx, robot.robotId);
    const backwards = wentBackwards(last, next);
    await checkpoints.save(tx, {
      robot_id: robot.robotId,
      vault_id: next.vaultId,
      seq: next.seq,
      head: next.head,
      reported_at: now,
      went_backwards_at: backwards === undefined ? (last?.went_backwards_at ?? null) : now,
      went_backwards: backwards ?? last?.went_backwards ?? null,
    });
    if (backwards !== undefined) {
      await audit.record(tx, {
        actor: { id: robot.userId, email: robot.email },
        action: "robot.audit_went_backwards",
        target: { type: "robot", id: robot.robotId, name: robot.robotName },
        robotId: robot.robotId,
        outcome: "failed",
        ip: meta?.ip ?? null,
        details: { from: last?.seq ?? 0, to: next.seq },
      });
    }
  }

  async function visible(actor: UserActor, id: string): Promise<RobotRow> {
    const row = await robots.byId(db, actor.orgId, id);
    if (row === undefined || (actor.role !== "admin" && row.user_id !== actor.id)) {
      throw new HeptoraError("robot_not_found", {
        message: `There is no robot with id ${quoteInput(id)}.`,
      });
    }
    return row;
  }

  return {
    async login(
      input: { email: string; password: string; robotName: string; machineId: string },
      meta: RequestMeta,
    ): Promise<RobotLoginResponse> {
      const user = await checkCredentials({
        email: input.email,
        password: input.password,
        meta,
        action: "robot.login",
      });
      const token = newToken(ROBOT_TOKEN_PREFIX);
      const tokenHash = sha256Hex(token);
      const robotId = await db.transaction(async (tx) => {
        const at = clock.now();
        const known = await robots.byMachine(
          tx,
          { id: user.id, orgId: user.org_id },
          input.machineId,
        );
        const id = known?.id ?? newId();
        if (known === undefined) {
          await robots.insert(
            tx,
            { id, userId: user.id, name: input.robotName, machineId: input.machineId, tokenHash },
            at,
          );
        } else {
          await robots.signIn(tx, id, { userId: user.id, name: input.robotName, tokenHash }, at);
        }
        await audit.record(tx, {
          actor: { id: user.id, email: user.email },
          action: "robot.login",
          target: { type: "robot", id, name: input.robotName },
          robotId: id,
          outcome: "ok",
          ip: meta.ip,
          details: {
            machineId: input.machineId,
            newRobot: known === undefined,
            ...(known !== undefined &&
              known.user_id !== user.id && { previousOwnerId: known.user_id }),
          },
        });
        return id;
      });
      return { robotId, token };
    },

    /**
     * The robot behind a bearer token, or 401 invalid_robot_token; with `details.reason` when the
     * platform ended that token (revoked, password changed, account deactivated).
     */
    async authenticate(token: string | undefined): Promise<RobotActor> {
      if (token === undefined || !token.startsWith(ROBOT_TOKEN_PREFIX) || token.length > 200) {
        throw invalidToken();
      }
      const tokenHash = sha256Hex(token);
      const row = await robots.byTokenHash(db, tokenHash);
      if (row === undefined) throw invalidToken(await robots.signOutReason(db, tokenHash));
      if (row.active !== 1) throw invalidToken(RobotSignOutReason.AccountDeactivated);
      const now = clock.now();
      if (row.last_seen_at === null || now - row.last_seen_at >= TOUCH_EVERY_MS) {
        await robots.touch(db, row.id, now);
      }
      return {
        kind: "robot",
        robotId: row.id,
        robotName: row.name,
        userId: row.user_id,
        orgId: row.org_id,
        email: row.email,
      };
    },

    async logout(robot: RobotActor, meta: RequestMeta): Promise<void> {
      await db.transaction(async (tx) => {
        await robots.signOut(tx, robot.robotId);
        await audit.record(tx, {
          actor: { id: robot.userId, email: robot.email },
          action: "robot.logout",
          target: { type: "robot", id: robot.robotId, name: robot.robotName },
          robotId: robot.robotId,
          outcome: "ok",
          ip: meta.ip,
        });
      });
    },

    async reportStatus(
      robot: RobotActor,
      secrets: readonly SecretStatus[],
      checkpoint?: RobotAuditCheckpoint,
      meta?: RequestMeta,
    ): Promise<void> {
      // One entry per name, the last one winning.
      const byName = new Map<string, { name: string; set: boolean; updatedAt: number | null }>();
      for (const s of secrets) {
        byName.set(s.name, {
          name: s.name,
          set: s.set,
          updatedAt: s.updatedAt === undefined ? null : Date.parse(s.updatedAt),
        });
      }
      const now = clock.now();
      await db.transaction(async (tx) => {
        await robots.replaceSecrets(tx, robot.robotId, robot.userId, [...byName.values()], now);
        if (checkpoint !== undefined) await saveCheckpoint(tx, robot, checkpoint, now, meta);
      });
    },

    async list(actor: UserActor): Promise<Robot[]> {
      const owner = actor.role === "admin" ? undefined : actor.id;
      const [rows, secrets, reports, audits] = await Promise.all([
        robots.list(db, actor.orgId, owner),
        robots.secretsOf(db, actor.orgId, owner),
        robots.reportsOf(db, actor.orgId, owner),
        checkpoints.ofOrg(db, actor.orgId, owner),
      ]);
      const secretsOf = groupBy(secrets, (s) => s.robot_id);
      const reportsOf = groupBy(reports, (r) => r.robot_id);
      const auditOf = new Map(audits.map((a) => [a.robot_id, a]));
      return rows.map((row) =>
        toRobot(
          actor,
          row,
          secretsOf.get(row.id) ?? [],
          reportsOf.get(row.id) ?? [],
          auditOf.get(row.id),
        ),
      );
    },

    async get(actor: UserActor, id: string): Promise<RobotDetail> {
      const row = await visible(actor, id);
      const scope = { kind: "assigned", orgId: actor.orgId, userId: row.user_id } as const;
      const [secrets, reports, assigned, variables, checkpoint] = await Promise.all([
        robots.secretsOfRobot(db, id),
        robots.reportsOfRobot(db, id),
        processes.list(db, scope),
        processes.variables(db, scope),
        checkpoints.ofRobot(db, id),
      ]);
      const status = new Map(
        secrets.filter((s) => s.user_id === row.user_id).map((s) => [s.name, s]),
      );
      const byProcess = new Map<string, RobotDetail["processes"][number]["variables"]>();
      for (const v of variables) {
        const s = status.get(v.name);
        const list = byProcess.get(v.process_id) ?? [];
        list.push({
          name: v.name,
          secret: v.secret === 1,
          set: s?.is_set === 1,
          updatedAt: isoOrNull(s?.updated_at),
        });
        byProcess.set(v.process_id, list);
      }
      return {
        ...toRobot(actor, row, secrets, reports, checkpoint),
        processes: assigned.map((p) => ({
          id: p.id,
          name: p.name,
          variables: byProcess.get(p.id) ?? [],
        })),
      };
    },

    async revoke(actor: UserActor, id: string, meta: RequestMeta): Promise<void> {
      const row = await visible(actor, id);
      await db.transaction(async (tx) => {
        await robots.revoke(tx, id, clock.now());
        await audit.record(tx, {
          actor: actorRef(actor),
          action: "robot.revoked",
          target: { type: "robot", id, name: row.name },
          robotId: id,
          outcome: "ok",
          ip: meta.ip,
          details: { owner: row.owner_email, machineId: row.machine_id },
        });
      });
    },
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(key(item)) ?? [];
    list.push(item);
    groups.set(key(item), list);
  }
  return groups;
}

export type RobotsService = ReturnType<typeof createRobotsService>;
