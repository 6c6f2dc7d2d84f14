// Fake of the parts of Electron 45 that src/main and src/preload use, so main-process code runs
// under Node. It is only as kind as Electron is: each behaviour names the Electron doc or source it mirrors
// (docs: https://www.electronjs.org/docs/latest/api/..., source: electron/electron paths). Every object records what
// was done to it; tests read `fake` and drive events (clicks, closes, suspends, IPC) through it. `fake.reset()`
// starts a test from a fresh Electron.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

type Listener = (...args: unknown[]) => unknown;

/** An event as Electron passes it to listeners that may cancel the default. */
export class FakeEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

/** Runs `fn` after the current task, as Electron delivers what the OS or another process reports. */
const later = (fn: () => void): void => {
  setImmediate(fn);
};

// ---------------------------------------------------------------- serialization

/**
 * IPC copies with the Structured Clone Algorithm: prototype chains are not included (a class instance arrives as a
 * plain object), and Functions, Promises, Symbols, WeakMaps or WeakSets throw
 * (https://www.electronjs.org/docs/latest/api/ipc-renderer#ipcrendererinvokechannel-args). The error Electron
 * raises is "An object could not be cloned." (electron/electron shell/common/v8_util.cc).
 */
export function ipcClone<T>(value: T): T {
  try {
    return structuredClone(value);
  } catch {
    throw new Error('An object could not be cloned.');
  }
}

/**
 * What crosses contextBridge: values are copied, not shared. Functions are proxied (their own properties dropped),
 * Promises proxied, Errors copied with their message only, objects and arrays copied key by key with the prototype
 * dropped ("Sending custom classes will copy values but not the prototype"), Symbols dropped, other cloneable types
 * cloned (https://www.electronjs.org/docs/latest/api/context-bridge#parameter--error--return-type-support).
 */
export function bridgeCopy(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'bigint':
      return value;
    case 'symbol':
      return undefined;
    case 'function': {
      const fn = value as (...args: unknown[]) => unknown;
      return (...args: unknown[]) => bridgeCopy(fn(...args.map(bridgeCopy)));
    }
    default:
      break;
  }
  if (value instanceof Promise) return value.then(bridgeCopy, (error: unknown) => Promise.reject(bridgeCopy(error)));
  if (value instanceof Error) return new Error(value.message);
  if (Array.isArray(value)) return value.map(bridgeCopy);
  if (value instanceof Date || value instanceof RegExp || value instanceof Map || value instanceof Set || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    return structuredClone(value);
  }
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    if (typeof inner === 'symbol') continue;
    copy[key] = bridgeCopy(inner);
  }
  return copy;
}

// ---------------------------------------------------------------- nativeImage

export class FakeNativeImage {
  readonly representations: Array<{ scaleFactor: number; buffer: Buffer }> = [];
  constructor(buffer?: Buffer, scaleFactor = 1) {
    if (buffer) this.representations.push({ scaleFactor, buffer });
  }
  addRepresentation(options: { scaleFactor?: number; buffer?: Buffer }): void {
    if (options.buffer) this.representations.push({ scaleFactor: options.scaleFactor ?? 1, buffer: options.buffer });
  }
  isEmpty(): boolean {
    return this.representations.length === 0;
  }
  getScaleFactors(): number[] {
    return this.representations.map((r) => r.scaleFactor);
  }
  setTemplateImage(): void {}
}

export const nativeImage = {
  createFromBuffer: (buffer: Buffer, options?: { scaleFactor?: number }) => new FakeNativeImage(buffer, options?.scaleFactor ?? 1),
  createEmpty: () => new FakeNativeImage(),
};

// ---------------------------------------------------------------- Menu

export interface FakeMenuItem {
  label?: string;
  id?: string;
  type?: string;
  role?: string;
  accelerator?: string;
  enabled?: boolean;
  checked?: boolean;
  submenu?: FakeMenuItem[];
  click?: (item: FakeMenuItem, ...rest: unknown[]) => void;
}

/**
 * A built menu. `menu-will-show` and `menu-will-close` come from the platform's menu
 * (https://www.electronjs.org/docs/latest/api/menu#instance-events); a tray's menu opens and closes through
 * `Tray.openMenu()` / `Tray.closeMenu()` below, which know what Linux does not report.
 */
