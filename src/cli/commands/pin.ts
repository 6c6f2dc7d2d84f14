import type { Command } from '../command.js';
import { openCore } from '../core.js';
import { pidArgument, report, START_OPTION_HELP, targetOf } from '../process-target.js';

export const pinCommand: Command = {
  name: 'pin',
  usage: [
    'Usage: tce pin PID [--start ID]',
    '',
    'The pin holds for this process only (PID and start) and survives restarts of TCE.',
    '',
    ...START_OPTION_HELP,
  ].join('\n'),
  options: { start: { type: 'string' } },
  async run(input) {
    const arg = pidArgument(input, this.usage);
    if ('error' in arg) {
      input.io.stderr.write(`tce pin: ${arg.error}\n`);
      return 2;
    }
    const monitor = openCore(input).processes;
    const target = await targetOf(monitor, arg);
    if (!target) return report(input, { ok: false, pid: arg.pid, outcome: 'not-found', message: `No process with PID ${arg.pid} is running; nothing was pinned.` });
    return report(input, await monitor.pin(target));
  },
};
