import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { createGroupCommit } from "../src/audit/group-commit.ts";
import type { Vault } from "../src/index.ts";
import { type TempVault, tempVault } from "./support/temp-vault.ts";

describe("group commit", () => {
  it("hands everything submitted in one turn to one flush", async () => {
    const flushed: number[][] = [];
    const group = createGroupCommit((items: number[]) => {
      flushed.push(items);
      return items.map((i) => i * 10);
    });
    const results = await Promise.all([1, 2, 3].map((i) => group.submit(i)));
    assert.deepEqual(results, [10, 20, 30]);
    assert.deepEqual(flushed, [[1, 2, 3]]);
    assert.equal(group.batches, 1);
  });

  it("picks up what arrives during a flush as the next batch", async () => {
    const flushed: string[][] = [];
    let late: Promise<string> | undefined;
    const group = createGroupCommit((items: string[]) => {
      flushed.push(items);
      if (late === undefined) late = group.submit("late");
      return items;
    });
    await Promise.all([group.submit("a"), group.submit("b")]);
    assert.equal(await late, "late");
    assert.deepEqual(flushed, [["a", "b"], ["late"]]);
  });

  it("rejects every caller of a batch that failed", async () => {
    const group = createGroupCommit((_items: number[]): number[] => {
      throw new Error("disk full");
    });
    const outcomes = await Promise.allSettled([group.submit(1), group.submit(2)]);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ["rejected", "rejected"],
    );
  });

  it("splits very large queues into bounded batches", async () => {
    const sizes: number[] = [];
    const group = createGroupCommit(
      (items: number[]) => {
        sizes.push(items.length);
        return items;
      },
      { maxBatch: 4 },
    );
    await Promise.all(Array.from({ length: 10 }, (_, i) => group.submit(i)));
    assert.deepEqual(sizes, [4, 4, 2]);
  });
});

describe("recordAudit", () => {
  let t: TempVault;
  let vault: Vault;
  beforeEach(() => {
    t = tempVault();
    vault = t.open();
  });
  afterEach(() => t.cleanup());

  it("writes entries from concurrent callers in one transaction, in order", async () => {
    const entries = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        vault.recordAudit({ type: "secret.read", name: "SAP_USER", process: `P${i}` }),
      ),
    );
    assert.deepEqual(
      entries.map((e) => e.seq),
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
    assert.equal(vault.stats().auditBatches, 1);
    assert.equal(vault.verifyAudit().ok, true);
  });

  it("resolves only once the entry is committed and visible to another connection", async () => {
    const entry = await vault.recordAudit({ type: "secret.read", name: "SAP_USER" });
    const raw = t.raw();
    const row = raw.prepare("SELECT mac FROM audit WHERE seq = ?").get(entry.seq) as
      | { mac: string }
      | undefined;
    raw.close();
    assert.equal(row?.mac, entry.mac);
  });

  it("has nothing written before the batch runs", () => {
    const pending = vault.recordAudit({ type: "secret.read", name: "SAP_USER" });
    assert.deepEqual(vault.listAudit(), []);
    return pending.then((entry) => assert.equal(vault.listAudit()[0]?.seq, entry.seq));
  });

  it("rejects a malformed event without touching the batch", async () => {
    const good = vault.recordAudit({ type: "secret.read", name: "SAP_USER" });
    await assert.rejects(vault.recordAudit({ type: "BAD TYPE" }), { code: "validation_failed" });
    assert.equal((await good).seq, 1);
  });

  it("writes queued entries when the vault closes", async () => {
    const pending = vault.recordAudit({ type: "logout" });
    vault.close();
    assert.equal((await pending).seq, 1);
    const again = t.open();
    assert.equal(again.listAudit()[0]?.type, "logout");
  });
});