export class FakeMenu extends EventEmitter {
  constructor(readonly items: FakeMenuItem[]) {
    super();
  }

  /** Depth-first search by id, like Menu.getMenuItemById. */
  getMenuItemById(id: string): FakeMenuItem | null {
    const walk = (items: FakeMenuItem[]): FakeMenuItem | null => {
      for (const item of items) {
        if (item.id === id) return item;
        const inner = item.submenu ? walk(item.submenu) : null;
        if (inner) return inner;
      }
      return null;
    };
    return walk(this.items);
  }

  /** Every label, submenus included, depth first. */
  labels(): string[] {
    const out: string[] = [];
    const walk = (items: FakeMenuItem[]): void => {
      for (const item of items) {
        if (item.label) out.push(item.label);
        if (item.submenu) walk(item.submenu);
      }
    };
    walk(this.items);
    return out;
  }

  /**
   * Clicks an item the way Electron does: a checkbox flips `checked` before `click(menuItem, window, event)` runs
   * (https://www.electronjs.org/docs/latest/api/menu-item#new-menuitemoptions); a disabled item cannot be clicked.
   */
  click(id: string): void {
    const item = this.getMenuItemById(id);
    if (!item) throw new Error(`no menu item ${id}`);
    if (item.enabled === false) throw new Error(`menu item ${id} is disabled`);
    if (item.type === 'checkbox') item.checked = !item.checked;
    item.click?.(item, undefined, {});
  }
}

export const Menu = {
  buildFromTemplate(template: FakeMenuItem[]): FakeMenu {
    const menu = new FakeMenu(copyTemplate(template));
    fake.menusBuilt.push(menu);
    return menu;
  },
  /** https://www.electronjs.org/docs/latest/api/menu#menusetapplicationmenumenu */
  setApplicationMenu(menu: FakeMenu | null): void {
    fake.applicationMenu = menu;
    fake.applicationMenusSet++;
  },
  getApplicationMenu(): FakeMenu | null {
    return fake.applicationMenu;
  },
};

/** Copies a template keeping the click functions (Electron builds its own items from it too). */
function copyTemplate(items: FakeMenuItem[]): FakeMenuItem[] {
  return items.map((item) => ({ ...item, ...(item.submenu ? { submenu: copyTemplate(item.submenu) } : {}) }));
}

// ---------------------------------------------------------------- Tray

export class Tray extends EventEmitter {
  image: FakeNativeImage;
  title = '';
  tooltip = '';
  menu: FakeMenu | null = null;
  destroyed = false;
  menuOpen = false;
  readonly calls = { setImage: 0, setTitle: 0, setToolTip: 0, setContextMenu: 0 };

  constructor(image: FakeNativeImage) {
    super();
    this.image = image;
    fake.trays.push(this);
  }
  setImage(image: FakeNativeImage): void {
    this.calls.setImage++;
    this.image = image;
  }
  /** macOS only (https://www.electronjs.org/docs/latest/api/tray#traysettitletitle-options-macos): elsewhere nothing shows. */
  setTitle(title: string): void {
    this.calls.setTitle++;
    if (fake.platform === 'darwin') this.title = title;
  }
  setToolTip(tooltip: string): void {
    this.calls.setToolTip++;
    this.tooltip = tooltip;
  }
  setContextMenu(menu: FakeMenu | null): void {
    this.calls.setContextMenu++;
    this.menu = menu;
  }
  popUpContextMenu(): void {
    this.openMenu();
  }
  /** The user opens the tray's menu: `menu-will-show` on every platform. */
  openMenu(): void {
    this.menuOpen = true;
    this.menu?.emit('menu-will-show', new FakeEvent());
  }
  /**
   * The user closes it. On Linux the tray menu is a DBus menu (StatusNotifierItem, electron/electron#36333), and
   * it never reports `menu-will-close` (electron/electron#28837); macOS and Windows do.
   */
  closeMenu(): void {
    this.menuOpen = false;
    if (fake.platform !== 'linux') this.menu?.emit('menu-will-close', new FakeEvent());
  }
  destroy(): void {
    this.destroyed = true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

// ---------------------------------------------------------------- Session, WebContents, BrowserWindow

type PermissionRequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void;
type PermissionCheckHandler = (contents: unknown, permission: string, origin: string, details: unknown) => boolean;

export class FakeSession {
  permissionRequestHandler: PermissionRequestHandler | null = null;
  permissionCheckHandler: PermissionCheckHandler | null = null;
  setPermissionRequestHandler(handler: PermissionRequestHandler | null): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: PermissionCheckHandler | null): void {
    this.permissionCheckHandler = handler;
  }
}

export const session = { defaultSession: new FakeSession() };

let nextContentsId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  readonly session = session.defaultSession;
  url = '';
  destroyed = false;
  readonly sent: Array<{ channel: string; payload: unknown }> = [];
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | null = null;
  /** The top frame, as IPC events carry it in `senderFrame`. */
  readonly mainFrame = { url: '', parent: null as unknown, top: null as unknown };
  /** The preload world running in this page (`fake.runSandboxedPreload`), which receives what main sends. */
  renderer: FakeIpcRenderer | null = null;

