import type { Settings } from './types.js';

export const DEFAULT_SETTINGS: Settings = {
  pollIntervalSeconds: 10,
  health: {
    staleInteractiveHours: 4,
    staleBackgroundHours: 8,
    idleCpuPercent: 1,
    hogCpuPercent: 90,
    hogMemoryMiB: 4096,
  },
  notifications: { stale: true, zombie: true, hog: true, cooldownMinutes: 30, pausedUntil: null, waiting: true, planThresholds: true, planThresholdPercents: [80, 95] },
  priceOverrides: {},
  dashboardPort: 5111,
  pins: [],
  startHidden: true,
  windowBounds: null,
  remotes: [],
};
