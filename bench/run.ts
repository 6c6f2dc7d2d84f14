// `npm run bench`: every benchmark, each printing its numbers against a baseline measured in the same run.
const only = process.argv[2];
const suites: Array<[string, () => Promise<{ run: () => Promise<void> }>]> = [];
suites.push(['server', () => import('./server.js')]);
suites.push(['renderer', () => import('./renderer.js')]);
suites.push(['table-model', () => import('./table-model.js')]);
suites.push(['usage', () => import('./usage.js')]);
suites.push(['process-scan', () => import('./process-scan.js')]);
suites.push(['tray', () => import('./tray.js')]);
suites.push(['statusline', () => import('./statusline.js')]);

let failed = false;
for (const [name, load] of suites) {
  if (only && only !== name) continue;
  console.log(`\n=== bench: ${name} ===`);
  try {
    await (await load()).run();
  } catch (error) {
    failed = true;
    console.error(`bench ${name} failed: ${(error as Error).stack}`);
  }
}
process.exitCode = failed ? 1 : 0;