  /**
   * Sends to the page: the payload is structured-cloned, so what cannot be cloned throws here
   * (https://www.electronjs.org/docs/latest/api/web-contents#contentssendchannel-args).
   */
  send(channel: string, payload: unknown): void {
    const copy = ipcClone(payload);
    this.sent.push({ channel, payload: copy });
    const renderer = this.renderer;
    if (renderer) later(() => renderer.emit(channel, { sender: renderer, senderId: 0 }, copy));
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'allow' | 'deny' }): void {
    this.windowOpenHandler = handler;
  }
  getURL(): string {
    return this.url;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** Emits a cancellable event as Electron does (`will-navigate`, ...) and returns it. */
  emitCancellable(name: string, ...args: unknown[]): FakeEvent {
    const event = new FakeEvent();
    this.emit(name, event, ...args);
    return event;
  }
}

type Bounds = { x: number; y: number; width: number; height: number };

export class BrowserWindow extends EventEmitter {
  readonly options: Record<string, unknown> & { webPreferences?: Record<string, unknown> };
  readonly webContents = new FakeWebContents();
  visible = false;
  destroyed = false;
  minimized = false;
  focused = false;
  bounds: Bounds;
  loadedUrl: string | null = null;
  /** When it was first shown relative to its page: true when shown before `ready-to-show` (a white flash). */
  shownBeforeReady = false;
  private readyToShow = false;

  constructor(options: Record<string, unknown> = {}) {
    super();
    this.options = options;
    this.bounds = {
      x: typeof options.x === 'number' ? options.x : 100,
      y: typeof options.y === 'number' ? options.y : 100,
      width: typeof options.width === 'number' ? options.width : 800,
      height: typeof options.height === 'number' ? options.height : 600,
    };
    if (options.show !== false) this.visible = true;
    fake.windows.push(this);
  }
  static getAllWindows(): BrowserWindow[] {
    return fake.windows.filter((w) => !w.destroyed);
  }
  /**
   * Resolves once the page has loaded, on a later task; `ready-to-show` follows the first render
   * (https://www.electronjs.org/docs/latest/api/browser-window#event-ready-to-show). `fake.pageLoads` decides
   * whether the load succeeds.
   */
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    this.webContents.url = url;
    this.webContents.mainFrame.url = url;
    return new Promise((resolve, reject) => {
      later(() => {
        if (this.destroyed) {
          reject(new Error('ERR_ABORTED (-3) loading ' + url));
          return;
        }
        if (fake.pageLoadError) {
          reject(new Error(fake.pageLoadError));
          return;
        }
        resolve();
        later(() => {
          if (this.destroyed || this.readyToShow) return;
          this.readyToShow = true;
          this.emit('ready-to-show');
        });
      });
    });
  }
  show(): void {
    if (!this.readyToShow) this.shownBeforeReady = true;
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
    this.focused = false;
  }
  focus(): void {
    this.focused = true;
  }
  isVisible(): boolean {
    return this.visible;
  }
  isFocused(): boolean {
    return this.focused;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getBounds(): Bounds {
    return { ...this.bounds };
  }
  getNormalBounds(): Bounds {
    return { ...this.bounds };
  }
  /** Moves/resizes the window as a user would, emitting `move` and `resize`. */
  setBounds(bounds: Partial<Bounds>): void {
    this.bounds = { ...this.bounds, ...bounds };
    this.emit('move');
    this.emit('resize');
  }
  /**
   * A close (the user's, or app.quit()'s): emits a cancellable `close`, and destroys the window unless prevented
   * (electron/electron shell/browser/native_window.cc NativeWindow::Close; a prevented close during a quit cancels
   * the quit, shell/browser/browser.cc Browser::OnWindowCloseCancelled). Returns the event.
   */
  close(): FakeEvent {
    const event = new FakeEvent();
    if (this.destroyed) return event;
    this.emit('close', event);
    if (event.defaultPrevented) {
      app.windowCloseCancelled();
      return event;
    }
    this.destroy();
    return event;
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.visible = false;
    this.webContents.destroyed = true;
    this.emit('closed');
    app.windowClosed();
  }
}

