/**
 * The toolbar icon: one drawing description (a traffic light in unit coordinates), rasterised to
 * RGBA here and written as PNGs into public/icon/ at build time (scripts/build-icons.ts). The icon
 * of a tab lights only its verdict's lamp — top red, middle yellow, bottom green, all dark when
 * unknown — so the position carries the meaning, not the hue alone (WCAG 2.2 SC 1.4.1 Use of
 * Color, https://www.w3.org/WAI/WCAG22/Understanding/use-of-color.html).
 *
 * The toolbar gets the same pixels as ImageData (`actionIconPixels`, `action.setIcon({ imageData })`),
 * not the files' paths: Chromium's setIcon binding turns every `path` into ImageData in the worker
 * on every call (fetch, decode, draw on an OffscreenCanvas, read back —
 * https://source.chromium.org/chromium/chromium/src/+/main:extensions/renderer/resources/set_icon.js),
 * measured as the largest part of the toolbar's cost during a page load (docs/ARCHITECTURE.md,
 * "Page-load overhead"). The manifest's `icons` and `default_icon` stay files.
 */
import type { ToolbarVerdict } from './badge';

export type IconState = 'unknown' | 'red' | 'yellow' | 'green';
export const ICON_STATES: readonly IconState[] = ['unknown', 'red', 'yellow', 'green'];
/** Sizes of the toolbar (action) icons: 16 px at 1×, 32 px at 2× (both browsers). */
export const ACTION_ICON_SIZES = [16, 32] as const;
/** Sizes of the extension's icon (manifest `icons`: store listings, the extensions page, about:addons). */
export const APP_ICON_SIZES = [16, 32, 48, 96, 128] as const;

type Rgb = readonly [number, number, number];
const hex = (h: string): Rgb => [
  Number.parseInt(h.slice(1, 3), 16),
  Number.parseInt(h.slice(3, 5), 16),
  Number.parseInt(h.slice(5, 7), 16),
];

export const ICON_COLOURS = {
  housing: '#262b33',
  unlit: '#5c6470',
  red: '#ff4a3d',
  yellow: '#ffc21a',
  green: '#2fd05a',
} as const;

/** Top to bottom: the lamp each verdict lights. */
const LAMPS = ['red', 'yellow', 'green'] as const;
/** Lamp centres (y) and radius, in units of the icon's side. */
export const LAMP_Y = [0.2, 0.5, 0.8] as const;
const LAMP_R = 0.135;
const HOUSING = { x0: 0.2, x1: 0.8, y0: 0.02, y1: 0.98, r: 0.17 };

/** The icon for a verdict ('grey' and unknown: every lamp dark). */
export function iconStateOf(verdict: ToolbarVerdict | null): IconState {
  return verdict === 'red' || verdict === 'yellow' || verdict === 'green' ? verdict : 'unknown';
}

/** Path inside the package (public/ is its root). `all` is the extension's own icon with every lamp lit. */
export function iconPath(state: IconState | 'all', size: number): string {
  return state === 'all' ? `icon/${size}.png` : `icon/${state}-${size}.png`;
}

/** `action.setIcon({ path })` for a state: one file per size. */
export function actionIconPaths(state: IconState): Record<string, string> {
  return Object.fromEntries(ACTION_ICON_SIZES.map((s) => [String(s), iconPath(state, s)]));
}

/** `action.setIcon({ imageData })` for a state: the RGBA pixels per size, as `renderIcon` draws them for the PNGs. */
export function actionIconPixels(
  state: IconState,
): { size: (typeof ACTION_ICON_SIZES)[number]; pixels: Uint8ClampedArray<ArrayBuffer> }[] {
  return ACTION_ICON_SIZES.map((size) => {
    const rgba = renderIcon(size, state);
    return { size, pixels: new Uint8ClampedArray(rgba.buffer as ArrayBuffer, rgba.byteOffset, rgba.byteLength) };
  });
}

function insideHousing(u: number, v: number): boolean {
  const { x0, x1, y0, y1, r } = HOUSING;
  if (u < x0 || u > x1 || v < y0 || v > y1) return false;
  const cx = Math.min(Math.max(u, x0 + r), x1 - r);
  const cy = Math.min(Math.max(v, y0 + r), y1 - r);
  return (u - cx) ** 2 + (v - cy) ** 2 <= r * r;
}

/** The colour at a point of the unit square, or null (transparent). */
function colourAt(u: number, v: number, state: IconState | 'all'): Rgb | null {
  for (const [i, lamp] of LAMPS.entries()) {
    if ((u - 0.5) ** 2 + (v - LAMP_Y[i]!) ** 2 <= LAMP_R * LAMP_R)
      return hex(state === 'all' || state === lamp ? ICON_COLOURS[lamp] : ICON_COLOURS.unlit);
  }
  return insideHousing(u, v) ? hex(ICON_COLOURS.housing) : null;
}

/** RGBA pixels (row-major, not premultiplied), anti-aliased by 4×4 supersampling. */
export function renderIcon(size: number, state: IconState | 'all'): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  const n = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let covered = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const c = colourAt((x + (sx + 0.5) / n) / size, (y + (sy + 0.5) / n) / size, state);
          if (!c) continue;
          r += c[0];
          g += c[1];
          b += c[2];
          covered++;
        }
      }
      const o = (y * size + x) * 4;
      if (covered) {
        out[o] = Math.round(r / covered);
        out[o + 1] = Math.round(g / covered);
        out[o + 2] = Math.round(b / covered);
        out[o + 3] = Math.round((covered / (n * n)) * 255);
      }
    }
  }
  return out;
}
