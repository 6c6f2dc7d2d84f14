import { Menu, Tray } from 'electron';
import { countLabel } from './icon-drawing.js';
import { trayImage } from './tray-icon.js';
import { trayMenuTemplate, type TrayActions } from './tray-menu.js';
import { tooltip, type TrayView } from './tray-view.js';

/**
 * The tray icon and its menu. Each part is redrawn only when what it shows changed: the icon on a change of state
 * or count, the title and tooltip on a change of their text, the menu when any of its lines or entries changed.
 * The session count is the title on macOS; elsewhere a tray has no title, so it is drawn into the icon.
 */
export class TrayPresenter {
  private readonly tray: Tray;
  private shownImage: string | null = null;
  private shownTitle: string | null = null;
  private shownTooltip: string | null = null;
  private shownMenu: string | null = null;
  /**
   * Replacing a menu while it is open closes it under the user's pointer on macOS and Windows, and both report when
   * it closes: there a change waits for `menu-will-close`. Linux's DBus menu never reports that close and updates
   * in place, so there the menu is always replaced at once.
   */
  private menuOpen = false;
  private deferred: TrayView | null = null;

  constructor(
    private readonly actions: TrayActions,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {
    this.tray = new Tray(trayImage('grey'));
    this.shownImage = 'grey:';
    // A left click on Windows does not open the context menu by itself; the menu holds everything.
    if (platform === 'win32') this.tray.on('click', () => this.tray.popUpContextMenu());
  }

  show(view: TrayView): void {
    const drawnCount = this.platform === 'darwin' ? '' : countLabel(view.count);
    const imageKey = `${view.state}:${drawnCount}`;
    if (imageKey !== this.shownImage) {
      this.tray.setImage(trayImage(view.state, drawnCount));
      this.shownImage = imageKey;
    }
    if (this.platform === 'darwin') {
      const title = view.count > 0 ? String(view.count) : '';
      if (title !== this.shownTitle) {
        this.tray.setTitle(title);
        this.shownTitle = title;
      }
    }
    const tip = tooltip(view, this.platform);
    if (tip !== this.shownTooltip) {
      this.tray.setToolTip(tip);
      this.shownTooltip = tip;
    }
    this.showMenu(view);
  }

  private showMenu(view: TrayView): void {
    if (this.menuOpen && this.platform !== 'linux') {
      this.deferred = view;
      return;
    }
    const key = JSON.stringify(view);
    if (key === this.shownMenu) return;
    const menu = Menu.buildFromTemplate(trayMenuTemplate(view, this.actions));
    if (this.platform !== 'linux') {
      menu.on('menu-will-show', () => {
        this.menuOpen = true;
      });
      menu.on('menu-will-close', () => {
        this.menuOpen = false;
        const next = this.deferred;
        this.deferred = null;
        if (next) this.showMenu(next);
      });
    }
    this.tray.setContextMenu(menu);
    this.shownMenu = key;
  }

  /** True while the tray icon exists. */
  isAlive(): boolean {
    return !this.tray.isDestroyed();
  }

  destroy(): void {
    this.tray.destroy();
  }
}