// ---------------------------------------------------------------- ipcMain / ipcRenderer / contextBridge

type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;

class FakeIpcMain extends EventEmitter {
  readonly handlers = new Map<string, InvokeHandler>();
  handle(channel: string, handler: InvokeHandler): void {
    // electron/electron lib/browser/ipc-main-impl.ts
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /**
   * An invoke arriving from a page; `event` is the IpcMainInvokeEvent (sender, senderFrame). As in Electron
   * (electron/electron lib/browser/ipc-dispatch.ts and lib/renderer/api/ipc-renderer.ts): the arguments and the
   * result are structured-cloned, and the page sees a failure only as
   * `Error invoking remote method '<channel>': <error.toString()>` (never the error object itself).
   */
  async invoke(channel: string, event: unknown, ...args: unknown[]): Promise<unknown> {
    const copied = ipcClone(args);
    const handler = this.handlers.get(channel);
    let result: unknown;
    try {
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      result = await handler(event, ...copied);
    } catch (error) {
      throw new Error(`Error invoking remote method '${channel}': ${String(error)}`, { cause: error });
    }
    try {
      return ipcClone(result);
    } catch (error) {
      throw new Error(`Error invoking remote method '${channel}': ${String(error)}`, { cause: error });
    }
  }
}

export const ipcMain = new FakeIpcMain();

export class FakeIpcRenderer extends EventEmitter {
  readonly invoked: Array<{ channel: string; args: unknown[] }> = [];
  /** The page this preload runs in; its invokes reach ipcMain as messages from that page's top frame. */
  contents: FakeWebContents | null = null;

  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push({ channel, args });
    const contents = this.contents ?? new FakeWebContents();
    return ipcMain.invoke(channel, { sender: contents, senderFrame: { url: contents.mainFrame.url, parent: null } }, ...args);
  }
}

/** The preload's ipcRenderer (the last one `fake.runSandboxedPreload` created, or a detached one). */
export let ipcRenderer = new FakeIpcRenderer();

export const contextBridge = {
  /**
   * Copies `api` into the page's world (see bridgeCopy); binding over a key the page already has throws
   * (electron/electron shell/renderer/api/electron_api_context_bridge.cc).
   */
  exposeInMainWorld(key: string, api: unknown): void {
    if (fake.mainWorld.has(key)) throw new Error('Cannot bind an API on top of an existing property on the window object');
    fake.mainWorld.set(key, bridgeCopy(api));
  },
};

export const webFrame = { setZoomFactor(): void {}, getZoomFactor: () => 1 };
export const crashReporter = { addExtraParameter(): void {} };
export const webUtils = { getPathForFile: () => '' };

/**
 * The `electron` module a sandboxed preload gets: the renderer modules only
 * (electron/electron lib/sandboxed_renderer/api/module-list.ts).
 */
function rendererElectron(renderer: FakeIpcRenderer): Record<string, unknown> {
  return { contextBridge, crashReporter, ipcRenderer: renderer, nativeImage, webFrame, webUtils };
}

/**
 * Runs a preload file as Electron runs it in a sandboxed renderer (electron/electron lib/sandboxed_renderer/init.ts
 * and preload.ts): a function of (require, process, exports, module, Buffer, global, setImmediate, clearImmediate),
 * whose `require` gives only electron (renderer modules), events, timers and url, and throws
 * `module not found: <name>` for anything else. Its ipcRenderer talks to `contents` (a window's page).
 */
