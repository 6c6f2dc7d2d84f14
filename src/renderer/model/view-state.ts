/** Plain types of the dashboard's view state (no DOM, no React): shared by the store and the pure view helpers. */
import type { Health } from '../../shared/api.js';

export type Tab = 'processes' | 'usage' | 'sessions' | 'settings';
export type ProcessSortKey = 'health' | 'project' | 'pid' | 'activity' | 'cpu' | 'memory' | 'uptime' | 'session' | 'machine';
export type SortDirection = 'asc' | 'desc';
export type RangePreset = '7d' | '30d' | '90d' | 'all' | 'custom';

/** The machine filter's values besides a remote machine's name (which starts with a letter or digit). */
export const ALL_MACHINES = '*';
export const THIS_MACHINE = '@this';

export interface ProcessFilter {
  text: string;
  health: Health | 'all';
  /** ALL_MACHINES (or absent), THIS_MACHINE, or a remote machine's name. */
  machine?: string;
}

export interface ProcessSort {
  key: ProcessSortKey;
  direction: SortDirection;
}
