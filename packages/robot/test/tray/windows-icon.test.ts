/** The tray helper's icon: the Heptora logo drawn in code into a well-formed .ico. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { renderLogo } from "../../src/tray/logo.ts";
import { ICON_SIZES, logoIco } from "../../src/tray/windows/tray-icon.ts";

test("the .ico lists every size, each a 32-bit bitmap where its entry says", () => {
  const ico = logoIco();
  assert.equal(ico.readUInt16LE(0), 0);
  assert.equal(ico.readUInt16LE(2), 1);
  assert.equal(ico.readUInt16LE(4), ICON_SIZES.length);
  let end = 6 + 16 * ICON_SIZES.length;
  ICON_SIZES.forEach((size, i) => {
    const entry = 6 + 16 * i;
    assert.equal(ico.readUInt8(entry), size);
    assert.equal(ico.readUInt16LE(entry + 6), 32);
    const length = ico.readUInt32LE(entry + 8);
    const offset = ico.readUInt32LE(entry + 12);
    assert.equal(offset, end);
    assert.equal(ico.readUInt32LE(offset), 40); // BITMAPINFOHEADER
    assert.equal(ico.readInt32LE(offset + 4), size);
    assert.equal(ico.readInt32LE(offset + 8), size * 2);
    assert.equal(length, 40 + size * size * 4 + Math.ceil(size / 32) * 4 * size);
    end = offset + length;
  });
  assert.equal(ico.length, end);
});

test("the logo: transparent corners, a teal square, a white shield, a teal keyhole", () => {
  const size = 32;
  const pixels = renderLogo(size);
  const at = (x: number, y: number) => [
    ...pixels.subarray((y * size + x) * 4, (y * size + x) * 4 + 4),
  ];
  assert.equal(at(0, 0)[3], 0);
  assert.deepEqual(at(3, 16), [0x0f, 0x76, 0x6e, 255]);
  assert.deepEqual(at(12, 10), [255, 255, 255, 255]);
  assert.deepEqual(at(15, 14), [0x0f, 0x76, 0x6e, 255]);
});
