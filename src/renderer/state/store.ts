/** The dashboard's state: the latest snapshot, the feed's health, what the user chose to see, and actions in flight. */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ActionResult, ProcessRef, Snapshot, UsageReport } from '../../shared/api.js';
import type { ConnectionState, DashboardApi } from '../api/dashboard-api.js';
import { shareSnapshot } from '../model/sharing.js';
import { processKey } from '../../core/fleet/combined.js';

import { THIS_MACHINE, type ProcessFilter, type ProcessSort, type ProcessSortKey, type RangePreset, type Tab } from '../model/view-state.js';

export type { ProcessFilter, ProcessSort, ProcessSortKey, RangePreset, SortDirection, Tab } from '../model/view-state.js';

export interface Toast {
  id: number;
  kind: 'ok' | 'error';
  message: string;
}

export interface RangeReport {
  /** `since..until` the report was asked for. */
  key: string;
  report: UsageReport | null;
  loading: boolean;
  error: string | null;
}

export interface DashboardState {
  snapshot: Snapshot | null;
  connection: ConnectionState;
  connectionDetail: string | null;
  /** Why the first snapshot could not be loaded, shown in place of the tabs. */
  loadError: string | null;
  /** Client time (ms) the latest snapshot arrived. */
  lastUpdate: number | null;
  tab: Tab;
  processFilter: ProcessFilter;
  processSort: ProcessSort;
  /** The process whose detail row is open: a local one's PID, or `<machine>:<pid>` (processKey). */
  expandedProcess: number | string | null;
  /** A process the user asked to see (sessions link, tray notification): scrolled to and highlighted once. */
  focusPid: number | null;
  sessionProject: string;
  range: { preset: RangePreset; since: string; until: string };
  /** Whose per-model and per-project costs the Usage tab shows: THIS_MACHINE, ALL_MACHINES or a remote machine's name. */
  usageMachine: string;
  rangeReport: RangeReport | null;
  /** Keys of actions in flight: `kill:<process key>`, `pin:<…>`, `unpin:<…>` (processKey: the PID, or `<machine>:<pid>`), `kill-stale`. */
  pending: Record<string, true>;
  toasts: Toast[];
}

export interface DashboardActions {
  applySnapshot(snapshot: Snapshot): void;
  setConnection(state: ConnectionState, detail?: string): void;
  setLoadError(message: string | null): void;
  setTab(tab: Tab): void;
  setProcessFilter(filter: Partial<DashboardState['processFilter']>): void;
  sortProcessesBy(key: ProcessSortKey): void;
  toggleExpanded(key: number | string): void;
  focusProcess(pid: number): void;
  clearFocus(): void;
  setSessionProject(project: string): void;
  setRange(range: Partial<DashboardState['range']>): void;
  setUsageMachine(machine: string): void;
  setRangeReport(report: RangeReport | null): void;
  /** The process as listed (PID and startId): the core refuses a PID that names another process by now. */
  kill(target: ProcessRef, force: boolean): Promise<void>;
  pin(target: ProcessRef): Promise<void>;
  unpin(target: ProcessRef): Promise<void>;
  killStale(): Promise<void>;
  dismissToast(id: number): void;
}

export type DashboardStore = StoreApi<DashboardState & DashboardActions>;

/** Columns whose first click sorts the largest first. */
const DESCENDING_FIRST: ProcessSortKey[] = ['cpu', 'memory', 'uptime'];

export function initialState(): DashboardState {
  return {
    snapshot: null,
    connection: 'connecting',
    connectionDetail: null,
    loadError: null,
    lastUpdate: null,
    tab: 'processes',
    processFilter: { text: '', health: 'all' },
    processSort: { key: 'cpu', direction: 'desc' },
    expandedProcess: null,
    focusPid: null,
    sessionProject: '',
    range: { preset: '30d', since: '', until: '' },
    usageMachine: THIS_MACHINE,
    rangeReport: null,
    pending: {},
    toasts: [],
  };
}

let nextToastId = 1;

/** Only what names the process (a listed process carries much more): its machine's server checks the rest. */
function refOf({ pid, startId, machine }: ProcessRef): ProcessRef {
  return machine === undefined ? { pid, startId } : { pid, startId, machine };
}

