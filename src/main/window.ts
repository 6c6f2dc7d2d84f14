import { app, BrowserWindow, nativeTheme, screen, type BrowserWindowConstructorOptions, type NativeImage, type Rectangle, type WebPreferences } from 'electron';
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
  platform?: NodeJS.Platform;
  /**
   * True where no tray icon can be seen: closing the window then really closes it (and the app quits), and its menu
   * bar stays in view. Otherwise a close only hides it, since the tray brings it back.
   */
  closeQuits?: boolean;
}

/** The dashboard's page background in each theme (`--bg` in src/renderer/styles.css): the window opens in it. */
export const WINDOW_BACKGROUND = { light: '#f6f7f9', dark: '#14171c' } as const;

/** How long a loaded page may take to report its first render before the window is shown anyway. */
const FIRST_RENDER_GRACE_MS = 3000;

const SAVE_DELAY_MS = 500;
/** How much of the title bar must be on a screen for the remembered place to be used. */
const MIN_VISIBLE_PX = 80;

/**
 * Loads the dashboard and resolves when the window can be shown: at `ready-to-show`, or when the load failed or the
 * window closed (so that a caller never waits forever), or a grace period after a load that never reported a render.
 */
function firstRender(win: BrowserWindow): Promise<void> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | null = null;
    let settled = false;
    const done = (): void => {
      settled = true;
      if (timer) clearTimeout(timer);
      resolve();
    };
    win.once('ready-to-show', done);
    win.once('closed', done);
    win.loadURL(DASHBOARD_URL).then(
      () => {
        if (settled) return;
        timer = setTimeout(done, FIRST_RENDER_GRACE_MS);
        timer.unref?.();
      },
      (error: unknown) => {
        console.error(`TCE: the dashboard page did not load: ${(error as Error).message}`);
        done();
      },
    );
  });
}

/** True when enough of the window's top edge lies on some display's work area to grab it (a monitor may be gone). */
export function reachable(bounds: Rectangle, displays: Rectangle[]): boolean {
  return displays.some((area) => {
    const overlapX = Math.min(bounds.x + bounds.width, area.x + area.width) - Math.max(bounds.x, area.x);
    const topInside = bounds.y >= area.y && bounds.y < area.y + area.height - 20;
    return overlapX >= Math.min(MIN_VISIBLE_PX, bounds.width) && topInside;
  });
}

/**
 * The dashboard: created on first use, shown once its page has rendered (no white flash), hidden (not destroyed) on
 * close, reopened where it was left.
 */
export class DashboardWindow {
  private window: BrowserWindow | null = null;
  private quitting = false;
  private saveTimer: NodeJS.Timeout | null = null;
  private rendered: Promise<void> | null = null;

  constructor(private readonly options: DashboardWindowOptions) {}

  /** The live window's contents, for IPC sender checks and pushes. */
  contents(): Electron.WebContents | null {
    return this.window && !this.window.isDestroyed() ? this.window.webContents : null;
  }

  isVisible(): boolean {
    return this.window !== null && !this.window.isDestroyed() && this.window.isVisible();
  }

  /** The window when it is on screen: dialogs are made modal to it. */
  visibleWindow(): BrowserWindow | null {
    return this.window && !this.window.isDestroyed() && this.window.isVisible() ? this.window : null;
  }

  /**
   * Shows the window (creating it if needed) once its page has rendered, and brings it to the front: on macOS an app
   * without a Dock icon is not the active app, so its window would open behind the others.
   */
  async show(): Promise<void> {
    const win = this.ensure();
    await this.rendered;
    if (win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
    if (this.options.platform === 'darwin') {
      app.show();
      app.focus({ steal: true });
    }
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
      backgroundColor: nativeTheme.shouldUseDarkColors ? WINDOW_BACKGROUND.dark : WINDOW_BACKGROUND.light,
      title: 'TCE',
      autoHideMenuBar: !this.options.closeQuits,
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
      this.flushBounds();
      if (this.quitting || this.options.closeQuits) return;
      event.preventDefault();
      win.hide();
    });
    win.on('resize', () => this.scheduleSave());
    win.on('move', () => this.scheduleSave());
    win.on('closed', () => {
      if (this.window === win) this.window = null;
    });
    this.rendered = firstRender(win);
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
