import type { RgbaImage } from './png.js';

/** The tray's overall state: the colour of its dot. Violet: a session waits for its user. */
export type TrayState = 'green' | 'yellow' | 'red' | 'grey' | 'violet';

export const TRAY_STATES: readonly TrayState[] = ['green', 'yellow', 'red', 'grey', 'violet'];

type Rgb = readonly [number, number, number];

export const DOT_COLOURS: Record<TrayState, Rgb> = {
  green: [0x2e, 0xb8, 0x4f],
  yellow: [0xf2, 0xb7, 0x05],
  red: [0xe0, 0x3a, 0x3a],
  grey: [0x8a, 0x8f, 0x98],
  // The dashboard's waiting badge colour: far from green, yellow and red in hue, so it reads as "your turn".
  violet: [0x7c, 0x4d, 0xff],
};

const GLYPH: Rgb = [0x9a, 0x9e, 0xa6];
const OUTLINE: Rgb = [0x20, 0x22, 0x26];
const SAMPLES = 4;

class Canvas implements RgbaImage {
  readonly data: Uint8Array;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.data = new Uint8Array(width * height * 4);
  }

  /** Paints `colour` over every pixel `inside` covers, anti-aliased by supersampling. */
  fill(colour: Rgb, inside: (x: number, y: number) => boolean, opacity = 1): void {
    for (let py = 0; py < this.height; py++) {
      for (let px = 0; px < this.width; px++) {
        let hits = 0;
        for (let sy = 0; sy < SAMPLES; sy++) {
          for (let sx = 0; sx < SAMPLES; sx++) {
            if (inside(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES)) hits++;
          }
        }
        if (hits > 0) this.blend(px, py, colour, (hits / (SAMPLES * SAMPLES)) * opacity);
      }
    }
  }

  private blend(x: number, y: number, [r, g, b]: Rgb, alpha: number): void {
    const i = (y * this.width + x) * 4;
    const d = this.data;
    const below = d[i + 3]! / 255;
    const out = alpha + below * (1 - alpha);
    const mix = (top: number, under: number): number => Math.round((top * alpha + under * below * (1 - alpha)) / out);
    d[i] = mix(r, d[i]!);
    d[i + 1] = mix(g, d[i + 1]!);
    d[i + 2] = mix(b, d[i + 2]!);
    d[i + 3] = Math.round(out * 255);
  }
}

const circle = (cx: number, cy: number, r: number) => (x: number, y: number) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const ring = (cx: number, cy: number, outer: number, inner: number) => (x: number, y: number) => {
  const d = (x - cx) ** 2 + (y - cy) ** 2;
  return d <= outer * outer && d >= inner * inner;
};

/** Where the status dot sits, in units of the icon's size (for the drawing and for tests that look at it). */
export const DOT = { cx: 0.68, cy: 0.68, r: 0.3 } as const;

/** The dot beside a count: smaller, in the corner, clear of the digits. */
export const COUNT_DOT = { cx: 0.76, cy: 0.76, r: 0.19 } as const;

/**
 * The count as the icon shows it: nothing for none, 1-9 and 10-99 as they are, and 99+ beyond (a third digit would
 * not be readable in 16 px).
 */
export function countLabel(count: number): string {
  if (!Number.isFinite(count) || count <= 0) return '';
  return count > 99 ? '99+' : String(Math.floor(count));
}

/**
 * A 4x7 pixel font for the count: at 16 px each font pixel is one screen pixel, at 32 px two, so the digits are
 * crisp at both scales. '#' is ink.
 */
const GLYPHS: Record<string, readonly string[]> = {
  '0': ['.##.', '#..#', '#..#', '#..#', '#..#', '#..#', '.##.'],
  '1': ['..#.', '.##.', '..#.', '..#.', '..#.', '..#.', '.###'],
  '2': ['.##.', '#..#', '...#', '..#.', '.#..', '#...', '####'],
  '3': ['.##.', '#..#', '...#', '.##.', '...#', '#..#', '.##.'],
  '4': ['..#.', '.##.', '#.#.', '#.#.', '####', '..#.', '..#.'],
  '5': ['####', '#...', '###.', '...#', '...#', '#..#', '.##.'],
  '6': ['.##.', '#...', '#...', '###.', '#..#', '#..#', '.##.'],
  '7': ['####', '...#', '..#.', '..#.', '.#..', '.#..', '.#..'],
  '8': ['.##.', '#..#', '#..#', '.##.', '#..#', '#..#', '.##.'],
  '9': ['.##.', '#..#', '#..#', '.###', '...#', '...#', '.##.'],
  '+': ['...', '...', '.#.', '###', '.#.', '...', '...'],
};