function runSandboxedPreload(file: string, contents: FakeWebContents): FakeIpcRenderer {
  const renderer = new FakeIpcRenderer();
  renderer.contents = contents;
  contents.renderer = renderer;
  ipcRenderer = renderer;
  const electronModule = rendererElectron(renderer);
  const loaded = new Map<string, unknown>([
    ['electron', electronModule],
    ['electron/common', electronModule],
    ['electron/renderer', electronModule],
    ['events', EventEmitter],
    ['node:events', EventEmitter],
    ['timers', { setTimeout, clearTimeout, setInterval, clearInterval, setImmediate, clearImmediate }],
    ['node:timers', { setTimeout, clearTimeout, setInterval, clearInterval, setImmediate, clearImmediate }],
    ['url', { URL, URLSearchParams }],
    ['node:url', { URL, URLSearchParams }],
  ]);
  const preloadRequire = (name: string): unknown => {
    if (loaded.has(name)) return loaded.get(name);
    throw new Error(`module not found: ${name}`);
  };
  const source = fs.readFileSync(file, 'utf8');
  const params = ['require', 'process', 'exports', 'module', 'Buffer', 'global', 'setImmediate', 'clearImmediate'];
  const run = new Function(...params, source) as (...args: unknown[]) => void;
  const module = { exports: {} };
  const preloadProcess = new EventEmitter();
  run(preloadRequire, preloadProcess, module.exports, module, Buffer, globalThis, setImmediate, clearImmediate);
  return renderer;
}

// ---------------------------------------------------------------- Notification, dialog, shell, clipboard, protocol

export class Notification extends EventEmitter {
  /** https://www.electronjs.org/docs/latest/api/notification#notificationissupported */
  static isSupported(): boolean {
    return fake.notificationsSupported;
  }
  readonly title: string;
  readonly body: string;
  shown = false;
  constructor(options: { title?: string; body?: string } = {}) {
    super();
    this.title = options.title ?? '';
    this.body = options.body ?? '';
  }
  /**
   * Shows it on a later task: `show`, or `failed` with the system's error when the system refuses (macOS and
   * Windows report this, https://www.electronjs.org/docs/latest/api/notification#event-failed-macos-windows).
   */
  show(): void {
    const failure = fake.notificationFailure;
    if (failure !== null) {
      fake.failedNotifications.push(this);
      later(() => this.emit('failed', new FakeEvent(), failure));
      return;
    }
    this.shown = true;
    fake.notifications.push(this);
    later(() => this.emit('show', new FakeEvent()));
  }
  close(): void {
    this.emit('close', new FakeEvent());
  }
}

export const dialog = {
  /**
   * `showMessageBox([window, ]options)`: with a window the box is modal to it
   * (https://www.electronjs.org/docs/latest/api/dialog#dialogshowmessageboxwindow-options).
   */
  async showMessageBox(windowOrOptions: unknown, maybeOptions?: Record<string, unknown>): Promise<{ response: number; checkboxChecked: boolean }> {
    const parent = windowOrOptions instanceof BrowserWindow ? windowOrOptions : null;
    const options = (parent ? maybeOptions : windowOrOptions) as Record<string, unknown>;
    fake.dialogs.push(options);
    fake.dialogParents.push(parent);
    return { response: fake.dialogResponse, checkboxChecked: false };
  },
};

export const shell = {
  async openExternal(url: string): Promise<void> {
    fake.openedExternal.push(url);
  },
  async openPath(target: string): Promise<string> {
    fake.openedPaths.push(target);
    return '';
  },
};

/**
 * Asynchronous in Electron 45: writeText and readText return promises
 * (node_modules/electron/electron.d.ts, Clipboard.writeText(text): Promise<void>). `fake.clipboardFailure` makes
 * writes reject, as a clipboard the system will not give does.
 */
export const clipboard = {
  writeText(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      later(() => {
        if (fake.clipboardFailure !== null) {
          reject(new Error(fake.clipboardFailure));
          return;
        }
        fake.clipboard = text;
        resolve();
      });
    });
  },
  readText(): Promise<string> {
    return new Promise((resolve) => later(() => resolve(fake.clipboard)));
  },
};

export const protocol = {
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    // https://www.electronjs.org/docs/latest/api/protocol#protocolregisterschemesasprivilegedcustomschemes
    if (app.ready) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    fake.privilegedSchemes.push(...schemes);
  },
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
    fake.protocolHandlers.set(scheme, handler);
  },
  unhandle(scheme: string): void {
    fake.protocolHandlers.delete(scheme);
  },
};

