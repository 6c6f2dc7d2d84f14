import type { Command } from '../command.js';
import { openCore } from '../core.js';
import { pidArgument, report, START_OPTION_HELP, targetOf } from '../process-target.js';

export const killCommand: Command = {
  name: 'kill',
  usage: [
    'Usage: tce kill PID [--force] [--start ID]',
    '',
    'Checks right before signalling that PID is still the same Claude Code process (same start) and yours; anything',
    'else is refused and left alone. Reports whether it exited.',
    '',
    '  --force     SIGKILL instead of SIGTERM',
    ...START_OPTION_HELP,
  ].join('\n'),
  options: { force: { type: 'boolean' }, start: { type: 'string' } },
  async run(input) {
    const arg = pidArgument(input, this.usage);
    if ('error' in arg) {
      input.io.stderr.write(`tce kill: ${arg.error}\n`);
      return 2;
    }
    const monitor = openCore(input).processes;
    const target = await targetOf(monitor, arg);
    if (!target) return report(input, { ok: false, pid: arg.pid, outcome: 'not-found', message: `No process with PID ${arg.pid} is running; nothing was signalled.` });
    return report(input, await monitor.kill(target, input.values.force === true));
  },
};
