import { BrowserWindow, screen, type BrowserWindowConstructorOptions, type NativeImage, type Rectangle, type WebPreferences } from 'electron';
import type { WindowBounds } from '../core/settings/types.js';
import { DASHBOARD_URL } from './app-protocol.js';
import { lockDownContents } from './security.js';

/** The renderer gets no Node, an isolated and sandboxed preload, and nothing that could widen that. */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

export interface DashboardWindowOptions {
  preload: string;
  /** Where the window was last (from the settings), or null for the default place. */
  bounds: WindowBounds | null;
  saveBounds(bounds: WindowBounds): void;
  icon?: NativeImage | string;
}

const SAVE_DELAY_MS = 500;
/** How much of the title bar must be on a screen for the remembered place to be used. */
const MIN_VISIBLE_PX = 80;

/** True when enough of the window's top edge lies on some display's work area to grab it (a monitor may be gone). */
export function reachable(bounds: Rectangle, displays: Rectangle[]): boolean {
  return displays.some((area) => {
    const overlapX = Math.min(bounds.x + bounds.width, area.x + area.width) - Math.max(bounds.x, area.x);
    const topInside = bounds.y >= area.y && bounds.y < area.y + area.height - 20;
    return overlapX >= Math.min(MIN_VISIBLE_PX, bounds.width) && topInside;
  });
}

/** The dashboard: created on first use, hidden (not destroyed) on close, reopened where it was left. */
export class DashboardWindow {
  private window: BrowserWindow | null = null;
  private quitting = false;
  private saveTimer: NodeJS.Timeout | null = null;
  private loaded: Promise<void> | null = null;

  constructor(private readonly options: DashboardWindowOptions) {}

  /** The live window's contents, for IPC sender checks and pushes. */
  contents(): Electron.WebContents | null {
    return this.window && !this.window.isDestroyed() ? this.window.webContents : null;
  }

  isVisible(): boolean {
    return this.window !== null && !this.window.isDestroyed() && this.window.isVisible();
  }

  /** Shows the window (creating it if needed); resolves once the page has loaded. */
  async show(): Promise<void> {
    const win = this.ensure();
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
    await this.loaded;
  }

  /** From now on a close really closes (the app is quitting). */
  allowClose(): void {
    this.quitting = true;
    this.flushBounds();
  }

  private ensure(): BrowserWindow {
    if (this.window && !this.window.isDestroyed()) return this.window;
    const b = this.options.bounds;
    const options: BrowserWindowConstructorOptions = {
      width: b?.width ?? 1100,
      height: b?.height ?? 720,
      minWidth: 900,
      minHeight: 600,
      show: false,
      title: 'TCE',
      autoHideMenuBar: true,
      webPreferences: secureWebPreferences(this.options.preload),
    };
    if (b?.x !== undefined && b.y !== undefined && this.placeStillOnScreen({ x: b.x, y: b.y, width: options.width!, height: options.height! })) {
      options.x = b.x;
      options.y = b.y;
    }
    if (this.options.icon) options.icon = this.options.icon;
    const win = new BrowserWindow(options);
    this.window = win;
    lockDownContents(win.webContents);
    win.on('close', (event) => {
      if (this.quitting) return;
      event.preventDefault();
      this.flushBounds();
      win.hide();
    });
    win.on('resize', () => this.scheduleSave());
    win.on('move', () => this.scheduleSave());
    win.on('closed', () => {
      if (this.window === win) this.window = null;
    });
    this.loaded = win.loadURL(DASHBOARD_URL).catch(() => undefined);
    return win;
  }

  /** A place on a monitor that is no longer attached would open the window where nobody can see it. */
  private placeStillOnScreen(bounds: Rectangle): boolean {
    try {
      return reachable(bounds, screen.getAllDisplays().map((d) => d.workArea));
    } catch {
      return false;
    }
  }

  private scheduleSave(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.flushBounds(), SAVE_DELAY_MS);
    this.saveTimer.unref?.();
  }

  private flushBounds(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    const win = this.window;
    if (!win || win.isDestroyed() || win.isMinimized()) return;
    const { x, y, width, height } = win.getNormalBounds();
    this.options.saveBounds({ x, y, width, height });
  }
}
