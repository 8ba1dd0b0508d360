/**
 * The Heptora logo as StatusNotifierItem pixmaps: `a(iiay)`, each a width, a height and ARGB32
 * pixels in network byte order (A, R, G, B per pixel, not premultiplied). Rasterised in code
 * from the same shapes as packages/robot/web/public/favicon.svg (a teal rounded square, a white
 * shield, a teal keyhole) with 4×4 supersampling, so the icon needs no icon theme, no PNG file
 * and no native dependency. The pixels of a size are computed once (~1 ms).
 */

/** The sizes offered; hosts pick the closest to their panel. */
export const ICON_SIZES = [22, 32, 48] as const;

export type Pixmap = readonly [width: number, height: number, argb: Uint8Array];

const TEAL = [0x0f, 0x76, 0x6e] as const;
const WHITE = [0xff, 0xff, 0xff] as const;
const VIEWBOX = 32;
const SAMPLES = 4;

type Point = readonly [number, number];

/** The shield outline (`M16 6l8 3.5v6.2c0 5-3.4 9.1-8 10.3-4.6-1.2-8-5.3-8-10.3V9.5z`). */
const SHIELD: readonly Point[] = [
  [16, 6],
  [24, 9.5],
  [24, 15.7],
  ...cubic([24, 15.7], [24, 20.7], [20.6, 24.8], [16, 26]),
  ...cubic([16, 26], [11.4, 24.8], [8, 20.7], [8, 15.7]),
  [8, 9.5],
];

function cubic(p0: Point, p1: Point, p2: Point, p3: Point): Point[] {
  const points: Point[] = [];
  for (let step = 1; step <= 16; step++) {
    const t = step / 16;
    const u = 1 - t;
    const a = u * u * u;
    const b = 3 * u * u * t;
    const c = 3 * u * t * t;
    const d = t * t * t;
    points.push([
      a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0],
      a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1],
    ]);
  }
  return points;
}

/** Where the horizontal line at `y` crosses the polygon's edges, left to right. */
function crossings(y: number, polygon: readonly Point[]): number[] {
  const xs: number[] = [];
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i] as Point;
    const [xj, yj] = polygon[j] as Point;
    if (yi > y !== yj > y) xs.push(((xj - xi) * (y - yi)) / (yj - yi) + xi);
  }
  return xs.sort((a, b) => a - b);
}

function inside(x: number, sortedCrossings: readonly number[]): boolean {
  let count = 0;
  for (const crossing of sortedCrossings) {
    if (crossing > x) break;
    count++;
  }
  return count % 2 === 1;
}

function inRoundedSquare(x: number, y: number): boolean {
  const r = 7;
  if (x < 0 || y < 0 || x > VIEWBOX || y > VIEWBOX) return false;
  const cx = Math.min(Math.max(x, r), VIEWBOX - r);
  const cy = Math.min(Math.max(y, r), VIEWBOX - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function inKeyhole(x: number, y: number): boolean {
  return (x - 16) ** 2 + (y - 15) ** 2 <= 2.6 * 2.6 || (x >= 15 && x <= 17 && y >= 17 && y <= 21);
}

const cache = new Map<number, Pixmap>();

/** The logo at `size`×`size` pixels. */
export function renderLogo(size: number): Pixmap {
  const cached = cache.get(size);
  if (cached) return cached;
  if (!Number.isInteger(size) || size < 1 || size > 256) throw new RangeError("size 1..256");
  const argb = new Uint8Array(size * size * 4);
  const scale = VIEWBOX / size;
  const total = SAMPLES * SAMPLES;
  const rows = Array.from({ length: size * SAMPLES }, (_, row) =>
    crossings(((row + 0.5) / SAMPLES) * scale, SHIELD),
  );
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let square = 0;
      let white = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        const row = rows[py * SAMPLES + sy] ?? [];
        for (let sx = 0; sx < SAMPLES; sx++) {
          const x = (px + (sx + 0.5) / SAMPLES) * scale;
          const y = (py + (sy + 0.5) / SAMPLES) * scale;
          if (!inRoundedSquare(x, y)) continue;
          square++;
          if (inside(x, row) && !inKeyhole(x, y)) white++;
        }
      }
      const at = (py * size + px) * 4;
      const mix = square === 0 ? 0 : white / square;
      argb[at] = Math.round((255 * square) / total);
      for (let channel = 0; channel < 3; channel++) {
        const teal = TEAL[channel] as number;
        argb[at + 1 + channel] = Math.round(teal + ((WHITE[channel] as number) - teal) * mix);
      }
    }
  }
  const pixmap: Pixmap = [size, size, argb];
  cache.set(size, pixmap);
  return pixmap;
}

/** Every offered size, as the IconPixmap property wants it. */
export function logoPixmaps(): Pixmap[] {
  return ICON_SIZES.map(renderLogo);
}
