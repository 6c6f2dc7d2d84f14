import { shell, type Session, type WebContents } from 'electron';
import { isAppUrl } from './app-protocol.js';

/** Only web links go to the browser; file:, javascript:, custom schemes and malformed URLs go nowhere. */
export function isExternalWebLink(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** Opens a web link in the user's browser; a browser that cannot be started is logged, not left unhandled. */
function openInBrowser(url: string): void {
  shell.openExternal(url).catch((error: unknown) => console.error(`TCE: could not open ${url}: ${(error as Error).message}`));
}

/** Every permission request (camera, notifications, clipboard, ...) from web content is denied. */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/**
 * The dashboard stays on its own page: navigation elsewhere, redirects, new windows and webviews are refused;
 * http(s) links open in the user's browser instead.
 */
export function lockDownContents(contents: WebContents): void {
  const refuseNavigation = (event: { preventDefault(): void }, url: string): void => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    if (isExternalWebLink(url)) openInBrowser(url);
  };
  contents.on('will-navigate', (event, url) => refuseNavigation(event, url));
  contents.on('will-redirect', (event, url) => refuseNavigation(event, url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalWebLink(url)) openInBrowser(url);
    return { action: 'deny' };
  });
}
