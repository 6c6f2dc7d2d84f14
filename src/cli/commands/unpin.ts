import type { Command } from '../command.js';
import { openCore } from '../core.js';
import { pidArgument, report, START_OPTION_HELP, targetOf } from '../process-target.js';

export const unpinCommand: Command = {
  name: 'unpin',
  usage: ['Usage: tce unpin PID [--start ID]', '', 'Removes the pin of that process (a pin of a process that has ended goes too).', '', ...START_OPTION_HELP].join('\n'),
  options: { start: { type: 'string' } },
  async run(input) {
    const arg = pidArgument(input, this.usage);
    if ('error' in arg) {
      input.io.stderr.write(`tce unpin: ${arg.error}\n`);
      return 2;
    }
    const monitor = openCore(input).processes;
    // No process has this PID: any pin of it is dead, whatever start it names, and goes.
    const target = (await targetOf(monitor, arg)) ?? { pid: arg.pid, startId: 'ms:0' };
    return report(input, await monitor.unpin(target));
  },
};
