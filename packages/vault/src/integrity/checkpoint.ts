/**
 * The rollback checkpoint: a small MAC'd file kept OUTSIDE the vault file, beside the key file
 * (`<key file>.checkpoint`), that records how far this machine has seen the vault go: its id, the
 * integrity generation and the audit chain's last seq with a hash of that entry's MAC
 * (docs/adr/0074). A whole vault file restored from an older copy, an audit head put back after
 * later entries were deleted, or a deleted vault file are told apart from the real thing by
 * comparing with it. It holds no value and no name.
 *
 * Written after each commit (the audit reads of runs at most once a second, and at close), by
 * write-then-rename, so a crash leaves the old or the new file, never half of one.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export interface CheckpointState {
  vaultId: string;
  generation: number;
  auditSeq: number;
  /** SHA-256 of the MAC of entry `auditSeq` (hex), so a log rewritten past it is seen too. */
  auditHash: string;
  at: string;
  /** A vault this machine saw before, whose file was deleted or replaced (kept to say so). */
  lost?: { vaultId: string; auditSeq: number; at: string };
}

export type CheckpointRead =
  | { kind: "missing" }
  | { kind: "unreadable" }
  | { kind: "found"; state: CheckpointState; mac: string };

export function checkpointPath(keyFile: string): string {
  return `${keyFile}.checkpoint`;
}

export function auditHash(mac: string): string {
  return createHash("sha256").update(`heptora audit checkpoint v1\n${mac}`, "utf8").digest("hex");
}

function canonical(state: CheckpointState): string {
  return JSON.stringify([
    state.vaultId,
    state.generation,
    state.auditSeq,
    state.auditHash,
    state.at,
    state.lost ?? null,
  ]);
}

export function checkpointMac(key: Uint8Array, state: CheckpointState): string {
  return createHmac("sha256", key)
    .update(`heptora checkpoint v1\n${canonical(state)}`, "utf8")
    .digest("hex");
}

export function macMatches(
  key: Uint8Array,
  read: { state: CheckpointState; mac: string },
): boolean {
  const expected = checkpointMac(key, read.state);
  if (!/^[0-9a-f]{64}$/.test(read.mac)) return false;
  return timingSafeEqual(Buffer.from(expected, "hex"), Buffer.from(read.mac, "hex"));
}

function isState(value: unknown): value is CheckpointState {
  const v = value as Record<string, unknown> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.vaultId === "string" &&
    Number.isSafeInteger(v.generation) &&
    Number.isSafeInteger(v.auditSeq) &&
    typeof v.auditHash === "string" &&
    typeof v.at === "string"
  );
}

export function readCheckpoint(path: string): CheckpointRead {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { kind: "missing" };
    return { kind: "unreadable" };
  }
  try {
    const parsed = JSON.parse(text) as { state?: unknown; mac?: unknown };
    if (!isState(parsed.state) || typeof parsed.mac !== "string") return { kind: "unreadable" };
    return { kind: "found", state: parsed.state, mac: parsed.mac };
  } catch {
    return { kind: "unreadable" };
  }
}

export function writeCheckpoint(path: string, key: Uint8Array, state: CheckpointState): void {
  const body = `${JSON.stringify({ state, mac: checkpointMac(key, state) })}\n`;
  const temp = `${path}.${process.pid}.tmp`;
  // The key file's folder: a vault kept by the OS keychain has no key file to create it.
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(temp, body, { mode: 0o600 });
  renameSync(temp, path);
}
