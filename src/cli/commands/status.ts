import type { Command, CommandInput } from '../command.js';
import { colourEnabled, painter } from '../format/colour.js';
import { openCore } from '../core.js';
import { processJson, processTable } from '../format/process-table.js';
import { fleetProcessSnapshot } from '../../core/fleet/combined.js';
import { unreachableLines } from '../format/machines.js';

export const statusCommand: Command = {
  name: 'status',
  usage: [
    'Usage: tce status [--json]',
    '',
    'One row per Claude Code process: health (healthy, stale, zombie, hog, pinned), activity (busy, idle, or waiting',
    'for you, with what for and how long: those come first), CPU, memory, uptime, kind (print for -p runs), session,',
    'name and project. Colours only on a terminal, never under NO_COLOR.',
    '',
    '  --json      machine-readable {processes: [...], summary: {...}, waiting: N}',
    '  --machines  also the remote machines\' processes (`tce remote`), with a MACHINE column; machines that do not',
    '              answer are named with when they last did (--json adds machines: [...])',
  ].join('\n'),
  options: { json: { type: 'boolean' }, machines: { type: 'boolean' } },
  async run(input) {
    if (input.positionals.length > 0) {
      input.io.stderr.write(`tce status: unexpected argument '${input.positionals[0]}'.\n\n${this.usage}\n`);
      return 2;
    }
    if (input.values.machines) return machinesStatus(input);
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

/** `tce status --machines`: this machine's scan and every remote machine asked at once, each with its deadline. */
async function machinesStatus(input: CommandInput): Promise<number> {
  const core = openCore(input);
  const [local] = await Promise.all([core.processes.scan(), core.fleet.pollAll()]);
  const machines = core.fleet.machines();
  const snapshot = fleetProcessSnapshot(local, machines);
  const now = Date.now();
  if (input.values.json) {
    const list = machines.map((m) => ({
      name: m.name,
      url: m.url,
      reachable: m.reachable,
      lastSeen: m.lastSeen,
      checkedAt: m.checkedAt,
      error: m.error,
      hostname: m.summary?.hostname ?? null,
      version: m.summary?.version ?? null,
      processes: m.reachable && m.summary ? m.summary.processes.processes.length : null,
    }));
    input.io.stdout.write(`${JSON.stringify({ ...processJson(snapshot), machines: list }, null, 2)}\n`);
    return 0;
  }
  const paint = painter(colourEnabled(input.io.stdout, input.io.env));
  const lines = unreachableLines(machines, now, paint);
  if (machines.length === 0) lines.push('No remote machines: add one with `tce remote add NAME URL --token-file FILE`.');
  const { outputWidth } = await import('../format/table.js');
  input.io.stdout.write(`${await processTable(snapshot, paint, outputWidth(input.io.stdout, input.io.env))}${lines.map((l) => `${l}\n`).join('')}`);
  return 0;
}
