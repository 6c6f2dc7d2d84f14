import type { Command } from '../command.js';
import { pidArgument, processMonitorFor, report } from '../format/process-monitor.js';

export const unpinCommand: Command = {
  name: 'unpin',
  usage: 'Usage: tce unpin PID',
  options: {},
  async run(input) {
    const arg = pidArgument(input, this.usage);
    if ('error' in arg) {
      input.io.stderr.write(`tce unpin: ${arg.error}\n`);
      return 2;
    }
    return report(input, await processMonitorFor(input).unpin(arg.pid));
  },
};
