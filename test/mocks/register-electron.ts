// Preloaded by scripts/run-tests.js: makes `import ... from 'electron'` and `require('electron')` (the CommonJS
// preload) load the fake in ./electron.js. Synchronous hooks cover require as well as import; the real package
// must never load here (its entry tries to download a binary).
import module from 'node:module';

const fake = new URL('./electron.js', import.meta.url).href;

if (typeof module.registerHooks === 'function') {
  module.registerHooks({
    resolve(specifier, context, nextResolve) {
      if (specifier === 'electron') return { url: fake, shortCircuit: true, format: 'module' };
      return nextResolve(specifier, context);
    },
  });
} else {
  module.register('./electron-resolver.js', import.meta.url);
}
