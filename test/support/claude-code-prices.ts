// Claude Code's own price table, read out of the installed binary (node_modules/@anthropic-ai/claude-code): the model
// catalog it embeds (a JavaScript object literal after the marker below) and the fast-mode rates kept beside it.
// Read as data, never run: a small parser for the literal, a structural pattern for the fast-mode function.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CLAUDE_EXE = fileURLToPath(new URL('../../../node_modules/@anthropic-ai/claude-code/bin/claude.exe', import.meta.url));
const CATALOG_MARKER = Buffer.from('Hand-maintained baked-in model catalog');
const FAST_ANCHOR = Buffer.from('promptCacheWrite1hTokens:');
const CHUNK = 32 * 1024 * 1024;

export interface Rates {
  input: number;
  output: number;
  cache_write_5m: number;
  cache_write_1h: number;
  cache_read: number;
  web_search?: number;
  long_prompt?: Rates & { above_prompt_tokens: number };
}

export interface CatalogModel {
  id: string;
  pricing: string | Rates;
  provider_ids: Record<string, string | null>;
}

export interface ClaudeCodePrices {
  tiers: Record<string, Rates>;
  models: CatalogModel[];
  /** Model id -> fast-mode rates (Claude Code's names: inputTokens, ...). */
  fast: Map<string, { inputTokens: number; outputTokens: number; promptCacheWriteTokens: number; promptCacheWrite1hTokens: number; promptCacheReadTokens: number }>;
}

/** Absolute offsets of the first match of each needle, scanning the file in chunks (a match may straddle two). */
function findAll(fd: number, size: number, needles: Buffer[]): number[] {
  const found = needles.map(() => -1);
  const overlap = Math.max(...needles.map((n) => n.length));
  const buf = Buffer.allocUnsafe(CHUNK + overlap);
  for (let pos = 0; pos < size && found.includes(-1); pos += CHUNK) {
    const n = fs.readSync(fd, buf, 0, Math.min(CHUNK + overlap, size - pos), pos);
    const view = buf.subarray(0, n);
    needles.forEach((needle, i) => {
      if (found[i] !== -1) return;
      const at = view.indexOf(needle);
      if (at !== -1) found[i] = pos + at;
    });
  }
  return found;
}

function readAt(fd: number, from: number, length: number): string {
  const buf = Buffer.alloc(length);
  const n = fs.readSync(fd, buf, 0, length, Math.max(0, from));
  return buf.subarray(0, n).toString('latin1');
}

/** Parses a JavaScript object literal of plain data as minifiers write it (`!0`, `1e6`, bare keys). */
export function parseLiteral(text: string): { value: unknown; end: number } {
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`${what} at ${i}: ${JSON.stringify(text.slice(i, i + 40))}`);
  };
  const value = (): unknown => {
    const c = text[i];
    if (c === '{') {
      i++;
      const o: Record<string, unknown> = {};
      while (text[i] !== '}') {
        let key: string;
        if (text[i] === '"' || text[i] === "'") key = str();
        else {
          const m = /^[A-Za-z_$][\w$]*|^\d+/.exec(text.slice(i, i + 200));
          if (!m) return fail('expected a key');
          key = m[0];
          i += key.length;
        }
        if (text[i] !== ':') return fail('expected :');
        i++;
        o[key] = value();
        if (text[i] === ',') i++;
        else if (text[i] !== '}') return fail('expected , or }');
      }
      i++;
      return o;
    }
    if (c === '[') {
      i++;
      const a: unknown[] = [];
      while (text[i] !== ']') {
        a.push(value());
        if (text[i] === ',') i++;
        else if (text[i] !== ']') return fail('expected , or ]');
      }
      i++;
      return a;
    }
    if (c === '"' || c === "'") return str();
    for (const [word, v] of [['!0', true], ['!1', false], ['true', true], ['false', false], ['null', null], ['void 0', undefined]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    const m = /^-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?/i.exec(text.slice(i, i + 40));
    if (!m) return fail('unexpected token');
    i += m[0].length;
    return Number(m[0]);
  };
  const str = (): string => {
    const quote = text[i++];
    let out = '';
    while (text[i] !== quote) {
      if (i >= text.length) return fail('unterminated string');
      if (text[i] === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else if (e === 'x') {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 4), 16));
          i += 4;
        } else {
          out += e === 'n' ? '\n' : e === 't' ? '\t' : e;
          i += 2;
        }
      } else out += text[i++];
    }
    i++;
    return out;
  };
  const v = value();
  return { value: v, end: i };
}

const RATE = '(\\d+(?:\\.\\d+)?(?:e[+-]?\\d+)?)';

export function readClaudeCodePrices(binary = CLAUDE_EXE): ClaudeCodePrices {
  const fd = fs.openSync(binary, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const [catalogAt, fastAt] = findAll(fd, size, [CATALOG_MARKER, FAST_ANCHOR]);
    if (catalogAt === undefined || catalogAt < 0) throw new Error(`no model catalog in ${binary} (looked for "${CATALOG_MARKER.toString()}")`);
    // The catalog object opens a few bytes before its "//" comment key; it is about 20 KB.
    const head = readAt(fd, catalogAt - 64, 64 * 1024);
    const open = head.lastIndexOf('{', 64);
    if (open < 0) throw new Error('the model catalog does not start where expected');
    const catalog = parseLiteral(head.slice(open)).value as { pricing_tiers: Record<string, Rates>; models: CatalogModel[] };

    if (fastAt === undefined || fastAt < 0) throw new Error(`no fast-mode price constants in ${binary}`);
    const around = readAt(fd, fastAt - 4096, 32 * 1024);
    const constants = new Map<string, ClaudeCodePrices['fast'] extends Map<string, infer V> ? V : never>();
    const constRe = new RegExp(
      `([\\w$]+)=\\{inputTokens:${RATE},outputTokens:${RATE},promptCacheWriteTokens:${RATE},promptCacheWrite1hTokens:${RATE},promptCacheReadTokens:${RATE},webSearchRequests:${RATE}\\}`,
      'g',
    );
    for (const m of around.matchAll(constRe)) {
      constants.set(m[1]!, { inputTokens: Number(m[2]), outputTokens: Number(m[3]), promptCacheWriteTokens: Number(m[4]), promptCacheWrite1hTokens: Number(m[5]), promptCacheReadTokens: Number(m[6]) });
    }
    // The fast-mode rates: a one-argument function made only of `if(x==="model"||...)return RATES;`.
    const selector = /function [\w$]+\(([\w$]+)\)\{((?:if\((?:\1==="[^"]+"(?:\|\|)?)+\)return [\w$]+;)+)return\}/.exec(around);
    if (!selector) throw new Error('the fast-mode price function is not where it was in 2.1.332: read the binary again');
    const fast: ClaudeCodePrices['fast'] = new Map();
    for (const branch of selector[2]!.matchAll(/if\(([^)]*)\)return ([\w$]+);/g)) {
      const rates = constants.get(branch[2]!);
      if (!rates) throw new Error(`fast-mode rates ${branch[2]} not found`);
      for (const id of branch[1]!.matchAll(/"([^"]+)"/g)) fast.set(id[1]!, rates);
    }
    return { tiers: catalog.pricing_tiers, models: catalog.models, fast };
  } finally {
    fs.closeSync(fd);
  }
}
