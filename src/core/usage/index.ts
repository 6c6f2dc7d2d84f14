export { UsageEngine } from './engine.js';
export type { ReportOptions, UsageEngineOptions, UsageProgress } from './engine.js';
export { BUILT_IN_PRICES, PriceTable, normaliseModel, requestCost } from './prices.js';
export { isValidDate, isValidTimeZone, localTimeZone } from './time-zone.js';
export { INDEX_FILE } from './usage-index.js';
export type * from './types.js';
