#!/usr/bin/env node
// Entry of the `tce` command: runs the compiled CLI, or says how to build it.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(`tce needs Node.js 22 or newer; this is ${process.version}.\n`);
  process.exit(1);
}
// Node's modules taken from themselves: the ES module face of node:fs loads fs/promises, streams and readline (~3 ms).
const { existsSync } = process.getBuiltinModule('node:fs');
const { fileURLToPath } = process.getBuiltinModule('node:url');
const cli = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('tce is not built yet: run `npm install` (or `npm run build`) in the project folder.\n');
  process.exit(1);
}
const { keepCompiledCode } = await import(new URL('../dist/src/cli/compile-cache.js', import.meta.url).href);
keepCompiledCode();
const { main } = await import(cli);
process.exitCode = await main(process.argv.slice(2));
