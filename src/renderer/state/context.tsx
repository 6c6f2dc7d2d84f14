import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { DashboardActions, DashboardState, DashboardStore } from './store.js';

export const StoreContext = createContext<DashboardStore | null>(null);

export function useDashboardStore(): DashboardStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useDashboard outside StoreContext');
  return store;
}

/** Selects one slice of the dashboard state; re-renders only when that slice changes (Object.is). */
export function useDashboard<T>(selector: (state: DashboardState & DashboardActions) => T): T {
  return useStore(useDashboardStore(), selector);
}

/** The store's actions: stable functions, never a reason to re-render. */
export function useActions(): DashboardActions {
  return useDashboardStore().getState();
}
