/**
 * The few usage figures the statusline shows (today's spend, the active 5-hour block), left in TCE's data folder by
 * whatever engine polls (the tray app, the dashboard server): the statusline runs after every answer of every session
 * and must start in well under 100 ms, so it reads this small file instead of opening the usage index.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writePrivateFile } from '../private-file.js';
import type { UsageBlock, UsageToday } from './types.js';

export const SUMMARY_FILE = 'usage-summary.json';
const SUMMARY_VERSION = 1;

export interface UsageSummary {
  /** ISO time of the report it was taken from. */
  generatedAt: string;
  timezone: string;
  /** Today in that zone, YYYY-MM-DD. */
  date: string;
  today: {
    /** Transcript-based cost; a lower bound when unpricedTokens > 0. */
    costUSD: number;
    unpricedTokens: number;
    /** Claude Code's figure for its sessions plus the transcripts' for the others (see ClaudeCodeCost). */
    combinedCostUSD: number;
  };
  activeBlock: { start: string; end: string; costUSD: number; unpricedTokens: number } | null;
}

/** The summary of today's figures (see usage/today.ts) and the active block, as of the report made at `generatedAt`. */
export function summaryOf(today: UsageToday, activeBlock: UsageBlock | null, generatedAt: string): UsageSummary {
  return {
    generatedAt,
    timezone: today.timezone,
    date: today.date,
    today: {
      costUSD: today.costUSD,
      unpricedTokens: today.unpricedTokens,
      combinedCostUSD: today.claudeCode?.combinedCostUSD ?? today.costUSD,
    },
    activeBlock: activeBlock ? { start: activeBlock.start, end: activeBlock.end, costUSD: activeBlock.costUSD, unpricedTokens: activeBlock.unpricedTokens } : null,
  };
}

/** Writes the summary atomically and privately (0600) if it changed; a failure is not worth more than a skipped write. */
export function writeUsageSummary(dataDir: string, summary: UsageSummary): boolean {
  const file = path.join(dataDir, SUMMARY_FILE);
  const text = JSON.stringify({ version: SUMMARY_VERSION, summary });
  try {
    if (fs.readFileSync(file, 'utf8') === text) return false;
  } catch {
    // not written yet
  }
  try {
    writePrivateFile(file, text);
    return true;
  } catch {
    return false;
  }
}

export function readUsageSummary(dataDir: string): UsageSummary | null {
  try {
    const o = JSON.parse(fs.readFileSync(path.join(dataDir, SUMMARY_FILE), 'utf8')) as { version?: unknown; summary?: UsageSummary };
    const s = o.summary;
    if (o.version !== SUMMARY_VERSION || !s || typeof s.date !== 'string' || typeof s.generatedAt !== 'string' || typeof s.today?.combinedCostUSD !== 'number') return null;
    if (s.activeBlock !== null && (typeof s.activeBlock?.end !== 'string' || typeof s.activeBlock.costUSD !== 'number')) return null;
    return s;
  } catch {
    return null;
  }
}
