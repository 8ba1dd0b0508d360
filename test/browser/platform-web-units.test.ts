/** The pure helpers of the platform web app, without a browser. */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  auditQuery,
  dayBound,
  humanAction,
  NO_FILTERS,
} from "../../packages/platform/web/src/pages/audit/audit-query.ts";
import { exactTime, plural, timeAgo } from "../../packages/web-kit/src/format.ts";

test("auditQuery sends only the filters that are set, with local days as instants", () => {
  assert.equal(auditQuery(NO_FILTERS, 50), "/audit?limit=50");
  const query = new URLSearchParams(
    auditQuery(
      { ...NO_FILTERS, actorId: "u1", processId: "p 1", from: "2025-03-01", to: "2025-03-02" },
      50,
      "1234",
    ).split("?")[1],
  );
  assert.equal(query.get("actorId"), "u1");
  assert.equal(query.get("processId"), "p 1");
  assert.equal(query.get("robotId"), null);
  assert.equal(query.get("before"), "1234");
  assert.equal(query.get("from"), new Date(2025, 2, 1).toISOString());
  assert.equal(query.get("to"), new Date(2025, 2, 2, 23, 59, 59, 999).toISOString());
});

test("dayBound ignores anything that is not a yyyy-mm-dd day", () => {
  assert.equal(dayBound("", false), undefined);
  assert.equal(dayBound("01/02/2025", true), undefined);
});

test("humanAction turns an action code into words", () => {
  assert.equal(humanAction("process.assignees_changed"), "process assignees changed");
});

test("timeAgo speaks like people do and exactTime keeps bad input as is", () => {
  const now = Date.parse("2025-05-01T12:00:00Z");
  assert.equal(timeAgo("2025-05-01T11:59:50Z", now), "just now");
  assert.equal(timeAgo("2025-05-01T11:55:00Z", now), "5 minutes ago");
  assert.equal(timeAgo("2025-04-30T12:00:00Z", now), "yesterday");
  assert.equal(timeAgo("not a date", now), "unknown");
  assert.equal(exactTime("not a date"), "not a date");
  assert.equal(plural(1, "process", "processes"), "1 process");
  assert.equal(plural(2, "variable"), "2 variables");
});
