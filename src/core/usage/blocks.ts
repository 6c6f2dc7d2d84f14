/**
 * 5-hour billing windows, the common local estimate: a block starts on the (UTC) hour of its first message and
 * lasts 5 h; the next message after the block's end (or after a 5 h gap) opens a new one.
 */
import type { RecordRows } from './record-rows.js';
import { emptyTotals, roundCost } from './totals.js';
import type { UsageBlock } from './types.js';

export const BLOCK_MS = 5 * 60 * 60 * 1000;
export const HOUR_MS = 60 * 60 * 1000;

/** @param rows oldest first */
export function buildBlocks(rows: RecordRows, now: Date = new Date()): UsageBlock[] {
  const blocks: UsageBlock[] = [];
  let current: { block: UsageBlock; startMs: number; firstMs: number; lastMs: number; models: Set<string>; unpriced: Set<string> } | null = null;
  const close = (): void => {
    if (!current) return;
    const { block, startMs, firstMs, lastMs, models, unpriced } = current;
    const nowMs = now.getTime();
    block.models = [...models].sort();
    block.unpricedModels = [...unpriced].sort();
    block.lastActivity = new Date(lastMs).toISOString();
    block.active = nowMs >= startMs && nowMs < startMs + BLOCK_MS;
    const minutes = (lastMs - firstMs) / 60_000;
    if (block.active && minutes > 0) {
      const tokensPerMinute = block.totalTokens / minutes;
      const costPerMinute = block.costUSD / minutes;
      const remaining = Math.max(0, (startMs + BLOCK_MS - nowMs) / 60_000);
      block.burnRate = { tokensPerMinute, costPerHour: costPerMinute * 60 };
      block.projection = { totalTokens: Math.round(block.totalTokens + tokensPerMinute * remaining), costUSD: Math.round((block.costUSD + costPerMinute * remaining) * 1e6) / 1e6 };
    }
    blocks.push(roundCost(block));
    current = null;
  };
  for (let k = 0; k < rows.count; k++) {
    rows.at(k);
    const ts = rows.ts;
    if (current && (ts >= current.startMs + BLOCK_MS || ts - current.lastMs >= BLOCK_MS)) close();
    if (!current) {
      const startMs = Math.floor(ts / HOUR_MS) * HOUR_MS;
      current = {
        startMs,
        firstMs: ts,
        lastMs: ts,
        models: new Set(),
        unpriced: new Set(),
        block: { start: new Date(startMs).toISOString(), end: new Date(startMs + BLOCK_MS).toISOString(), lastActivity: '', active: false, models: [], burnRate: null, projection: null, ...emptyTotals() },
      };
    }
    const cost = rows.cost();
    if (cost === null) current.unpriced.add(rows.model);
    rows.addTo(current.block, cost);
    current.models.add(rows.model);
    current.lastMs = Math.max(current.lastMs, ts);
  }
  close();
  return blocks;
}
