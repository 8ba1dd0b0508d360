/**
 * Outgoing mail: SMTP through nodemailer when `--smtp-url` is set, else one JSON file per mail
 * in the outbox directory (0600 files in a 0700 directory: a mail can carry a reset link).
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import nodemailer from "nodemailer";

export interface Mail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

export interface Mailer {
  /** Where mail goes, for the start-up banner (never the SMTP credentials). */
  readonly describe: string;
  send(mail: Mail): Promise<void>;
}

/** Writes `<ms>-<random>-<to>.json` holding `{ to, subject, text, at }`. */
export function createOutboxMailer(dir: string, now: () => number = Date.now): Mailer {
  return {
    describe: `outbox directory ${dir}`,
    async send(mail) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const at = now();
      const safeTo = mail.to.replace(/[^A-Za-z0-9@._-]/g, "_").slice(0, 100);
      const file = join(dir, `${at}-${randomBytes(3).toString("hex")}-${safeTo}.json`);
      const body = {
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        at: new Date(at).toISOString(),
      };
      writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600, flag: "wx" });
    },
  };
}

export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  const url = new URL(smtpUrl);
  return {
    describe: `SMTP server ${url.hostname}${url.port ? `:${url.port}` : ""}`,
    async send(mail) {
      await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text });
    },
  };
}
