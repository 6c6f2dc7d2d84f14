/**
 * The app's identity as the systems know it: electron-builder's appId (bundle id, Linux desktop name) and, on
 * Windows, the AppUserModelID that toasts and the taskbar use. They must be the same string (test/main/packaging).
 */
export const APP_ID = 'dev.tce.monitor';
