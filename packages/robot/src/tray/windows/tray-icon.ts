/**
 * The Heptora logo (packages/robot/web/public/favicon.svg: a teal rounded square, a white shield,
 * a teal keyhole) drawn in code into a Windows .ico, so that the tray helper's build needs no image
 * tool and no binary file in the repository. Each size is rasterised from the same shapes with
 * 4x4 samples per pixel (smooth edges) and stored as a 32-bit BGRA bitmap with its AND mask, which
 * every Windows and Mono's System.Drawing read.
 *
 * @example
 * writeFileSync("heptora.ico", logoIco()); // 16, 20, 24, 32, 40, 48 and 64 pixels
 */

import { renderLogo } from "../logo.ts";

export const ICON_SIZES = [16, 20, 24, 32, 40, 48, 64] as const;

/** One ICO image: BITMAPINFOHEADER, BGRA rows bottom-up, then the 1-bit AND mask. */
function bitmapEntry(size: number, rgba: Uint8Array): Buffer {
  const maskStride = Math.ceil(size / 32) * 4;
  const out = Buffer.alloc(40 + size * size * 4 + maskStride * size);
  out.writeUInt32LE(40, 0);
  out.writeInt32LE(size, 4);
  out.writeInt32LE(size * 2, 8); // XOR bitmap + AND mask
  out.writeUInt16LE(1, 12);
  out.writeUInt16LE(32, 14);
  out.writeUInt32LE(size * size * 4 + maskStride * size, 20);
  const maskAt = 40 + size * size * 4;
  for (let row = 0; row < size; row++) {
    const y = size - 1 - row;
    for (let x = 0; x < size; x++) {
      const from = (y * size + x) * 4;
      const to = 40 + (row * size + x) * 4;
      out[to] = rgba[from + 2] ?? 0;
      out[to + 1] = rgba[from + 1] ?? 0;
      out[to + 2] = rgba[from] ?? 0;
      out[to + 3] = rgba[from + 3] ?? 0;
      if ((rgba[from + 3] ?? 0) === 0) {
        const byte = maskAt + row * maskStride + (x >> 3);
        out[byte] = (out[byte] ?? 0) | (0x80 >> (x & 7));
      }
    }
  }
  return out;
}

/** The logo as a .ico file with every size of ICON_SIZES. */
export function logoIco(sizes: readonly number[] = ICON_SIZES): Buffer {
  const images = sizes.map((size) => bitmapEntry(size, renderLogo(size)));
  const header = Buffer.alloc(6 + 16 * sizes.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(sizes.length, 4);
  let offset = header.length;
  sizes.forEach((size, i) => {
    const entry = 6 + 16 * i;
    const image = images[i] as Buffer;
    header.writeUInt8(size >= 256 ? 0 : size, entry);
    header.writeUInt8(size >= 256 ? 0 : size, entry + 1);
    header.writeUInt16LE(1, entry + 4); // planes
    header.writeUInt16LE(32, entry + 6); // bits per pixel
    header.writeUInt32LE(image.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += image.length;
  });
  return Buffer.concat([header, ...images]);
}
