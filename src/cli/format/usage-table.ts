/** Number formats and the token columns of the usage commands (no colours: output is often piped). */
import type { ClaudeCodeCost, TokenTotals } from '../../core/usage/index.js';
import { formatSpan } from '../../shared/format.js';
// Types only: `tce statusline` formats amounts with this module and must not load the table's width rules.
import type { Column } from './table.js';

/** Thousands separators without Intl (whose first use costs tens of milliseconds at start-up). */
export function tokens(n: number): string {
  const whole = Math.round(n);
  const digits = String(Math.abs(whole));
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return whole < 0 ? `-${out}` : out;
}

/** Dollars with cents; amounts under a cent keep four decimals so they do not read as zero. */
export function usd(n: number): string {
  if (n !== 0 && Math.abs(n) < 0.01) return `$${n.toFixed(4)}`;
  const cents = Math.round(Math.abs(n) * 100);
  return `${n < 0 ? '-' : ''}$${tokens(Math.floor(cents / 100))}.${String(cents % 100).padStart(2, '0')}`;
}

/**
 * Cost cell: tokens of models without a price make the amount a lower bound, marked `+?`; with nothing priced at all
 * it says `unpriced`, never $0.00 (UNPRICED_NOTE explains the marks under a table).
 */
export function costCell(t: TokenTotals): string {
  if (t.unpricedTokens > 0 && t.costUSD === 0) return 'unpriced';
  return t.unpricedTokens > 0 ? `${usd(t.costUSD)}+?` : usd(t.costUSD);
}

export const UNPRICED_NOTE = '+? and unpriced: the cost leaves out tokens of models with no known price.';

/** Claude Code's own figure for a row, or `-` where none of its sessions wrote one. */
export function claudeCodeCell(cc: ClaudeCodeCost | null): string {
  return cc ? usd(cc.costUSD) : '-';
}

/** What Claude Code's figure adds to the transcripts' (session titles, /compact summaries), signed. */
export function notInTranscriptsCell(cc: ClaudeCodeCost | null): string {
  if (!cc) return '-';
  return cc.notInTranscriptsUSD < 0 ? usd(cc.notInTranscriptsUSD) : `+${usd(cc.notInTranscriptsUSD)}`;
}

export const TOKEN_COLUMNS: Column[] = [
  { title: 'Input', align: 'right' },
  { title: 'Output', align: 'right' },
  { title: 'Cache write', align: 'right' },
  { title: 'Cache read', align: 'right' },
  { title: 'Total tokens', align: 'right' },
  { title: 'Searches', align: 'right' },
  { title: 'Cost', align: 'right' },
];

export const CLAUDE_CODE_COLUMNS: Column[] = [
  { title: 'Claude Code', align: 'right' },
  { title: 'Not in transcripts', align: 'right' },
];

export function tokenCells(t: TokenTotals): string[] {
  return [tokens(t.inputTokens), tokens(t.outputTokens), tokens(t.cacheCreationTokens), tokens(t.cacheReadTokens), tokens(t.totalTokens), tokens(t.webSearchRequests), costCell(t)];
}

export function claudeCodeCells(cc: ClaudeCodeCost | null): string[] {
  return [claudeCodeCell(cc), notInTranscriptsCell(cc)];
}

export const NO_TALLY_NOTE = "Claude Code: -: no figure of its own. Claude Code writes its running tally (cost-state lines) since 2.1.332; older versions leave only the transcripts";
export const GUESSED_NOTE = 'Claude Code priced a model it did not know at a default rate: its figure is partly a guess.';

/** Lines under a table that shows Claude Code's figure: what it adds, and where it is missing or a guess. */
export function claudeCodeNotes(total: ClaudeCodeCost | null, anyUsage: boolean): string[] {
  if (!anyUsage) return [];
  if (!total) return [`${NO_TALLY_NOTE}.`];
  const sessions = (n: number) => (n === 1 ? '1 session' : `${n} sessions`);
  const out = [`Claude Code's own figure: ${usd(total.costUSD)} for ${sessions(total.sessions)}, ${notInTranscriptsCell(total)} more than their transcripts show (session titles, /compact summaries).`];
  if (total.sessionsWithout > 0) {
    out.push(`${sessions(total.sessionsWithout)} from Claude Code before 2.1.332 wrote no tally: their cost is the transcripts' alone. Together: ${usd(total.combinedCostUSD)}.`);
  }
  if (total.unknownModelCost) out.push(GUESSED_NOTE);
  return out;
}
/** Model ids without the `claude-` prefix, to keep tables narrow. */
export function shortModel(model: string): string {
  return model.startsWith('claude-') ? model.slice('claude-'.length) : model;
}

/** `2026-11-23 21:04` in a time zone. */
export function localDateTime(iso: string, timeZone: string): string {
  const parts: Record<string, string> = {};
  const f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  for (const p of f.formatToParts(new Date(iso))) parts[p.type] = p.value;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** A session's length: 45s, 12m, 26h 05m (hours past a day stay hours). */
export function duration(seconds: number): string {
  return formatSpan(seconds, { padMinutes: true, noDays: true });
}