/** Where the count's text starts, in pixels of the 16 px icon (the outline takes the pixel around it). */
export const COUNT_ORIGIN = { x: 1, y: 1 } as const;

/** The label as rows of ink (true) in font pixels: glyphs side by side, one empty column between them. */
export function countMask(label: string): boolean[][] {
  const glyphs = [...label].map((ch) => {
    const glyph = GLYPHS[ch];
    if (!glyph) throw new Error(`no glyph for ${JSON.stringify(ch)}`);
    return glyph;
  });
  const rows: boolean[][] = Array.from({ length: 7 }, () => []);
  glyphs.forEach((glyph, i) => {
    for (let y = 0; y < 7; y++) {
      if (i > 0) rows[y]!.push(false);
      for (const cell of glyph[y]!) rows[y]!.push(cell === '#');
    }
  });
  return rows;
}

export const COUNT_INK: Rgb = [0xf4, 0xf5, 0xf7];
export const OUTLINE_COLOUR: Rgb = OUTLINE;
export const OUTLINE_OPACITY = 0.85;

function drawCount(canvas: Canvas, label: string, size: number): void {
  const mask = countMask(label);
  const k = size / 16;
  const ink = (fx: number, fy: number): boolean => mask[fy]?.[fx] === true;
  const font = (x: number, y: number): [number, number] => [Math.floor(x / k - COUNT_ORIGIN.x), Math.floor(y / k - COUNT_ORIGIN.y)];
  canvas.fill(OUTLINE, (x, y) => {
    const [fx, fy] = font(x, y);
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) if (ink(fx + dx, fy + dy)) return true;
    return false;
  }, OUTLINE_OPACITY);
  canvas.fill(COUNT_INK, (x, y) => ink(...font(x, y)));
}

function drawDot(canvas: Canvas, state: TrayState, size: number, dot: { cx: number; cy: number; r: number }): void {
  const s = size;
  canvas.fill(OUTLINE, circle(dot.cx * s, dot.cy * s, dot.r * s + Math.max(1, s / 16)), OUTLINE_OPACITY);
  canvas.fill(DOT_COLOURS[state], circle(dot.cx * s, dot.cy * s, dot.r * s));
}

/**
 * The tray icon: a neutral open ring (the "C" of Cancrorum, readable on light and dark bars) with the status dot
 * in its lower right, outlined so that it stands out on any background. With a count (Linux and Windows, where a
 * tray has no title) the digits take the ring's place, light on a dark outline, and the dot moves to the corner.
 * `size` is in pixels, 16 or a multiple of it.
 */
export function drawTrayIcon(state: TrayState, size: number, count = ''): RgbaImage {
  const canvas = new Canvas(size, size);
  const s = size;
  if (count) {
    drawCount(canvas, count, size);
    drawDot(canvas, state, size, COUNT_DOT);
    return canvas;
  }
  const c = 0.4 * s;
  const glyph = ring(c, c, 0.38 * s, 0.24 * s);
  // The ring is open towards the dot: no glyph under the dot's outline.
  const clear = circle(DOT.cx * s, DOT.cy * s, (DOT.r + 0.08) * s);
  canvas.fill(GLYPH, (x, y) => glyph(x, y) && !clear(x, y));
  canvas.fill(OUTLINE, circle(DOT.cx * s, DOT.cy * s, DOT.r * s), OUTLINE_OPACITY);
  canvas.fill(DOT_COLOURS[state], circle(DOT.cx * s, DOT.cy * s, (DOT.r - Math.max(1, s / 16) / s) * s));
  return canvas;
}

/** The application icon (installers, window, docks): the same motif on a dark rounded square. */
export function drawAppIcon(size: number): RgbaImage {
  const canvas = new Canvas(size, size);
  const s = size;
  const radius = 0.2 * s;
  const m = 0.04 * s;
  const roundedSquare = (x: number, y: number): boolean => {
    const qx = Math.max(Math.abs(x - s / 2) - (s / 2 - m - radius), 0);
    const qy = Math.max(Math.abs(y - s / 2) - (s / 2 - m - radius), 0);
    return qx * qx + qy * qy <= radius * radius;
  };
  canvas.fill([0x1d, 0x20, 0x26], roundedSquare);
  const c = 0.44 * s;
  const clear = circle(0.66 * s, 0.66 * s, 0.24 * s);
  canvas.fill([0xe8, 0xea, 0xee], (x, y) => ring(c, c, 0.3 * s, 0.19 * s)(x, y) && !clear(x, y));
  canvas.fill(DOT_COLOURS.green, circle(0.66 * s, 0.66 * s, 0.17 * s));
  return canvas;
}
