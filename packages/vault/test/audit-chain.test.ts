import assert from "node:assert/strict";
import type { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { AuditProblem, Vault } from "../src/index.ts";
import { ANA, codeOf, type TempVault, tempVault } from "./support/temp-vault.ts";

function problems(vault: Vault): [number, AuditProblem["kind"]][] {
  return vault.verifyAudit().problems.map((p) => [p.seq, p.kind]);
}

/** Ten entries: seq 1..10. */
function fill(vault: Vault): void {
  for (let i = 1; i <= 10; i++) {
    vault.appendAudit({ type: "secret.read", name: `NAME_${i}`, process: "Invoices" });
  }
}

describe("audit chain", () => {
  let t: TempVault;
  let vault: Vault;
  let raw: DatabaseSync;
  beforeEach(() => {
    t = tempVault();
    vault = t.open();
    fill(vault);
    raw = t.raw();
  });
  afterEach(() => {
    raw.close();
    t.cleanup();
  });

  it("verifies an untouched log", () => {
    assert.deepEqual(vault.verifyAudit(), { ok: true, count: 10, problems: [] });
  });

  it("verifies an empty log", () => {
    const other = tempVault();
    try {
      assert.deepEqual(other.open().verifyAudit(), { ok: true, count: 0, problems: [] });
    } finally {
      other.cleanup();
    }
  });

  it("names an edited entry", () => {
    raw.prepare("UPDATE audit SET entry = replace(entry, 'NAME_4', 'NAME_X') WHERE seq = 4").run();
    assert.deepEqual(problems(vault), [[4, "edited"]]);
  });

  it("names an entry whose MAC, link or indexed columns were edited", () => {
    // Always a different first hex digit (a fixed 'f' would be no change 1 time in 16).
    raw
      .prepare(
        `UPDATE audit SET mac = (CASE WHEN substr(mac, 1, 1) = 'f' THEN '0' ELSE 'f' END)
           || substr(mac, 2) WHERE seq = 3`,
      )
      .run();
    raw.prepare("UPDATE audit SET prev_mac = ? WHERE seq = 6").run("0".repeat(64));
    raw.prepare("UPDATE audit SET type = 'login' WHERE seq = 8").run();
    assert.deepEqual(problems(vault), [
      [3, "edited"],
      [6, "edited"],
      [8, "edited"],
    ]);
  });

  it("names deleted entries, the first one included", () => {
    raw.prepare("DELETE FROM audit WHERE seq IN (1, 5, 6)").run();
    assert.deepEqual(problems(vault), [
      [1, "deleted"],
      [5, "deleted"],
    ]);
    assert.match(vault.verifyAudit().problems[1]?.message ?? "", /5 to 6/);
  });

  it("names reordered entries", () => {
    raw.exec("UPDATE audit SET seq = -1 WHERE seq = 5");
    raw.exec("UPDATE audit SET seq = 5 WHERE seq = 6");
    raw.exec("UPDATE audit SET seq = 6 WHERE seq = -1");
    assert.deepEqual(problems(vault), [
      [5, "reordered"],
      [6, "reordered"],
    ]);
  });

  it("names an entry forged at the end", () => {
    const last = raw.prepare("SELECT * FROM audit WHERE seq = 10").get() as Record<string, string>;
    raw
      .prepare(
        "INSERT INTO audit (seq, at, type, name, entry, prev_mac, mac) VALUES (?, ?, ?, ?, ?, ?, ?)",
      )
      .run(
        11,
        last.at ?? "",
        "login",
        null,
        '{"seq":11,"type":"login"}',
        last.mac ?? "",
        "a".repeat(64),
      );
    assert.deepEqual(problems(vault), [[11, "inserted"]]);
  });

  it("names an entry forged in the middle, even when the rest is renumbered", () => {
    raw.exec("UPDATE audit SET seq = seq + 1000 WHERE seq >= 4");
    raw.exec("UPDATE audit SET seq = seq - 999 WHERE seq >= 1004");
    const third = raw.prepare("SELECT * FROM audit WHERE seq = 3").get() as Record<string, string>;
    raw
      .prepare(
        "INSERT INTO audit (seq, at, type, name, entry, prev_mac, mac) VALUES (?, ?, ?, ?, ?, ?, ?)",
      )
      .run(
        4,
        third.at ?? "",
        "login",
        null,
        '{"seq":4,"type":"login"}',
        third.mac ?? "",
        "b".repeat(64),
      );
    raw.exec("UPDATE audit_head SET seq = 11");
    const found = problems(vault);
    assert.deepEqual(found[0], [4, "inserted"]);
  });

  it("notices the tail being cut off, thanks to the sealed head", () => {
    raw.prepare("DELETE FROM audit WHERE seq >= 9").run();
    assert.deepEqual(problems(vault), [[9, "truncated"]]);
    assert.match(vault.verifyAudit().problems[0]?.message ?? "", /9 to 10/);
  });

  it("notices an edited or missing head record", () => {
    raw.prepare("UPDATE audit_head SET seq = 9").run();
    assert.deepEqual(problems(vault), [[9, "edited"]]);
    raw.prepare("DELETE FROM audit_head").run();
    assert.deepEqual(problems(vault), [[11, "truncated"]]);
  });

  it("notices the whole log being emptied", () => {
    raw.exec("DELETE FROM audit");
    assert.deepEqual(problems(vault), [[1, "truncated"]]);
  });

  it("keeps the evidence when writing after a truncation", () => {
    raw.prepare("DELETE FROM audit WHERE seq >= 9").run();
    const entry = vault.appendAudit({ type: "login", actor: "ana@example.com" });
    assert.equal(entry.seq, 12);
    const [, tamper] = vault.listAudit({ limit: 2 });
    assert.equal(tamper?.type, "audit.tampered");
    assert.match(tamper?.reason ?? "", /9 to 10/);
    assert.deepEqual(problems(vault), [[9, "deleted"]]);
  });

  it("keeps the evidence when writing after the head was removed", () => {
    raw.exec("DELETE FROM audit WHERE seq = 10");
    raw.exec("DELETE FROM audit_head");
    vault.appendAudit({ type: "login" });
    const types = vault.listAudit({ limit: 2 }).map((e) => e.type);
    assert.deepEqual(types, ["login", "audit.tampered"]);
    assert.equal(
      vault.verifyAudit().ok,
      true,
      "the chain itself is whole; the log says what happened",
    );
  });
});

describe("audit position cache (the next seq and MAC, remembered between appends)", () => {
  let t: TempVault;
  beforeEach(() => {
    t = tempVault();
  });
  afterEach(() => t.cleanup());

  it("picks up what another instance on the same file appended in between", async () => {
    const a = t.open();
    const b = t.open();
    const seqs: number[] = [];
    for (let i = 0; i < 4; i++) {
      seqs.push((await a.recordAudit({ type: "secret.read", name: "A" })).seq);
      seqs.push((await a.recordAudit({ type: "secret.read", name: "A" })).seq);
      seqs.push(b.appendAudit({ type: "secret.read", name: "B" }).seq);
    }
    assert.deepEqual(seqs, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    assert.deepEqual(a.verifyAudit(), { ok: true, count: 12, problems: [] });
    assert.equal(
      a.listAudit({ type: "audit.tampered" }).length,
      0,
      "another vault's appends are not tampering",
    );
  });

  it("still notices a tail cut by another connection right after a cached append", async () => {
    const vault = t.open();
    for (let i = 0; i < 3; i++) await vault.recordAudit({ type: "secret.read", name: "A" });
    const raw = t.raw();
    raw.exec("DELETE FROM audit WHERE seq = 3");
    raw.close();
    const entry = await vault.recordAudit({ type: "secret.read", name: "A" });
    assert.equal(entry.seq, 5);
    const [, tamper] = vault.listAudit({ limit: 2 });
    assert.equal(tamper?.type, "audit.tampered");
    assert.match(tamper?.reason ?? "", /3 to 3/);
  });

  it("still notices a head rewritten by another connection right after a cached append", () => {
    const vault = t.open();
    vault.appendAudit({ type: "login" });
    vault.appendAudit({ type: "login" });
    const raw = t.raw();
    raw.exec("UPDATE audit_head SET seq = 1");
    raw.close();
    vault.appendAudit({ type: "logout" });
    const types = vault.listAudit({ limit: 2 }).map((e) => e.type);
    assert.deepEqual(types, ["logout", "audit.tampered"]);
  });
});

describe("audit log", () => {
  let t: TempVault;
  let vault: Vault;
  let now: number;
  beforeEach(() => {
    t = tempVault();
    now = Date.parse("2025-05-01T00:00:00.000Z");
    vault = t.open({
      clock: () => {
        now += 60_000;
        return new Date(now);
      },
    });
  });
  afterEach(() => t.cleanup());

  it("returns what was written, with seq, time and MAC", () => {
    const entry = vault.appendAudit({
      type: "access.denied",
      name: "SAP_USR",
      process: "Invoices",
      outcome: "denied",
      reason: "not declared",
      details: { suggestions: "SAP_USER", attempt: 1, retried: false },
    });
    assert.equal(entry.seq, 1);
    assert.match(entry.mac, /^[0-9a-f]{64}$/);
    assert.deepEqual(vault.listAudit(), [entry]);
  });

  it("lists newest first, filtered and paged", () => {
    vault.appendAudit({ type: "login", actor: "ana@example.com" });
    for (let i = 0; i < 5; i++)
      vault.appendAudit({ type: "secret.read", name: i % 2 === 0 ? "A" : "B" });
    vault.appendAudit({ type: "logout" });
    assert.deepEqual(
      vault.listAudit().map((e) => e.seq),
      [7, 6, 5, 4, 3, 2, 1],
    );
    assert.deepEqual(
      vault.listAudit({ type: "secret.read", name: "A" }).map((e) => e.seq),
      [6, 4, 2],
    );
    assert.deepEqual(
      vault.listAudit({ limit: 2, beforeSeq: 5 }).map((e) => e.seq),
      [4, 3],
    );
    const third = vault.listAudit({ beforeSeq: 4, limit: 1 })[0];
    assert.deepEqual(
      vault.listAudit({ since: third?.at, until: third?.at }).map((e) => e.seq),
      [3],
    );
    assert.equal(
      codeOf(() => vault.listAudit({ limit: 0 })),
      "validation_failed",
    );
    assert.equal(
      codeOf(() => vault.listAudit({ since: "yesterday" })),
      "validation_failed",
    );
  });

  it("rejects malformed events and writes nothing", () => {
    const bad = [
      { type: "" },
      { type: "Not A Type" },
      { type: "login", outcome: "maybe" },
      { type: "login", reason: "r".repeat(501) },
      { type: "login", details: { nested: { a: 1 } } },
      { type: "login", details: { n: Number.NaN } },
    ];
    for (const event of bad) {
      assert.equal(
        codeOf(() => vault.appendAudit(event as never)),
        "validation_failed",
        JSON.stringify(event),
      );
    }
    assert.deepEqual(vault.listAudit(), []);
  });
});

describe("the audit log never holds a value", () => {
  it("refuses detail fields that would carry one", () => {
    const t = tempVault();
    try {
      const vault = t.open();
      for (const key of ["value", "Value", "password", "secret", "token", "plaintext", "api_key"]) {
        assert.equal(
          codeOf(() =>
            vault.appendAudit({ type: "secret.read", name: "SAP_USER", details: { [key]: "x" } }),
          ),
          "validation_failed",
          key,
        );
      }
    } finally {
      t.cleanup();
    }
  });

  it("holds names only after every kind of write and read", async () => {
    const t = tempVault();
    try {
      const vault = t.open();
      const values = ["Gr33n-Pa$$word-7781", "ana.sap.user.5531", "token-ffe1b2c3d4e5f60718293a4b"];
      const context = { actor: "ana@example.com", process: "Invoices" };
      vault.setSecret(ANA, "SAP_PASSWORD", values[0] ?? "", context);
      vault.setSecret(ANA, "SAP_USER", values[1] ?? "", context);
      vault.setSecret(ANA, "SAP_PASSWORD", values[2] ?? "", context);
      vault.restoreSecret(ANA, "SAP_PASSWORD", 1, context);
      await vault.recordAudit({ type: "secret.read", name: "SAP_USER", process: "Invoices" });
      vault.appendAudit({ type: "secret.reveal", name: "SAP_PASSWORD", actor: "ana@example.com" });
      vault.unsetSecret(ANA, "SAP_USER", context);
      const raw = t.raw();
      const dump = JSON.stringify(raw.prepare("SELECT * FROM audit").all());
      raw.close();
      for (const value of values) {
        assert.equal(dump.includes(value), false);
        assert.equal(dump.includes(Buffer.from(value).toString("base64")), false);
        assert.equal(dump.includes(Buffer.from(value).toString("hex")), false);
      }
      assert.match(dump, /SAP_PASSWORD/);
    } finally {
      t.cleanup();
    }
  });
});
