/**
 * Keeps V8's compiled code for TCE's modules between runs of `tce` (Node's module compile cache), in a folder only
 * this user can read: a warm `tce usage` spent about a fifth of its time compiling the same code again.
 */
import module from 'node:module';
import path from 'node:path';
import { cacheDir } from '../core/paths.js';

// node:fs taken from the module itself: its ES module face loads fs/promises, streams and readline, ~3 ms of every
// `tce` run (a `tce usage` with nothing to read takes ~15 ms beside Node's start).
const { mkdirSync } = process.getBuiltinModule('node:fs');

export function keepCompiledCode(env: NodeJS.ProcessEnv = process.env): void {
  if (env.NODE_COMPILE_CACHE !== undefined || typeof module.enableCompileCache !== 'function') return;
  const dir = path.join(cacheDir(env), 'compiled');
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    module.enableCompileCache(dir);
  } catch {
    // Only slower without it.
  }
}
