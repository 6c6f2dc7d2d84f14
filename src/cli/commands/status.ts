import type { Command } from '../command.js';
import { colourEnabled, painter } from '../format/colour.js';
import { openCore } from '../core.js';
import { processJson, processTable } from '../format/process-table.js';

export const statusCommand: Command = {
  name: 'status',
  usage: [
    'Usage: tce status [--json]',
    '',
    'One row per Claude Code process: health (healthy, stale, zombie, hog, pinned), activity (busy, idle, or waiting',
    'for you, with what for and how long: those come first), CPU, memory, uptime, kind (print for -p runs), session,',
    'name and project. Colours only on a terminal, never under NO_COLOR.',
    '',
    '  --json  machine-readable {processes: [...], summary: {...}, waiting: N}',
  ].join('\n'),
  options: { json: { type: 'boolean' } },
  async run(input) {
    if (input.positionals.length > 0) {
      input.io.stderr.write(`tce status: unexpected argument '${input.positionals[0]}'.\n\n${this.usage}\n`);
      return 2;
    }
    const snapshot = await openCore(input).processes.scan();
    if (input.values.json) {
      input.io.stdout.write(`${JSON.stringify(processJson(snapshot), null, 2)}\n`);
    } else {
      const { outputWidth } = await import('../format/table.js');
      input.io.stdout.write(await processTable(snapshot, painter(colourEnabled(input.io.stdout, input.io.env)), outputWidth(input.io.stdout, input.io.env)));
    }
    return 0;
  },
};
