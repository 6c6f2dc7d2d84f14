/**
 * Text as a terminal lays it out: wide characters (CJK) and emoji take two columns, combining marks and escape
 * sequences none. string-width keeps those Unicode rules (grapheme clusters, East Asian Width, emoji sequences);
 * loading it costs about 25 ms (its Unicode property patterns), so it is loaded only where a table is printed (see
 * table.ts), never for --json nor by `tce statusline`, which Claude Code starts for every line it draws.
 */
import stringWidth from 'string-width';

/** Columns `text` takes in a terminal; ANSI colours take none. */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

let segmenter: Intl.Segmenter | null = null;

/** The user-perceived characters of `text` (a flag, a family emoji, e + accent are one each). */
function graphemes(text: string): string[] {
  segmenter ??= new Intl.Segmenter();
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** `text` filled with spaces to `width` columns, on the right (left-aligned) or on the left (right-aligned). */
export function pad(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'right' ? fill + text : text + fill;
}

/** At most `width` columns of `text`: its end cut and marked `…`. For names and prompts, whose start says most. */
export function truncateEnd(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  let out = '';
  let used = 0;
  for (const g of graphemes(text)) {
    const w = displayWidth(g);
    if (used + w > width - 1) break;
    out += g;
    used += w;
  }
  return `${out}…`;
}

/** At most `width` columns of `text`: its start cut and marked `…`. For paths, whose end names the project. */
export function truncateStart(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  let out = '';
  let used = 0;
  const parts = graphemes(text);
  for (let i = parts.length - 1; i >= 0; i--) {
    const g = parts[i] as string;
    const w = displayWidth(g);
    if (used + w > width - 1) break;
    out = g + out;
    used += w;
  }
  return `…${out}`;
}

/** Splits a word wider than `width` columns into pieces that fit. */
function hardBreak(word: string, width: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  let used = 0;
  for (const g of graphemes(word)) {
    const w = displayWidth(g);
    if (used + w > width && piece !== '') {
      pieces.push(piece);
      piece = '';
      used = 0;
    }
    piece += g;
    used += w;
  }
  if (piece !== '') pieces.push(piece);
  return pieces;
}

/**
 * `text` in lines of at most `width` columns, broken after spaces (so a list `a, b, c` breaks after its commas); a
 * word wider than a line is cut where it must be.
 */
export function wrap(text: string, width: number): string[] {
  if (displayWidth(text) <= width) return [text];
  const lineWidth = Math.max(1, width);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/(?<= )/)) {
    if (displayWidth(line + word.trimEnd()) <= lineWidth) {
      line += word;
      continue;
    }
    if (line.trim() !== '') lines.push(line.trimEnd());
    const pieces = displayWidth(word.trimEnd()) > lineWidth ? hardBreak(word.trimEnd(), lineWidth) : [word];
    lines.push(...pieces.slice(0, -1));
    line = pieces.at(-1) ?? '';
  }
  if (line.trim() !== '') lines.push(line.trimEnd());
  return lines;
}
