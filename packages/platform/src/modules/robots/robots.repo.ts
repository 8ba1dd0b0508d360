/** SQL of robots and their secret status reports (names, booleans and timestamps only). */
import type { RobotSignOutReason } from "@heptora/protocol";
import type { SqlExecutor } from "../../db/sql-db.ts";

export interface RobotRow {
  id: string;
  user_id: string;
  name: string;
  machine_id: string;
  token_hash: string | null;
  created_at: number;
  last_seen_at: number | null;
  owner_email: string;
}

export interface RobotAuthRow {
  id: string;
  name: string;
  user_id: string;
  last_seen_at: number | null;
  email: string;
  org_id: string;
  active: number;
}

export interface RobotSecretRow {
  robot_id: string;
  /** Who was signed in on the robot when it reported (the token's owner). */
  user_id: string;
  name: string;
  is_set: number;
  updated_at: number | null;
}

export interface RobotReportRow {
  robot_id: string;
  user_id: string;
  email: string;
  reported_at: number;
}

const ROBOT_COLUMNS = `r.id, r.user_id, r.name, r.machine_id, r.token_hash, r.created_at,
  r.last_seen_at, u.email AS owner_email`;

/** Rows per INSERT, well below SQLite's parameter limit. */
const CHUNK = 500;

export function createRobotsRepo() {
  return {
    byTokenHash(q: SqlExecutor, tokenHash: string): Promise<RobotAuthRow | undefined> {
      return q.get<RobotAuthRow>(
        `SELECT r.id, r.name, r.user_id, r.last_seen_at, u.email, u.org_id, u.active
           FROM robots r JOIN users u ON u.id = r.user_id
          WHERE r.token_hash = $1`,
        [tokenHash],
      );
    },

    /**
     * The robot on this machine in the user's organisation: the user's own if they have one,
     * else the one last seen (a robot is shared by the people who sign in on it, docs/adr/0067).
     */
    byMachine(
      q: SqlExecutor,
      user: { id: string; orgId: string },
      machineId: string,
    ): Promise<{ id: string; user_id: string } | undefined> {
      return q.get<{ id: string; user_id: string }>(
        `SELECT r.id, r.user_id FROM robots r JOIN users u ON u.id = r.user_id
          WHERE u.org_id = $1 AND r.machine_id = $2
          ORDER BY CASE WHEN r.user_id = $3 THEN 0 ELSE 1 END, r.last_seen_at DESC, r.id
          LIMIT 1`,
        [user.orgId, machineId, user.id],
      );
    },

    async insert(
      q: SqlExecutor,
      robot: { id: string; userId: string; name: string; machineId: string; tokenHash: string },
      at: number,
    ): Promise<void> {
      await q.run(
        `INSERT INTO robots (id, user_id, name, machine_id, token_hash, created_at, last_seen_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6)`,
        [robot.id, robot.userId, robot.name, robot.machineId, robot.tokenHash, at],
      );
    },

    /**
     * A new sign-in of a known robot: the person signing in becomes its owner; new token, new
     * name, back in the list if revoked.
     */
    async signIn(
      q: SqlExecutor,
      id: string,
      changes: { userId: string; name: string; tokenHash: string },
      at: number,
    ): Promise<void> {
      await q.run(
        `UPDATE robots SET user_id = $2, name = $3, token_hash = $4, last_seen_at = $5,
                revoked_at = NULL
          WHERE id = $1`,
        [id, changes.userId, changes.name, changes.tokenHash, at],
      );
      await q.run("DELETE FROM robot_sign_outs WHERE robot_id = $1", [id]);
    },

    /** Why the platform ended the robot token with this hash, if it did. */
    async signOutReason(q: SqlExecutor, tokenHash: string): Promise<string | undefined> {
      const row = await q.get<{ reason: string }>(
        "SELECT reason FROM robot_sign_outs WHERE token_hash = $1",
        [tokenHash],
      );
      return row?.reason;
    },

    async touch(q: SqlExecutor, id: string, at: number): Promise<void> {
      await q.run("UPDATE robots SET last_seen_at = $2 WHERE id = $1", [id, at]);
    },

    async signOut(q: SqlExecutor, id: string): Promise<void> {
      await q.run("UPDATE robots SET token_hash = NULL WHERE id = $1", [id]);
    },

    async revoke(q: SqlExecutor, id: string, at: number): Promise<void> {
      await forgetOldSignOuts(q, at);
      await q.run(
        `INSERT INTO robot_sign_outs (token_hash, robot_id, reason, at)
         SELECT token_hash, id, $2, $3 FROM robots WHERE id = $1 AND token_hash IS NOT NULL`,
        [id, "revoked" satisfies RobotSignOutReason, at],
      );
      await q.run("UPDATE robots SET token_hash = NULL, revoked_at = $2 WHERE id = $1", [id, at]);
    },

    /** Ends the tokens of all the user's robots, keeping why (password changed, deactivated). */
    async signOutAllOf(
      q: SqlExecutor,
      userId: string,
      reason: RobotSignOutReason,
      at: number,
    ): Promise<number> {
      await forgetOldSignOuts(q, at);
      await q.run(
        `INSERT INTO robot_sign_outs (token_hash, robot_id, reason, at)
         SELECT token_hash, id, $2, $3 FROM robots WHERE user_id = $1 AND token_hash IS NOT NULL`,
        [userId, reason, at],
      );
      const { changes } = await q.run(
        "UPDATE robots SET token_hash = NULL WHERE user_id = $1 AND token_hash IS NOT NULL",
        [userId],
      );
      return changes;
    },

    /** Robots not revoked; of one owner when `ownerId` is given. */
    list(q: SqlExecutor, orgId: string, ownerId?: string): Promise<RobotRow[]> {
      return q.all<RobotRow>(
        `SELECT ${ROBOT_COLUMNS} FROM robots r JOIN users u ON u.id = r.user_id
          WHERE u.org_id = $1 AND r.revoked_at IS NULL ${ownerId === undefined ? "" : "AND r.user_id = $2"}
          ORDER BY r.name, r.id`,
        ownerId === undefined ? [orgId] : [orgId, ownerId],
      );
    },

    byId(q: SqlExecutor, orgId: string, id: string): Promise<RobotRow | undefined> {
      return q.get<RobotRow>(
        `SELECT ${ROBOT_COLUMNS} FROM robots r JOIN users u ON u.id = r.user_id
          WHERE u.org_id = $1 AND r.id = $2 AND r.revoked_at IS NULL`,
        [orgId, id],
      );
    },

    /** Every person's reported status on the robots not revoked; of one owner's robots when given. */
    secretsOf(q: SqlExecutor, orgId: string, ownerId?: string): Promise<RobotSecretRow[]> {
      return q.all<RobotSecretRow>(
        `SELECT s.robot_id, s.user_id, s.name, s.is_set, s.updated_at
           FROM robot_secrets s JOIN robots r ON r.id = s.robot_id JOIN users u ON u.id = r.user_id
          WHERE u.org_id = $1 AND r.revoked_at IS NULL ${ownerId === undefined ? "" : "AND r.user_id = $2"}
          ORDER BY s.robot_id, s.user_id, s.name`,
        ownerId === undefined ? [orgId] : [orgId, ownerId],
      );
    },

    secretsOfRobot(q: SqlExecutor, robotId: string): Promise<RobotSecretRow[]> {
      return q.all<RobotSecretRow>(
        `SELECT robot_id, user_id, name, is_set, updated_at FROM robot_secrets
          WHERE robot_id = $1 ORDER BY user_id, name`,
        [robotId],
      );
    },

    /** Who reported from which robot and when (the robots not revoked; one owner's when given). */
    reportsOf(q: SqlExecutor, orgId: string, ownerId?: string): Promise<RobotReportRow[]> {
      return q.all<RobotReportRow>(
        `SELECT p.robot_id, p.user_id, pu.email, p.reported_at
           FROM robot_reports p JOIN users pu ON pu.id = p.user_id
           JOIN robots r ON r.id = p.robot_id JOIN users u ON u.id = r.user_id
          WHERE u.org_id = $1 AND r.revoked_at IS NULL ${ownerId === undefined ? "" : "AND r.user_id = $2"}
          ORDER BY p.robot_id, pu.email`,
        ownerId === undefined ? [orgId] : [orgId, ownerId],
      );
    },

    reportsOfRobot(q: SqlExecutor, robotId: string): Promise<RobotReportRow[]> {
      return q.all<RobotReportRow>(
        `SELECT p.robot_id, p.user_id, pu.email, p.reported_at
           FROM robot_reports p JOIN users pu ON pu.id = p.user_id
          WHERE p.robot_id = $1 ORDER BY pu.email`,
        [robotId],
      );
    },

    /** Replaces the whole report of one person (the token's owner) on the robot. */
    async replaceSecrets(
      q: SqlExecutor,
      robotId: string,
      userId: string,
      secrets: readonly { name: string; set: boolean; updatedAt: number | null }[],
      at: number,
    ): Promise<void> {
      await q.run("DELETE FROM robot_secrets WHERE robot_id = $1 AND user_id = $2", [
        robotId,
        userId,
      ]);
      for (let start = 0; start < secrets.length; start += CHUNK) {
        const chunk = secrets.slice(start, start + CHUNK);
        const values = chunk.map((_, i) => `($1, $2, $${i * 3 + 3}, $${i * 3 + 4}, $${i * 3 + 5})`);
        await q.run(
          `INSERT INTO robot_secrets (robot_id, user_id, name, is_set, updated_at)
           VALUES ${values.join(", ")}`,
          [robotId, userId, ...chunk.flatMap((s) => [s.name, s.set ? 1 : 0, s.updatedAt])],
        );
      }
      await q.run(
        `INSERT INTO robot_reports (robot_id, user_id, reported_at) VALUES ($1, $2, $3)
         ON CONFLICT (robot_id, user_id) DO UPDATE SET reported_at = excluded.reported_at`,
        [robotId, userId, at],
      );
      await q.run("UPDATE robots SET status_at = $2, last_seen_at = $2 WHERE id = $1", [
        robotId,
        at,
      ]);
    },
  };
}

export type RobotsRepo = ReturnType<typeof createRobotsRepo>;

/**
 * How long the platform remembers why a robot token ended. A robot offline for longer is still
 * refused, only without the reason; the table does not grow without end.
 */
export const SIGN_OUT_RETENTION_MS = 90 * 24 * 60 * 60 * 1000;

async function forgetOldSignOuts(q: SqlExecutor, now: number): Promise<void> {
  await q.run("DELETE FROM robot_sign_outs WHERE at < $1", [now - SIGN_OUT_RETENTION_MS]);
}
