/**
 * Walks chosen rows of the record store for the aggregates (report, sessions, blocks): one row at a time, its numbers
 * in fields, its model, session and project as small integer ids, its cost priced once per model. No object per
 * row, so a report over years of history is a tight loop.
 */
import type { ModelPrice } from '../settings/types.js';
import { type PriceTable, requestCost } from './prices.js';
import type { RecordStore } from './record-store.js';
import type { TokenTotals } from './types.js';

export class RecordRows {
  /** Number of rows in the walk. */
  readonly count: number;
  ts = 0;
  input = 0;
  output = 0;
  cacheWrite5m = 0;
  cacheWrite1h = 0;
  cacheRead = 0;
  webSearch = 0;
  flags = 0;
  /** Ids into `strings`. */
  modelId = 0;
  sessionId = 0;
  projectId = 0;
  private readonly priceOf: Array<ModelPrice | null | undefined> = [];

  /** @param order rows to walk, in that order (oldest first where callers need time order) */
  constructor(
    private readonly store: RecordStore,
    private readonly order: Uint32Array,
    private readonly prices: PriceTable,
  ) {
    this.count = order.length;
  }

  get strings(): readonly string[] {
    return this.store.strings;
  }

  /** Moves to the k-th row of the walk. */
  at(k: number): void {
    const row = this.order[k]!;
    const { num, ref } = this.store;
    this.ts = num.ts[row]!;
    this.input = num.input[row]!;
    this.output = num.output[row]!;
    this.cacheWrite5m = num.cacheWrite5m[row]!;
    this.cacheWrite1h = num.cacheWrite1h[row]!;
    this.cacheRead = num.cacheRead[row]!;
    this.webSearch = num.webSearch[row]!;
    this.flags = num.flags[row]!;
    this.modelId = ref.model[row]!;
    this.sessionId = ref.session[row]!;
    this.projectId = ref.project[row]!;
  }

  get model(): string {
    return this.store.strings[this.modelId]!;
  }

  /** Cost of the current row, or null when its model has no price. */
  cost(): number | null {
    let price = this.priceOf[this.modelId];
    if (price === undefined) {
      price = this.prices.get(this.model) ?? null;
      this.priceOf[this.modelId] = price;
    }
    return price ? requestCost(price, this) : null;
  }

  /** Adds the current row to a total: its cost, or (null: no price) its tokens to the unpriced share. */
  addTo(t: TokenTotals, cost: number | null): void {
    const tokens = this.input + this.output + this.cacheWrite5m + this.cacheWrite1h + this.cacheRead;
    t.inputTokens += this.input;
    t.outputTokens += this.output;
    t.cacheCreationTokens += this.cacheWrite5m + this.cacheWrite1h;
    t.cacheReadTokens += this.cacheRead;
    t.totalTokens += tokens;
    t.webSearchRequests += this.webSearch;
    if (cost === null) t.unpricedTokens += tokens;
    else t.costUSD += cost;
  }
}
