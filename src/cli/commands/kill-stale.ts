import type { Command } from '../command.js';
import { openCore } from '../core.js';

export const killStaleCommand: Command = {
  name: 'kill-stale',
  usage: [
    'Usage: tce kill-stale [--dry-run]',
    '',
    'Stale: idle longer than the limit in the settings (4 h interactive, 8 h background) with CPU under the idle',
    'line. Pinned sessions are never stale. Each one is re-checked right before it is signalled (SIGTERM).',
    '',
    '  --dry-run  list what would be ended; signal nothing',
  ].join('\n'),
  options: { 'dry-run': { type: 'boolean' } },
  async run(input) {
    if (input.positionals.length > 0) {
      input.io.stderr.write(`tce kill-stale: unexpected argument '${input.positionals[0]}' (to end one process: tce kill PID).\n`);
      return 2;
    }
    const dryRun = input.values['dry-run'] === true;
    const results = await openCore(input).processes.killStale({ dryRun });
    if (results.length === 0) {
      input.io.stdout.write('No stale Claude Code sessions.\n');
      return 0;
    }
    for (const r of results) (r.ok ? input.io.stdout : input.io.stderr).write(`${r.message}\n`);
    const failed = results.filter((r) => !r.ok).length;
    if (dryRun) input.io.stdout.write(`${results.length} stale session(s); nothing was signalled (dry run).\n`);
    else input.io.stdout.write(`Ended ${results.length - failed} of ${results.length} stale session(s).\n`);
    return failed > 0 ? 1 : 0;
  },
};
