/**
 * The Heptora logo (packages/robot/web/public/favicon.svg: a teal rounded square, a white shield,
 * a teal keyhole) rasterised in code, for both trays: the Linux StatusNotifierItem pixmaps and the
 * Windows helper's .ico. Each pixel is 4x4 samples of the same shapes (smooth edges); no image
 * file, icon theme or native dependency.
 *
 * @example
 * renderLogo(32); // 32*32*4 bytes, RGBA (not premultiplied), top row first
 */

type Rgb = readonly [number, number, number];
const TEAL: Rgb = [0x0f, 0x76, 0x6e];
const WHITE: Rgb = [0xff, 0xff, 0xff];
const SAMPLES = 4;

type Point = readonly [number, number];

function cubic(from: Point, c1: Point, c2: Point, to: Point, steps = 16): Point[] {
  const out: Point[] = [];
  for (let i = 1; i <= steps; i++) {
    const t = i / steps;
    const u = 1 - t;
    const x =
      u * u * u * from[0] + 3 * u * u * t * c1[0] + 3 * u * t * t * c2[0] + t * t * t * to[0];
    const y =
      u * u * u * from[1] + 3 * u * u * t * c1[1] + 3 * u * t * t * c2[1] + t * t * t * to[1];
    out.push([x, y]);
  }
  return out;
}

/** The shield of the SVG: M16 6l8 3.5v6.2c0 5-3.4 9.1-8 10.3-4.6-1.2-8-5.3-8-10.3V9.5z */
const SHIELD: readonly Point[] = [
  [16, 6],
  [24, 9.5],
  [24, 15.7],
  ...cubic([24, 15.7], [24, 20.7], [20.6, 24.8], [16, 26]),
  ...cubic([16, 26], [11.4, 24.8], [8, 20.7], [8, 15.7]),
  [8, 9.5],
];

function insidePolygon(x: number, y: number, polygon: readonly Point[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i] as Point;
    const [xj, yj] = polygon[j] as Point;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function insideRoundedSquare(x: number, y: number): boolean {
  const r = 7;
  if (x < 0 || y < 0 || x > 32 || y > 32) return false;
  const cx = Math.min(Math.max(x, r), 32 - r);
  const cy = Math.min(Math.max(y, r), 32 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** The colour of the topmost shape at (x, y) in the SVG's 32x32 view box, or none. */
function colourAt(x: number, y: number): Rgb | undefined {
  const keyhole =
    (x - 16) ** 2 + (y - 15) ** 2 <= 2.6 * 2.6 || (x >= 15 && x <= 17 && y >= 17 && y <= 21);
  if (keyhole && insidePolygon(x, y, SHIELD)) return TEAL;
  if (insidePolygon(x, y, SHIELD)) return WHITE;
  if (insideRoundedSquare(x, y)) return TEAL;
  return undefined;
}

/** size x size pixels, RGBA (not premultiplied), top row first. */
export function renderLogo(size: number): Uint8Array {
  if (!Number.isInteger(size) || size < 1 || size > 256) throw new RangeError("size 1..256");
  const pixels = new Uint8Array(size * size * 4);
  const scale = 32 / size;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let covered = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const colour = colourAt(
            (px + (sx + 0.5) / SAMPLES) * scale,
            (py + (sy + 0.5) / SAMPLES) * scale,
          );
          if (!colour) continue;
          r += colour[0];
          g += colour[1];
          b += colour[2];
          covered++;
        }
      }
      const at = (py * size + px) * 4;
      if (covered === 0) continue;
      pixels[at] = Math.round(r / covered);
      pixels[at + 1] = Math.round(g / covered);
      pixels[at + 2] = Math.round(b / covered);
      pixels[at + 3] = Math.round((255 * covered) / (SAMPLES * SAMPLES));
    }
  }
  return pixels;
}
