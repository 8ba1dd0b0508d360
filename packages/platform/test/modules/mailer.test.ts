import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { createOutboxMailer, createSmtpMailer } from "../../src/modules/mail/mailer.ts";
import { startFakeSmtp } from "../support/smtp.ts";

const MAIL = {
  to: "ana@example.com",
  subject: "Reset",
  text: "Go to http://x/reset-password?token=abc",
};

describe("mail delivery", () => {
  it("writes one 0600 JSON file per mail into a 0700 outbox", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "heptora-outbox-")), "outbox");
    try {
      const mailer = createOutboxMailer(dir, () => Date.parse("2025-06-01T09:00:00.000Z"));
      await mailer.send(MAIL);
      await mailer.send(MAIL);
      const files = readdirSync(dir);
      assert.equal(files.length, 2);
      assert.match(files[0] ?? "", /^1748768400000-[0-9a-f]{6}-ana@example\.com\.json$/);
      assert.equal(statSync(dir).mode & 0o777, 0o700);
      const file = join(dir, files[0] ?? "");
      assert.equal(statSync(file).mode & 0o777, 0o600);
      const stored = JSON.parse(readFileSync(file, "utf8"));
      assert.deepEqual(stored, { ...MAIL, at: "2025-06-01T09:00:00.000Z" });
    } finally {
      rmSync(join(dir, ".."), { recursive: true, force: true });
    }
  });

  it("sends through SMTP when a server is configured, without naming its credentials", async () => {
    const smtp = await startFakeSmtp();
    try {
      const mailer = createSmtpMailer(
        `smtp://user:pass@127.0.0.1:${smtp.port}`,
        "Heptora <heptora@example.com>",
      );
      assert.equal(mailer.describe, `SMTP server 127.0.0.1:${smtp.port}`);
      await mailer.send(MAIL);
      const mail = await smtp.next();
      assert.match(mail.from, /heptora@example\.com/);
      assert.match(mail.to.join(), /ana@example\.com/);
      assert.match(mail.data, /reset-password\?token=abc/);
      assert.match(mail.data, /Subject: Reset/);
    } finally {
      await smtp.close();
    }
  });
});
