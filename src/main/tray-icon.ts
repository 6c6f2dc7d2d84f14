import { nativeImage, type NativeImage } from 'electron';
import { IconCache } from './icon-cache.js';
import { drawAppIcon, drawTrayIcon, type TrayState } from './icon-drawing.js';
import { encodePng } from './png.js';

/** Logical size of the tray icon in points; drawn at 1x and 2x. */
export const TRAY_ICON_SIZE = 16;

/** The PNGs for one state (and count label, '' for none), at normal and double scale. */
export function trayIconPngs(state: TrayState, count = ''): { scale1: Buffer; scale2: Buffer } {
  return {
    scale1: encodePng(drawTrayIcon(state, TRAY_ICON_SIZE, count)),
    scale2: encodePng(drawTrayIcon(state, TRAY_ICON_SIZE * 2, count)),
  };
}

const images = new IconCache<NativeImage>((state, count) => {
  const { scale1, scale2 } = trayIconPngs(state, count);
  const image = nativeImage.createFromBuffer(scale1, { scaleFactor: 1 });
  image.addRepresentation({ scaleFactor: 2, buffer: scale2 });
  return image;
});

/** The tray image for a state and count label, with both scales, drawn once and then reused. */
export function trayImage(state: TrayState, count = ''): NativeImage {
  return images.get(state, count);
}

let appIcon: NativeImage | null = null;

/** The application icon for the dashboard window (Linux and Windows show it in the title bar and task switcher). */
export function appImage(): NativeImage {
  appIcon ??= nativeImage.createFromBuffer(encodePng(drawAppIcon(256)), { scaleFactor: 1 });
  return appIcon;
}
