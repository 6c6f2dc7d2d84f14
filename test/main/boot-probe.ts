// Loaded with --import before the real main entry (dist/src/main/index.js) runs under the fake electron: waits for
// the app to come up, opens its dashboard as a second start would, and prints what it finds as one JSON line.
import fs from 'node:fs';
import { app, fake } from '../mocks/electron.js';

const deadline = Date.now() + 30_000;

async function report(): Promise<void> {
  const tray = fake.trays[0];
  if (!tray?.menu || tray.menu.items[0]?.label === 'Looking for Claude Code processes…') {
    if (Date.now() < deadline) {
      setTimeout(() => void report(), 50);
      return;
    }
  }
  const handler = fake.protocolHandlers.get('tce');
  const page = handler ? await handler(new Request('tce://dashboard/index.html')) : null;
  const windowsBefore = fake.windows.length;
  app.emit('second-instance', {}, ['tce']);
  // The dashboard opens asynchronously: wait for it (the test reports what it finds once it is there, or at the deadline).
  while (!(fake.windows[0]?.visible && fake.windows[0]?.loadedUrl) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const win = fake.windows[0];
  const preload = win?.options.webPreferences?.preload;
  process.stdout.write(
    `${JSON.stringify({
      trays: fake.trays.length,
      firstLine: tray?.menu?.items[0]?.label ?? null,
      windowsBefore,
      windowShown: win?.visible ?? false,
      loadedUrl: win?.loadedUrl ?? null,
      preload,
      preloadExists: typeof preload === 'string' && fs.existsSync(preload),
      pageStatus: page?.status ?? null,
      pageCsp: page?.headers.get('content-security-policy') ?? null,
      exitCode: app.exitCode,
    })}\n`,
  );
  process.exit(0);
}

setTimeout(() => void report(), 50);
