import { Menu, Tray } from 'electron';
import { trayImage } from './tray-icon.js';
import { trayMenuTemplate, type TrayActions } from './tray-menu.js';
import { tooltip, type TrayView } from './tray-view.js';

/**
 * The tray icon and its menu. Each part is redrawn only when what it shows changed: the icon on a change of
 * state, the title and tooltip on a change of their text, the menu when any of its lines or entries changed.
 */
export class TrayPresenter {
  private readonly tray: Tray;
  private shownState: TrayView['state'] | null = null;
  private shownTitle: string | null = null;
  private shownTooltip: string | null = null;
  private shownMenu: string | null = null;
  /** Replacing the menu while it is open closes it under the user's pointer: changes wait until it closes. */
  private menuOpen = false;
  private deferred: TrayView | null = null;

  constructor(
    private readonly actions: TrayActions,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {
    this.tray = new Tray(trayImage('grey'));
    this.shownState = 'grey';
    // A left click on Windows does not open the context menu by itself; the menu holds everything.
    if (platform === 'win32') this.tray.on('click', () => this.tray.popUpContextMenu());
  }

  show(view: TrayView): void {
    if (view.state !== this.shownState) {
      this.tray.setImage(trayImage(view.state));
      this.shownState = view.state;
    }
    if (this.platform === 'darwin') {
      const title = view.count > 0 ? String(view.count) : '';
      if (title !== this.shownTitle) {
        this.tray.setTitle(title);
        this.shownTitle = title;
      }
    }
    const tip = tooltip(view);
    if (tip !== this.shownTooltip) {
      this.tray.setToolTip(tip);
      this.shownTooltip = tip;
    }
    this.showMenu(view);
  }

  private showMenu(view: TrayView): void {
    if (this.menuOpen) {
      this.deferred = view;
      return;
    }
    const key = JSON.stringify(view);
    if (key === this.shownMenu) return;
    const menu = Menu.buildFromTemplate(trayMenuTemplate(view, this.actions));
    // Not every platform reports these (Linux status-notifier menus may not); there the menu is simply replaced.
    menu.on('menu-will-show', () => {
      this.menuOpen = true;
    });
    menu.on('menu-will-close', () => {
      this.menuOpen = false;
      const next = this.deferred;
      this.deferred = null;
      if (next) this.showMenu(next);
    });
    this.tray.setContextMenu(menu);
    this.shownMenu = key;
  }

  destroy(): void {
    this.tray.destroy();
  }
}
