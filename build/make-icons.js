// `npm run icons`: draws TCE's icons with the app's own drawing code and PNG encoder (run `npm run build:node` first).
//   build/icon.png            1024 px app icon: electron-builder makes the macOS .icns and the Windows .ico from it
//   build/icons/<N>x<N>.png   the Linux icon set (AppImage, deb)
//   assets/tray/<state>.png   what the tray shows in each state, at 1x and @2x (the app draws these itself at run time)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const compiled = path.join(root, 'dist', 'src', 'main');
if (!fs.existsSync(path.join(compiled, 'icon-drawing.js'))) {
  console.error('The app is not compiled yet: run `npm run build:node` first.');
  process.exit(1);
}
const { drawAppIcon, drawTrayIcon, TRAY_STATES } = await import(path.join(compiled, 'icon-drawing.js'));
const { encodePng } = await import(path.join(compiled, 'png.js'));
const { TRAY_ICON_SIZE } = await import(path.join(compiled, 'tray-icon.js')).catch(() => ({ TRAY_ICON_SIZE: 16 }));

function write(relative, image) {
  const file = path.join(root, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const png = encodePng(image);
  fs.writeFileSync(file, png);
  console.log(`${relative}  ${image.width}x${image.height}  ${png.length} bytes`);
}

write('build/icon.png', drawAppIcon(1024));
for (const size of [16, 32, 48, 64, 128, 256, 512]) write(`build/icons/${size}x${size}.png`, drawAppIcon(size));
for (const state of TRAY_STATES) {
  write(`assets/tray/${state}.png`, drawTrayIcon(state, TRAY_ICON_SIZE));
  write(`assets/tray/${state}@2x.png`, drawTrayIcon(state, TRAY_ICON_SIZE * 2));
}
