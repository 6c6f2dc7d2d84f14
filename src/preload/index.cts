// The dashboard's bridge to the main process. Sandboxed preloads are CommonJS and can require only `electron`,
// so this file imports nothing but types from the shared contract, and names its channels as checked literals.
import electron = require('electron');
import type { IpcRendererEvent } from 'electron';
import type { IpcInvokeChannel, IpcInvokeMap, IpcPushChannel, IpcPushMap, ProcessRef, Snapshot, TceApi } from '../shared/api.js';

const { contextBridge, ipcRenderer } = electron;

function invoke<C extends IpcInvokeChannel>(channel: C, ...args: IpcInvokeMap[C]['args']): Promise<IpcInvokeMap[C]['result']> {
  return ipcRenderer.invoke(channel, ...args) as Promise<IpcInvokeMap[C]['result']>;
}

/** Subscribes to one push channel; the listener sees the payload only, never the event (which holds the sender). */
function subscribe<C extends IpcPushChannel>(channel: C, listener: (payload: IpcPushMap[C]) => void): () => void {
  const wrapped = (_event: IpcRendererEvent, payload: IpcPushMap[C]): void => listener(payload);
  ipcRenderer.on(channel, wrapped);
  return () => {
    ipcRenderer.removeListener(channel, wrapped);
  };
}

const api: TceApi & { onFocusProcess(listener: (pid: number) => void): () => void } = {
  getSnapshot: () => invoke('tce:get-snapshot'),
  onSnapshot: (listener: (snapshot: Snapshot) => void) => subscribe('tce:snapshot', listener),
  kill: (target: ProcessRef, force: boolean) => invoke('tce:kill', { pid: target.pid, startId: target.startId }, force),
  killStale: () => invoke('tce:kill-stale'),
  pin: (target: ProcessRef) => invoke('tce:pin', { pid: target.pid, startId: target.startId }),
  unpin: (target: ProcessRef) => invoke('tce:unpin', { pid: target.pid, startId: target.startId }),
  getSettings: () => invoke('tce:get-settings'),
  updateSettings: (patch) => invoke('tce:update-settings', patch),
  onFocusProcess: (listener: (pid: number) => void) => subscribe('tce:focus-process', listener),
};

contextBridge.exposeInMainWorld('tce', api);
