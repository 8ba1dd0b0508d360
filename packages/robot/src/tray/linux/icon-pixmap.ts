/**
 * The Heptora logo as StatusNotifierItem pixmaps: `a(iiay)`, each a width, a height and ARGB32
 * pixels in network byte order (A, R, G, B per pixel, not premultiplied), from the shared
 * rasteriser (../logo.ts). The pixels of a size are computed once.
 */
import { renderLogo } from "../logo.ts";

/** The sizes offered; hosts pick the closest to their panel. */
export const ICON_SIZES = [22, 32, 48] as const;

export type Pixmap = readonly [width: number, height: number, argb: Uint8Array];

const cache = new Map<number, Pixmap>();

/** The logo at `size`×`size` pixels, ARGB. */
export function renderPixmap(size: number): Pixmap {
  const cached = cache.get(size);
  if (cached) return cached;
  const rgba = renderLogo(size);
  const argb = new Uint8Array(rgba.length);
  for (let at = 0; at < rgba.length; at += 4) {
    argb[at] = rgba[at + 3] ?? 0;
    argb[at + 1] = rgba[at] ?? 0;
    argb[at + 2] = rgba[at + 1] ?? 0;
    argb[at + 3] = rgba[at + 2] ?? 0;
  }
  const pixmap: Pixmap = [size, size, argb];
  cache.set(size, pixmap);
  return pixmap;
}

/** Every offered size, as the IconPixmap property wants it. */
export function logoPixmaps(): Pixmap[] {
  return ICON_SIZES.map(renderPixmap);
}
