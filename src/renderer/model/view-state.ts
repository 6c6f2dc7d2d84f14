/** Plain types of the dashboard's view state (no DOM, no React): shared by the store and the pure view helpers. */
import type { Health } from '../../shared/api.js';

export type Tab = 'processes' | 'usage' | 'sessions' | 'settings';
export type ProcessSortKey = 'health' | 'project' | 'pid' | 'activity' | 'cpu' | 'memory' | 'uptime' | 'session';
export type SortDirection = 'asc' | 'desc';
export type RangePreset = '7d' | '30d' | '90d' | 'all' | 'custom';

export interface ProcessFilter {
  text: string;
  health: Health | 'all';
}

export interface ProcessSort {
  key: ProcessSortKey;
  direction: SortDirection;
}
