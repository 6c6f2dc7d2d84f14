import { nativeImage, type NativeImage } from 'electron';
import { drawAppIcon, drawTrayIcon, type TrayState } from './icon-drawing.js';
import { encodePng } from './png.js';

/** Logical size of the tray icon in points; drawn at 1x and 2x. */
export const TRAY_ICON_SIZE = 16;

/** The PNGs for one state, at normal and double scale. */
export function trayIconPngs(state: TrayState): { scale1: Buffer; scale2: Buffer } {
  return {
    scale1: encodePng(drawTrayIcon(state, TRAY_ICON_SIZE)),
    scale2: encodePng(drawTrayIcon(state, TRAY_ICON_SIZE * 2)),
  };
}

const cache = new Map<TrayState, NativeImage>();

/** The tray image for a state, with both scales, drawn once per state. */
export function trayImage(state: TrayState): NativeImage {
  let image = cache.get(state);
  if (!image) {
    const { scale1, scale2 } = trayIconPngs(state);
    image = nativeImage.createFromBuffer(scale1, { scaleFactor: 1 });
    image.addRepresentation({ scaleFactor: 2, buffer: scale2 });
    cache.set(state, image);
  }
  return image;
}

let appIcon: NativeImage | null = null;

/** The application icon for the dashboard window (Linux and Windows show it in the title bar and task switcher). */
export function appImage(): NativeImage {
  appIcon ??= nativeImage.createFromBuffer(encodePng(drawAppIcon(256)), { scaleFactor: 1 });
  return appIcon;
}