export function createDashboardStore(api: DashboardApi): DashboardStore {
  return createStore<DashboardState & DashboardActions>()((set, get) => {
    const toast = (kind: Toast['kind'], message: string): void => {
      const id = nextToastId++;
      set((s) => ({ toasts: [...s.toasts.slice(-4), { id, kind, message }] }));
    };
    const showResult = (result: ActionResult): void => toast(result.ok ? 'ok' : 'error', result.message);
    const withPending = async (key: string, action: () => Promise<void>): Promise<void> => {
      if (get().pending[key]) return;
      set((s) => ({ pending: { ...s.pending, [key]: true } }));
      try {
        await action();
      } catch (error) {
        toast('error', (error as Error).message || 'The action failed.');
      } finally {
        set((s) => {
          const pending = { ...s.pending };
          delete pending[key];
          return { pending };
        });
      }
      // Its result arrives with the snapshot the monitor polls right after the action, pushed like every other.
    };

    return {
      ...initialState(),
      applySnapshot(snapshot) {
        const prev = get().snapshot;
        if (prev && Date.parse(snapshot.generatedAt) < Date.parse(prev.generatedAt)) return;
        set({ snapshot: shareSnapshot(prev, snapshot), lastUpdate: Date.now(), loadError: null });
      },
      setConnection(connection, detail) {
        set({ connection, connectionDetail: detail ?? null });
      },
      setLoadError(loadError) {
        set({ loadError });
      },
      setTab(tab) {
        set({ tab });
      },
      setProcessFilter(filter) {
        set((s) => ({ processFilter: { ...s.processFilter, ...filter } }));
      },
      sortProcessesBy(key) {
        set((s) => {
          if (s.processSort.key === key) return { processSort: { key, direction: s.processSort.direction === 'asc' ? 'desc' : 'asc' } };
          return { processSort: { key, direction: DESCENDING_FIRST.includes(key) ? 'desc' : 'asc' } };
        });
      },
      toggleExpanded(key) {
        set((s) => ({ expandedProcess: s.expandedProcess === key ? null : key }));
      },
      focusProcess(pid) {
        const known = get().snapshot?.processes.processes.some((p) => p.pid === pid);
        if (get().snapshot && !known) {
          set({ tab: 'processes' });
          toast('error', `Process ${pid} is not running any more.`);
          return;
        }
        set({ tab: 'processes', expandedProcess: pid, focusPid: pid, processFilter: { text: '', health: 'all' } });
      },
      clearFocus() {
        set({ focusPid: null });
      },
      setSessionProject(sessionProject) {
        set({ sessionProject });
      },
      setRange(range) {
        set((s) => ({ range: { ...s.range, ...range } }));
      },
      setUsageMachine(usageMachine) {
        set({ usageMachine });
      },
      setRangeReport(rangeReport) {
        set({ rangeReport });
      },
      kill(target, force) {
        return withPending(`kill:${processKey(target)}`, async () => showResult(await api.kill(refOf(target), force)));
      },
      pin(target) {
        return withPending(`pin:${processKey(target)}`, async () => showResult(await api.pin(refOf(target))));
      },
      unpin(target) {
        return withPending(`unpin:${processKey(target)}`, async () => showResult(await api.unpin(refOf(target))));
      },
      killStale() {
        return withPending('kill-stale', async () => {
          const results = await api.killStale();
          if (results.length === 0) toast('ok', 'No stale Claude Code process to kill.');
          for (const result of results) showResult(result);
        });
      },
      dismissToast(id) {
        set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
      },
    };
  });
}

/** Subscribes the store to the API: first snapshot, the live feed, connection changes and focus requests. */
export function connectStore(store: DashboardStore, api: DashboardApi): () => void {
  const state = store.getState();
  const unsubscribers: Array<() => void> = [];
  unsubscribers.push(api.onSnapshot((snapshot) => store.getState().applySnapshot(snapshot)));
  if (api.onConnection) unsubscribers.push(api.onConnection((s, detail) => store.getState().setConnection(s, detail)));
  else state.setConnection('live');
  if (api.onFocusProcess) unsubscribers.push(api.onFocusProcess((pid) => store.getState().focusProcess(pid)));
  api.getSnapshot().then(
    (snapshot) => store.getState().applySnapshot(snapshot),
    (error: Error) => {
      if (!store.getState().snapshot) store.getState().setLoadError(error.message || 'The first snapshot could not be loaded.');
    },
  );
  return () => {
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}
