// Fake of the parts of Electron that src/main, src/preload and electron-store use, so main-process code runs
// under Node. Every object records what was done to it; tests read `fake` and drive events (clicks, closes,
// IPC invokes) through it. `fake.reset()` starts a test from a clean slate.
import { EventEmitter } from 'node:events';
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
  enabled?: boolean;
  checked?: boolean;
  submenu?: FakeMenuItem[];
  click?: (item: FakeMenuItem, ...rest: unknown[]) => void;
}

/** Emits 'menu-will-show' and 'menu-will-close' when a test opens or closes it, as Electron's Menu does. */
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

  /** Clicks an item the way Electron does: a checkbox flips `checked` first. */
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
    const menu = new FakeMenu(structuredCloneTemplate(template));
    fake.menusBuilt.push(menu);
    return menu;
  },
};

/** Copies a template keeping the click functions (Electron builds its own items from it too). */
function structuredCloneTemplate(items: FakeMenuItem[]): FakeMenuItem[] {
  return items.map((item) => ({ ...item, ...(item.submenu ? { submenu: structuredCloneTemplate(item.submenu) } : {}) }));
}

// ---------------------------------------------------------------- Tray

export class Tray extends EventEmitter {
  image: FakeNativeImage;
  title = '';
  tooltip = '';
  menu: FakeMenu | null = null;
  destroyed = false;
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
  setTitle(title: string): void {
    this.calls.setTitle++;
    this.title = title;
  }
  setToolTip(tooltip: string): void {
    this.calls.setToolTip++;
    this.tooltip = tooltip;
  }
  setContextMenu(menu: FakeMenu | null): void {
    this.calls.setContextMenu++;
    this.menu = menu;
  }
  popUpContextMenu(): void {}
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

  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
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

export class BrowserWindow extends EventEmitter {
  readonly options: Record<string, unknown> & { webPreferences?: Record<string, unknown> };
  readonly webContents = new FakeWebContents();
  visible = false;
  destroyed = false;
  minimized = false;
  bounds: { x: number; y: number; width: number; height: number };
  loadedUrl: string | null = null;

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
  async loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    this.webContents.url = url;
    this.webContents.mainFrame.url = url;
  }
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  focus(): void {}
  isVisible(): boolean {
    return this.visible;
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
  getBounds(): { x: number; y: number; width: number; height: number } {
    return { ...this.bounds };
  }
  getNormalBounds(): { x: number; y: number; width: number; height: number } {
    return { ...this.bounds };
  }
  /** Moves/resizes the window as a user would, emitting `move` and `resize`. */
  setBounds(bounds: Partial<{ x: number; y: number; width: number; height: number }>): void {
    this.bounds = { ...this.bounds, ...bounds };
    this.emit('move');
    this.emit('resize');
  }
  /** A user's close: emits a cancellable `close`; destroys unless prevented. Returns the event. */
  close(): FakeEvent {
    const event = new FakeEvent();
    this.emit('close', event);
    if (!event.defaultPrevented) this.destroy();
    return event;
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.visible = false;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

// ---------------------------------------------------------------- ipcMain / ipcRenderer / contextBridge

type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;

class FakeIpcMain extends EventEmitter {
  readonly handlers = new Map<string, InvokeHandler>();
  handle(channel: string, handler: InvokeHandler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** Invokes a channel as a renderer would; `event` is the IpcMainInvokeEvent (sender, senderFrame). */
  async invoke(channel: string, event: unknown, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler(event, ...args);
  }
}

export const ipcMain = new FakeIpcMain();

class FakeIpcRenderer extends EventEmitter {
  readonly invoked: Array<{ channel: string; args: unknown[] }> = [];
  reply: (channel: string, args: unknown[]) => unknown = () => undefined;
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push({ channel, args });
    return this.reply(channel, args);
  }
}

export const ipcRenderer = new FakeIpcRenderer();

export const contextBridge = {
  exposeInMainWorld(key: string, api: unknown): void {
    fake.exposed.set(key, api);
  },
};

// ---------------------------------------------------------------- Notification, dialog, shell, clipboard, protocol

export class Notification extends EventEmitter {
  static isSupported(): boolean {
    return true;
  }
  readonly title: string;
  readonly body: string;
  shown = false;
  constructor(options: { title?: string; body?: string } = {}) {
    super();
    this.title = options.title ?? '';
    this.body = options.body ?? '';
  }
  show(): void {
    this.shown = true;
    fake.notifications.push(this);
  }
  close(): void {
    this.emit('close', new FakeEvent());
  }
}

export const dialog = {
  async showMessageBox(options: Record<string, unknown>): Promise<{ response: number; checkboxChecked: boolean }> {
    fake.dialogs.push(options);
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

export const clipboard = {
  writeText(text: string): void {
    fake.clipboard = text;
  },
  readText(): string {
    return fake.clipboard;
  },
};

export const protocol = {
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    fake.privilegedSchemes.push(...schemes);
  },
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
    fake.protocolHandlers.set(scheme, handler);
  },
  unhandle(scheme: string): void {
    fake.protocolHandlers.delete(scheme);
  },
};

// ---------------------------------------------------------------- screen

export const screen = {
  getAllDisplays(): Array<{ id: number; workArea: { x: number; y: number; width: number; height: number } }> {
    return fake.displays.map((workArea, i) => ({ id: i + 1, workArea: { ...workArea } }));
  },
};

// ---------------------------------------------------------------- app

class FakeApp extends EventEmitter {
  isPackaged = false;
  quitCalls = 0;
  exitCode: number | null = null;
  singleInstance = true;
  userData = path.join(os.tmpdir(), 'tce-fake-electron-userData');
  loginItem: { openAtLogin: boolean; args: string[] } = { openAtLogin: false, args: [] };
  wasOpenedAtLogin = false;
  appUserModelId: string | null = null;
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
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  isReady(): boolean {
    return true;
  }
  quit(): void {
    this.quitCalls++;
  }
  exit(code = 0): void {
    this.exitCode = code;
  }
  setAppUserModelId(id: string): void {
    this.appUserModelId = id;
  }
  setLoginItemSettings(settings: { openAtLogin?: boolean; args?: string[] }): void {
    this.loginItem = { openAtLogin: settings.openAtLogin ?? false, args: settings.args ?? [] };
  }
  getLoginItemSettings(): { openAtLogin: boolean; wasOpenedAtLogin: boolean } {
    return { openAtLogin: this.loginItem.openAtLogin, wasOpenedAtLogin: this.wasOpenedAtLogin };
  }
}

export const app = new FakeApp();

// ---------------------------------------------------------------- the recorder

export const fake = {
  trays: [] as Tray[],
  menusBuilt: [] as FakeMenu[],
  windows: [] as BrowserWindow[],
  notifications: [] as Notification[],
  dialogs: [] as Array<Record<string, unknown>>,
  /** What the next dialog.showMessageBox answers (button index). */
  dialogResponse: 0,
  openedExternal: [] as string[],
  openedPaths: [] as string[],
  clipboard: '',
  privilegedSchemes: [] as unknown[],
  protocolHandlers: new Map<string, (request: Request) => Response | Promise<Response>>(),
  exposed: new Map<string, unknown>(),
  /** Work areas of the attached displays (screen.getAllDisplays). */
  displays: [{ x: 0, y: 0, width: 1920, height: 1050 }] as Array<{ x: number; y: number; width: number; height: number }>,

  /** Back to a fresh Electron: no trays, windows, handlers or listeners. */
  reset(): void {
    fake.trays.length = 0;
    fake.menusBuilt.length = 0;
    fake.windows.length = 0;
    fake.notifications.length = 0;
    fake.dialogs.length = 0;
    fake.dialogResponse = 0;
    fake.openedExternal.length = 0;
    fake.openedPaths.length = 0;
    fake.clipboard = '';
    fake.privilegedSchemes.length = 0;
    fake.protocolHandlers.clear();
    fake.exposed.clear();
    fake.displays = [{ x: 0, y: 0, width: 1920, height: 1050 }];
    ipcMain.handlers.clear();
    ipcMain.removeAllListeners();
    ipcRenderer.removeAllListeners();
    ipcRenderer.invoked.length = 0;
    ipcRenderer.reply = () => undefined;
    app.removeAllListeners();
    app.quitCalls = 0;
    app.exitCode = null;
    app.singleInstance = true;
    app.loginItem = { openAtLogin: false, args: [] };
    app.wasOpenedAtLogin = false;
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
  dialog,
  ipcMain,
  ipcRenderer,
  Menu,
  nativeImage,
  Notification,
  protocol,
  screen,
  session,
  shell,
  Tray,
};
