// `npm run bench [suite]`: every benchmark, each printing its numbers against a baseline measured in the same run.
// `usage-big` (2 GB written and read, a few minutes) runs only when named.
const only = process.argv[2];
const ONLY_WHEN_NAMED = new Set(['usage-big']);
const suites: Array<[string, () => Promise<{ run: () => Promise<void> }>]> = [];
suites.push(['server', () => import('./server.js')]);
suites.push(['renderer', () => import('./renderer.js')]);
suites.push(['table-model', () => import('./table-model.js')]);
suites.push(['usage', () => import('./usage.js')]);
suites.push(['process-scan', () => import('./process-scan.js')]);
suites.push(['idle', () => import('./idle.js')]);
suites.push(['usage-big', () => import('./usage-big.js')]);
suites.push(['tray', () => import('./tray.js')]);
suites.push(['statusline', () => import('./statusline.js')]);
suites.push(['fleet', () => import('./fleet.js')]);

let failed = false;
for (const [name, load] of suites) {
  if (only ? only !== name : ONLY_WHEN_NAMED.has(name)) continue;
  console.log(`\n=== bench: ${name} ===`);
  try {
    await (await load()).run();
  } catch (error) {
    failed = true;
    console.error(`bench ${name} failed: ${(error as Error).stack}`);
  }
}
process.exitCode = failed ? 1 : 0;
