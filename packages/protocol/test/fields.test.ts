import assert from "node:assert/strict";
import { test } from "node:test";
import {
  DESCRIPTION_MAX_LENGTH,
  DescriptionSchema,
  EMAIL_MAX_LENGTH,
  EmailSchema,
  NewPasswordSchema,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PasswordSchema,
  PROCESS_NAME_MAX_LENGTH,
  ProcessNameSchema,
  SECRET_VALUE_MAX_LENGTH,
  SecretValueSchema,
} from "../src/fields.ts";
import {
  CreateProcessRequestSchema,
  LocalLoginRequestSchema,
  LocalSetSecretRequestSchema,
  LoginRequestSchema,
  RunGrantRequestSchema,
} from "../src/index.ts";

function messageOf(
  schema: { safeParse(v: unknown): { error?: { issues: { message: string }[] } } },
  value: unknown,
): string {
  return schema.safeParse(value).error?.issues[0]?.message ?? "";
}

test("an email is trimmed, lower-cased and bounded", () => {
  assert.equal(EmailSchema.parse("  Ana@Example.COM "), "ana@example.com");
  assert.match(messageOf(EmailSchema, "ana"), /valid email/);
  const long = `${"a".repeat(EMAIL_MAX_LENGTH)}@example.com`;
  assert.match(messageOf(EmailSchema, long), /too long/);
});

test("a password is checked as sent; a new one must be long enough", () => {
  assert.equal(PasswordSchema.parse(" x "), " x ");
  assert.match(messageOf(PasswordSchema, ""), /empty/);
  assert.match(messageOf(PasswordSchema, "x".repeat(PASSWORD_MAX_LENGTH + 1)), /too long/);
  assert.match(messageOf(NewPasswordSchema, "x".repeat(PASSWORD_MIN_LENGTH - 1)), /at least/);
  assert.ok(NewPasswordSchema.safeParse("x".repeat(PASSWORD_MIN_LENGTH)).success);
});

test("process names and descriptions have one bound each", () => {
  assert.equal(ProcessNameSchema.parse(" Invoice Processing "), "Invoice Processing");
  assert.ok(ProcessNameSchema.safeParse("x".repeat(PROCESS_NAME_MAX_LENGTH)).success);
  assert.match(messageOf(ProcessNameSchema, "x".repeat(PROCESS_NAME_MAX_LENGTH + 1)), /too long/);
  assert.match(messageOf(ProcessNameSchema, "a\nb"), /control characters/);
  assert.match(messageOf(ProcessNameSchema, "  "), /Enter a process name/);
  assert.equal(DescriptionSchema.parse(""), "");
  assert.match(messageOf(DescriptionSchema, "x".repeat(DESCRIPTION_MAX_LENGTH + 1)), /too long/);
});

test("a secret value is never trimmed, never empty, bounded, and never quoted", () => {
  assert.equal(SecretValueSchema.parse(" pw "), " pw ");
  assert.match(messageOf(SecretValueSchema, ""), /empty/);
  const long = "s3cr3t".repeat(SECRET_VALUE_MAX_LENGTH);
  assert.doesNotMatch(messageOf(SecretValueSchema, long), /s3cr3t/);
});

test("the platform's and the robot's messages use the same fields", () => {
  const platform = CreateProcessRequestSchema.shape.name;
  const robot = RunGrantRequestSchema.shape.process;
  assert.equal(platform, ProcessNameSchema);
  assert.equal(robot, ProcessNameSchema);
  assert.equal(LoginRequestSchema.shape.email, EmailSchema);
  assert.equal(LocalLoginRequestSchema.shape.email, EmailSchema);
  assert.equal(LocalSetSecretRequestSchema.shape.value, SecretValueSchema);
});
