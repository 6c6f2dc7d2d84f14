// Runs every compiled test file under Node's test runner, with `electron` resolved to the fake in test/mocks.
// Usage: node scripts/run-tests.js [unit|e2e] [extra node --test args]
import { spawnSync } from 'node:child_process';
import { existsSync, globSync, mkdirSync } from 'node:fs';

const which = process.argv[2] === 'unit' || process.argv[2] === 'e2e' ? process.argv[2] : 'all';
const extra = process.argv.slice(which === 'all' ? 2 : 3);
const patterns = [];
if (which !== 'e2e') patterns.push('dist/test/**/*.test.js');
if (which !== 'unit') patterns.push('dist/e2e/**/*.test.js');
const files = patterns.flatMap((p) => globSync(p)).sort();
if (files.length === 0) {
  console.error('No compiled tests found: run `npm run build` first.');
  process.exit(1);
}
if (!existsSync('dist/test/mocks/register-electron.js')) {
  console.error('dist/test/mocks/register-electron.js is missing: run `npm run build` first.');
  process.exit(1);
}
mkdirSync('test-output', { recursive: true });
const result = spawnSync(
  process.execPath,
  ['--import', './dist/test/mocks/register-electron.js', '--test', '--test-concurrency=3', ...extra, ...files],
  { stdio: 'inherit', env: { ...process.env, TCE_TEST_OUTPUT: 'test-output' } },
);
process.exit(result.status ?? 1);
