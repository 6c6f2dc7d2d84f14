import type { Command } from '../command.js';
import { pidArgument, processMonitorFor, report } from '../format/process-monitor.js';

export const killCommand: Command = {
  name: 'kill',
  usage: [
    'Usage: tce kill PID [--force]',
    '',
    'Checks right before signalling that PID is still the same Claude Code process and yours; anything else is',
    'refused and left alone. Reports whether it exited.',
    '',
    '  --force  SIGKILL instead of SIGTERM',
  ].join('\n'),
  options: { force: { type: 'boolean' } },
  async run(input) {
    const arg = pidArgument(input, this.usage);
    if ('error' in arg) {
      input.io.stderr.write(`tce kill: ${arg.error}\n`);
      return 2;
    }
    return report(input, await processMonitorFor(input).kill(arg.pid, input.values.force === true));
  },
};
