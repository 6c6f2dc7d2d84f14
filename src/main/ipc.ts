import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { IpcInvokeChannel, IpcInvokeMap, IpcPushChannel, IpcPushMap, TceApi } from '../shared/api.js';
import { PARSERS } from './ipc-validate.js';

/** Decides whether an IPC message comes from our own dashboard page. */
export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;

/** Only the dashboard window's top frame, showing one of the app's own pages (`isOwnPage`), may call the API. */
export function dashboardSenderCheck(dashboard: () => WebContents | null, isOwnPage: (url: string) => boolean): SenderCheck {
  return (event) => {
    const contents = dashboard();
    if (!contents || event.sender !== contents) return false;
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null) return false;
    return isOwnPage(frame.url);
  };
}

type Handlers = { [C in IpcInvokeChannel]: (...args: IpcInvokeMap[C]['args']) => Promise<IpcInvokeMap[C]['result']> };

/** What each invoke channel does, through the monitor (which re-verifies every process it signals). */
export function apiHandlers(api: Omit<TceApi, 'onSnapshot'>): Handlers {
  return {
    'tce:get-snapshot': () => api.getSnapshot(),
    'tce:kill': (target, force) => api.kill(target, force),
    'tce:kill-stale': () => api.killStale(),
    'tce:pin': (target) => api.pin(target),
    'tce:unpin': (target) => api.unpin(target),
    'tce:get-settings': () => api.getSettings(),
    'tce:update-settings': (patch) => api.updateSettings(patch),
  };
}

function register<C extends IpcInvokeChannel>(channel: C, handlers: Handlers, trusted: SenderCheck): void {
  const parse = PARSERS[channel];
  const run = handlers[channel] as (...args: IpcInvokeMap[C]['args']) => Promise<IpcInvokeMap[C]['result']>;
  ipcMain.handle(channel, async (event, ...args: unknown[]) => {
    if (!trusted(event)) throw new Error(`Refused ${channel}: the sender is not the TCE dashboard.`);
    return run(...parse(args));
  });
}

/** Registers every invoke channel; returns a function that removes them. */
export function registerIpc(api: Omit<TceApi, 'onSnapshot'>, trusted: SenderCheck): () => void {
  const handlers = apiHandlers(api);
  const channels = Object.keys(PARSERS) as IpcInvokeChannel[];
  for (const channel of channels) register(channel, handlers, trusted);
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}

/** Sends a typed push message to the dashboard, if it is open and alive. */
export function push<C extends IpcPushChannel>(contents: WebContents | null, channel: C, payload: IpcPushMap[C]): void {
  if (contents && !contents.isDestroyed()) contents.send(channel, payload);
}