// ---------------------------------------------------------------- screen, nativeTheme, powerMonitor

export const screen = {
  getAllDisplays(): Array<{ id: number; workArea: Bounds }> {
    return fake.displays.map((workArea, i) => ({ id: i + 1, workArea: { ...workArea } }));
  },
};

/** https://www.electronjs.org/docs/latest/api/native-theme#nativethemeshouldusedarkcolors-readonly */
class FakeNativeTheme extends EventEmitter {
  get shouldUseDarkColors(): boolean {
    return fake.darkMode;
  }
}

export const nativeTheme = new FakeNativeTheme();

/**
 * `suspend` and `resume` (https://www.electronjs.org/docs/latest/api/power-monitor#event-suspend); tests emit them
 * with `fake.sleepAndWake()`.
 */
export const powerMonitor = new EventEmitter();

// ---------------------------------------------------------------- app

/**
 * How Electron 45 writes a Windows login item's command (electron/electron shell/browser/browser_win.cc
 * FormatCommandLineString with shell/common/command_line_util_win.cc AddQuoteForArg, since #50016): surrounding
 * quotes of the path are stripped, then the path and each argument are quoted by CommandLineToArgvW's rules.
 */
export function windowsRunCommand(exe: string, args: string[]): string {
  const bare = exe.length >= 2 && exe.startsWith('"') && exe.endsWith('"') ? exe.slice(1, -1) : exe;
  return [bare, ...args].map(quoteForArgv).join(' ');
}

