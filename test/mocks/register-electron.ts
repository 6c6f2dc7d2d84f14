// Preloaded by scripts/run-tests.js: makes `import ... from 'electron'` load the fake in ./electron.js.
import { register } from 'node:module';

register('./electron-resolver.js', import.meta.url);
