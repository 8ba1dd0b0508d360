import assert from "node:assert/strict";
import { test } from "node:test";
import {
  DisplayNameSchema,
  isSafeName,
  OrganizationNameSchema,
  RobotLoginRequestSchema,
  withoutUnsafeNameCharacters,
} from "../src/index.ts";

test("a display name refuses control, bidi and zero-width characters, and keeps the rest", () => {
  for (const c of ["\n", "\u0085", "\u202e", "\u2066", "\u200e", "\u061c", "\u200b", "\u2060"]) {
    assert.equal(isSafeName(`build${c}01`), false, JSON.stringify(c));
    assert.equal(DisplayNameSchema("robot name", 100).safeParse(`build${c}01`).success, false);
  }
  assert.equal(isSafeName("Facturación — 東京 (nightly)"), true);
  assert.equal(OrganizationNameSchema.parse("  Acme GmbH "), "Acme GmbH");
});

test("the robot cleans a host name with the same rule the platform checks the robot name with", () => {
  const cleaned = withoutUnsafeNameCharacters("build\u200b-01\u202e\u0007");
  assert.equal(cleaned, "build-01");
  const login = { email: "a@example.com", password: "x", machineId: "m" };
  assert.equal(RobotLoginRequestSchema.safeParse({ ...login, robotName: cleaned }).success, true);
});
