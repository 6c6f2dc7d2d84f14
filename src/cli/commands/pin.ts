import type { Command } from '../command.js';
import { pidArgument, processMonitorFor, report } from '../format/process-monitor.js';

export const pinCommand: Command = {
  name: 'pin',
  usage: ['Usage: tce pin PID', '', 'The pin holds for this process only (PID and start time) and survives restarts of TCE.'].join('\n'),
  options: {},
  async run(input) {
    const arg = pidArgument(input, this.usage);
    if ('error' in arg) {
      input.io.stderr.write(`tce pin: ${arg.error}\n`);
      return 2;
    }
    return report(input, await processMonitorFor(input).pin(arg.pid));
  },
};