function quoteForArgv(arg: string): string {
  if (!/[ \\"]/.test(arg)) return arg;
  let out = '"';
  for (let i = 0; i < arg.length; i++) {
    if (arg[i] === '\\') {
      let end = i + 1;
      while (end < arg.length && arg[end] === '\\') end++;
      const count = end - i;
      out += '\\'.repeat(end === arg.length || arg[end] === '"' ? count * 2 : count);
      i = end - 1;
    } else if (arg[i] === '"') {
      out += '\\"';
    } else {
      out += arg[i];
    }
  }
  return `${out}"`;
}

interface LoginItemRecord {
  openAtLogin: boolean;
  type?: string;
  path?: string;
  args: string[];
  /** Windows: the Run key's value as Electron writes it. */
  command: string | null;
}

class FakeApp extends EventEmitter {
  isPackaged = false;
  ready = false;
  quitting = false;
  exitCode: number | null = null;
  /** The exit after a quit that ran to its end (`quit` emitted), else null. */
  quitExitCode: number | null = null;
  singleInstance = true;
  userData = path.join(os.tmpdir(), 'tce-fake-electron-userData');
  loginItem: LoginItemRecord = { openAtLogin: false, args: [], command: null };
  wasOpenedAtLogin = false;
  appUserModelId: string | null = null;
  readonly focusCalls: Array<{ steal?: boolean } | undefined> = [];
  shown = 0;
  readonly dock = { hidden: false, hide: () => void (this.dock.hidden = true), show: () => void (this.dock.hidden = false) };

  getName(): string {
    return 'TCE';
  }
  getVersion(): string {
    return '0.1.0';
  }
  getAppPath(): string {
    return process.cwd();
  }
  getPath(name: string): string {
    if (name === 'userData') return this.userData;
    return os.tmpdir();
  }
  requestSingleInstanceLock(): boolean {
    return this.singleInstance;
  }
  /**
   * Fulfilled when Electron is initialized (https://www.electronjs.org/docs/latest/api/app#appwhenready): never in
   * the same task, and after `ready` was emitted.
   */
  whenReady(): Promise<void> {
    if (this.ready) return new Promise((resolve) => later(resolve));
    return new Promise((resolve) => {
      this.once('ready', () => resolve());
      if (!this.readyScheduled) {
        this.readyScheduled = true;
        later(() => {
          this.ready = true;
          this.emit('ready', new FakeEvent(), {});
        });
      }
    });
  }
  private readyScheduled = false;
  isReady(): boolean {
    return this.ready;
  }
  /**
   * The quit sequence of electron/electron shell/browser/browser.cc (Browser::Quit, OnWindowAllClosed,
   * NotifyAndShutdown) and https://www.electronjs.org/docs/latest/api/app#appquit: `before-quit` (cancellable),
   * then every window is closed (a prevented `close` cancels the quit), then `will-quit` (cancellable) and `quit`.
   */
  quit(): void {
    if (this.quitting) return;
    const before = new FakeEvent();
    this.emit('before-quit', before);
    if (before.defaultPrevented) return;
    this.quitting = true;
    const open = fake.windows.filter((w) => !w.destroyed);
    if (open.length === 0) {
      later(() => this.notifyAndShutdown());
      return;
    }
    for (const win of open) {
      win.close();
      if (!this.quitting) return;
    }
  }
  /** A window closed: the last one ends a quit, or emits `window-all-closed` (whose absence of listeners quits). */
  windowClosed(): void {
    if (fake.windows.some((w) => !w.destroyed)) return;
    if (this.quitting) {
      later(() => this.notifyAndShutdown());
      return;
    }
    if (this.listenerCount('window-all-closed') === 0) {
      this.quit();
      return;
    }
    this.emit('window-all-closed');
  }
  windowCloseCancelled(): void {
    this.quitting = false;
  }
  private notifyAndShutdown(): void {
    if (!this.quitting || this.quitExitCode !== null) return;
    const will = new FakeEvent();
    this.emit('will-quit', will);
    if (will.defaultPrevented) {
      this.quitting = false;
      return;
    }
    this.quitExitCode = 0;
    this.emit('quit', new FakeEvent(), 0);
  }
  /** Ends at once: no `before-quit` or `will-quit` (https://www.electronjs.org/docs/latest/api/app#appexitexitcode). */
  exit(code = 0): void {
    this.exitCode = code;
  }
  /** https://www.electronjs.org/docs/latest/api/app#appfocusoptions */
  focus(options?: { steal?: boolean }): void {
    this.focusCalls.push(options);
  }
  /** macOS: shows the app's windows again (https://www.electronjs.org/docs/latest/api/app#appshow-macos). */
  show(): void {
    this.shown++;
  }
  setAppUserModelId(id: string): void {
    this.appUserModelId = id;
  }
  /**
   * https://www.electronjs.org/docs/latest/api/app#appsetloginitemsettingssettings-macos-windows: `type` is macOS
   * 13+ (SMAppService), `path` and `args` Windows only. `fake.loginItemRefused` plays an unsigned macOS app, whose
   * registration the system refuses without an error.
   */
  setLoginItemSettings(settings: { openAtLogin?: boolean; type?: string; path?: string; args?: string[] }): void {
    if (fake.loginItemRefused) return;
    const args = fake.platform === 'win32' ? (settings.args ?? []) : [];
    const record: LoginItemRecord = { openAtLogin: settings.openAtLogin ?? false, args, command: null };
    if (fake.platform === 'darwin' && settings.type !== undefined) record.type = settings.type;
    if (fake.platform === 'win32') {
      record.path = settings.path ?? process.execPath;
      record.command = record.openAtLogin ? windowsRunCommand(record.path, args) : null;
    }
    this.loginItem = record;
  }
  /** Windows compares the path and args it is given with the Run key (same formatting); macOS reports a status. */
  getLoginItemSettings(options: { type?: string; path?: string; args?: string[] } = {}): {
    openAtLogin: boolean;
    wasOpenedAtLogin: boolean;
    status: string;
    executableWillLaunchAtLogin: boolean;
    launchItems: unknown[];
  } {
    let openAtLogin = this.loginItem.openAtLogin;
    if (fake.platform === 'win32' && openAtLogin) {
      openAtLogin = this.loginItem.command === windowsRunCommand(options.path ?? process.execPath, options.args ?? []);
    }
    const status = fake.loginItemStatus ?? (this.loginItem.openAtLogin ? 'enabled' : 'not-registered');
    return { openAtLogin, wasOpenedAtLogin: this.wasOpenedAtLogin, status, executableWillLaunchAtLogin: this.loginItem.openAtLogin, launchItems: [] };
  }
  resetState(): void {
    this.removeAllListeners();
    this.ready = false;
    this.readyScheduled = false;
    this.quitting = false;
    this.exitCode = null;
    this.quitExitCode = null;
    this.singleInstance = true;
    this.isPackaged = false;
    this.loginItem = { openAtLogin: false, args: [], command: null };
    this.wasOpenedAtLogin = false;
    this.appUserModelId = null;
    this.focusCalls.length = 0;
    this.shown = 0;
    this.dock.hidden = false;
  }
}

export const app = new FakeApp();

// ---------------------------------------------------------------- the recorder

export const fake = {
  /** The platform whose behaviour the fake plays (menus, tray titles, login items). */
  platform: process.platform as NodeJS.Platform,
  trays: [] as Tray[],
  menusBuilt: [] as FakeMenu[],
  applicationMenu: null as FakeMenu | null,
  applicationMenusSet: 0,
  windows: [] as BrowserWindow[],
  notifications: [] as Notification[],
  failedNotifications: [] as Notification[],
  /** What Notification.isSupported() answers. */
  notificationsSupported: true,
  /** When set, every notification reports `failed` with this error. */
  notificationFailure: null as string | null,
  dialogs: [] as Array<Record<string, unknown>>,
  /** The window each dialog was modal to (null: none). */
  dialogParents: [] as Array<BrowserWindow | null>,
  /** What the next dialog.showMessageBox answers (button index). */
  dialogResponse: 0,
  openedExternal: [] as string[],
  openedPaths: [] as string[],
  clipboard: '',
  clipboardFailure: null as string | null,
  /** When set, every page load fails with it. */
  pageLoadError: null as string | null,
  darkMode: false,
  loginItemRefused: false,
  loginItemStatus: null as string | null,
  privilegedSchemes: [] as unknown[],
  protocolHandlers: new Map<string, (request: Request) => Response | Promise<Response>>(),
  /** What the page's world got from contextBridge.exposeInMainWorld. */
  mainWorld: new Map<string, unknown>(),
  /** Work areas of the attached displays (screen.getAllDisplays). */
  displays: [{ x: 0, y: 0, width: 1920, height: 1050 }] as Bounds[],

  /** Runs a preload as a sandboxed renderer does, in `contents`' page (see runSandboxedPreload). */
  runSandboxedPreload(file: string, contents: FakeWebContents = new FakeWebContents()): FakeIpcRenderer {
    return runSandboxedPreload(file, contents);
  },

  /** The system sleeps and wakes: `suspend`, then `resume`. */
  sleepAndWake(): void {
    powerMonitor.emit('suspend');
    powerMonitor.emit('resume');
  },

  /** Back to a fresh Electron: no trays, windows, handlers or listeners. */
  reset(): void {
    fake.platform = process.platform;
    fake.trays.length = 0;
    fake.menusBuilt.length = 0;
    fake.applicationMenu = null;
    fake.applicationMenusSet = 0;
    fake.windows.length = 0;
    fake.notifications.length = 0;
    fake.failedNotifications.length = 0;
    fake.notificationsSupported = true;
    fake.notificationFailure = null;
    fake.dialogs.length = 0;
    fake.dialogParents.length = 0;
    fake.dialogResponse = 0;
    fake.openedExternal.length = 0;
    fake.openedPaths.length = 0;
    fake.clipboard = '';
    fake.clipboardFailure = null;
    fake.pageLoadError = null;
    fake.darkMode = false;
    fake.loginItemRefused = false;
    fake.loginItemStatus = null;
    fake.privilegedSchemes.length = 0;
    fake.protocolHandlers.clear();
    fake.mainWorld.clear();
    fake.displays = [{ x: 0, y: 0, width: 1920, height: 1050 }];
    ipcMain.handlers.clear();
    ipcMain.removeAllListeners();
    ipcRenderer = new FakeIpcRenderer();
    app.resetState();
    powerMonitor.removeAllListeners();
    nativeTheme.removeAllListeners();
    session.defaultSession.permissionRequestHandler = null;
    session.defaultSession.permissionCheckHandler = null;
  },
};

export type { Listener };

export default {
  app,
  BrowserWindow,
  clipboard,
  contextBridge,
  crashReporter,
  dialog,
  ipcMain,
  get ipcRenderer() {
    return ipcRenderer;
  },
  Menu,
  nativeImage,
  nativeTheme,
  Notification,
  powerMonitor,
  protocol,
  screen,
  session,
  shell,
  Tray,
  webFrame,
  webUtils,
};
