/** The daemon's side of the Windows tray helper's line protocol: encoding, strictness, bounds. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { TrayAction } from "../../src/tray/tray.ts";
import {
  decodeCommand,
  decodeEvent,
  decodeField,
  decodeLine,
  displayText,
  encodeCommand,
  encodeEvent,
  encodeField,
  fitText,
  stateCommand,
  type TrayCommand,
  type TrayEvent,
  TrayLimits,
} from "../../src/tray/windows/tray-protocol.ts";

const HOSTILE = [
  "",
  "plain",
  "a\tb",
  "line\nquit",
  "cr\r\nlf",
  "%",
  "%41",
  "%0A",
  "100% sure",
  "\u0000\u0001\u001f\u007f",
  "ünïcödé 漢字 مرحبا \u202e 👍🏽",
  "\u2028\u2029\u0085",
  "&File",
  "-",
] as const;

test("every field round-trips, and no encoded field holds a tab, a newline or a control", () => {
  for (const text of HOSTILE) {
    const encoded = encodeField(text);
    assert.equal(decodeField(encoded), text);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: what must never be on the wire.
    assert.doesNotMatch(encoded, /[\u0000-\u001f\u007f]/);
  }
  assert.equal(encodeField("a\tb\n%"), "a%09b%0A%25");
});

test("a hostile status cannot forge a second command or an extra field", () => {
  const command: TrayCommand = {
    type: "state",
    status: "Signed in as x\nquit\nclick\tsecrets",
    tooltip: "t\tsecrets\t1\tEvil",
    items: [{ action: TrayAction.Secrets, enabled: true, label: "Secrets\n" }],
  };
  const line = encodeCommand(command);
  assert.equal(line.indexOf("\n"), line.length - 1);
  assert.equal(line.split("\t").length, 6);
  assert.deepEqual(decodeCommand(line.slice(0, -1)), command);
});

test("commands and events round-trip", () => {
  const commands: TrayCommand[] = [
    { type: "hello", version: 1 },
    { type: "state", status: "Not signed in", tooltip: "Heptora 0.1.0", items: [] },
    { type: "click", action: TrayAction.Quit },
    { type: "describe" },
    { type: "quit" },
  ];
  for (const command of commands) {
    assert.deepEqual(decodeCommand(encodeCommand(command).slice(0, -1)), command);
  }
  const events: TrayEvent[] = [
    { type: "ready", version: 1 },
    { type: "shown" },
    { type: "action", action: TrayAction.LogOut },
    {
      type: "menu",
      status: "s",
      tooltip: "t",
      items: [{ action: TrayAction.Settings, enabled: false, label: "Settings" }],
    },
    { type: "error", code: "bad-field", detail: "a raw control character" },
  ];
  for (const event of events) assert.deepEqual(decodeEvent(encodeEvent(event).slice(0, -1)), event);
});

test("decoding is strict: one encoding per text, known words, right arity", () => {
  for (const bad of ["%", "%4", "%0a", "%41", "%zz", "a\rb", "a\u0000"]) {
    assert.throws(() => decodeField(bad), { name: "TrayProtocolError" }, bad);
  }
  const refused = [
    "",
    "action\tformat-c",
    "action",
    "action\tsecrets\textra",
    "ready\t01",
    "ready\tone",
    "shown\tx",
    "menu\ts",
    "menu\ts\tt\tsecrets\tyes\tX",
    "menu\ts\tt\tsecrets\t1",
    "launch\tcalc.exe",
    "x".repeat(TrayLimits.lineChars + 1),
  ];
  for (const line of refused) {
    assert.throws(() => decodeEvent(line), { name: "TrayProtocolError" }, line.slice(0, 40));
  }
  assert.throws(() => decodeLine(""), { name: "TrayProtocolError" });
});

test("lone surrogates go out as U+FFFD, as UTF-8 would carry them", () => {
  assert.equal(encodeCommand({ type: "click", action: TrayAction.Quit }), "click\tquit\n");
  const line = encodeCommand({ type: "state", status: "a\ud800b", tooltip: "\udc00", items: [] });
  assert.equal(line, "state\ta\ufffdb\t\ufffd\n");
});

test("fitText cuts with an ellipsis and never splits a surrogate pair", () => {
  assert.equal(fitText("short", 63), "short");
  const long = "x".repeat(100);
  assert.equal(fitText(long, 63), `${"x".repeat(62)}…`);
  const emoji = `${"x".repeat(61)}👍tail`;
  const cut = fitText(emoji, 63);
  assert.equal(cut, `${"x".repeat(61)}…`);
  assert.ok(cut.isWellFormed());
  assert.ok(fitText("👍".repeat(40), 63).isWellFormed());
  assert.ok(fitText("👍".repeat(40), 63).length <= 63);
});

test("stateCommand makes a TrayState displayable and within every bound", () => {
  const command = stateCommand({
    status: `Signed in as ${"a".repeat(300)}@example.com`,
    tooltip: `Signed in as ana@example.com\nHeptora 0.1.0 ${"v".repeat(80)}`,
    items: [
      { action: TrayAction.Secrets, enabled: true, label: "Secrets\u0085" },
      { action: TrayAction.Secrets, enabled: false, label: "twice" },
      { action: TrayAction.Quit, enabled: true, label: "Q".repeat(200) },
    ],
  });
  assert.equal(command.type, "state");
  if (command.type !== "state") return;
  assert.equal(command.status.length, TrayLimits.statusChars);
  assert.equal(command.tooltip.length, TrayLimits.tooltipChars);
  assert.ok(command.tooltip.startsWith("Signed in as ana@example.com Heptora"));
  assert.deepEqual(
    command.items.map((i) => [i.action, i.label.length]),
    [
      ["secrets", 8],
      ["quit", TrayLimits.labelChars],
    ],
  );
  assert.equal(displayText("a\u0000b\u009fc\u200bd"), "a b c\u200bd");
  assert.ok(encodeCommand(command).length < TrayLimits.lineChars);
});
