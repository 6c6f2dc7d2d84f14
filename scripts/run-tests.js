// Builds, then runs every test under Node's test runner from dist/, with `electron` resolved to the fake in
// test/mocks. Tests run from the compiled output, so they always get a fresh build first (tsc is incremental: a
// few seconds when little changed), and only the tests whose sources exist run: a compiled test left in dist/ by a
// test file since removed or renamed is not run.
// Usage: node scripts/run-tests.js [unit|e2e] [extra node --test args]
import { spawnSync } from 'node:child_process';
import { existsSync, globSync, mkdirSync } from 'node:fs';

const which = process.argv[2] === 'unit' || process.argv[2] === 'e2e' ? process.argv[2] : 'all';
const extra = process.argv.slice(which === 'all' ? 2 : 3);

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const build = spawnSync(npm, ['run', 'build'], { stdio: 'inherit' });
if (build.status !== 0) {
  console.error('The build failed: no tests were run.');
  process.exit(build.status ?? 1);
}

const sources = [];
if (which !== 'e2e') sources.push('test/**/*.test.ts');
if (which !== 'unit') sources.push('e2e/**/*.test.ts');
const files = sources
  .flatMap((p) => globSync(p))
  .map((f) => `dist/${f.replace(/\\/g, '/').replace(/\.ts$/, '.js')}`)
  .sort();
const missing = files.filter((f) => !existsSync(f));
if (files.length === 0 || missing.length > 0) {
  console.error(`Compiled tests are missing after the build: ${missing.join(', ') || '(none found)'}`);
  process.exit(1);
}
mkdirSync('test-output', { recursive: true });
const result = spawnSync(
  process.execPath,
  ['--import', './dist/test/mocks/register-electron.js', '--test', '--test-concurrency=3', ...extra, ...files],
  { stdio: 'inherit', env: { ...process.env, TCE_TEST_OUTPUT: 'test-output' } },
);
process.exit(result.status ?? 1);
