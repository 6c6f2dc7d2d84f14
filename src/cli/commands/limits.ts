import type { Command } from '../command.js';
import { dataDir } from '../../core/paths.js';
import { PLAN_ENABLE_HINT as ENABLE_HINT, PLAN_NO_WINDOWS_HINT as NO_WINDOWS_HINT } from '../../core/statusline/hints.js';
import { type PlanUsage, planUsage } from '../../core/statusline/plan.js';
import { readRecords } from '../../core/statusline/records.js';
import { uptime } from '../format/uptime.js';
import { localDateTime } from '../format/usage-table.js';
import { localTimeZone } from '../../core/usage/time-zone.js';

async function readable(plan: PlanUsage | null, now: number, timeZone: string): Promise<string> {
  if (!plan) return `${ENABLE_HINT}\n`;
  if (plan.windows.length === 0) return `${NO_WINDOWS_HINT}\n(Last statusline record ${uptime((now - Date.parse(plan.updatedAt)) / 1000)} ago.)\n`;
  const rows = plan.windows.map((w) => {
    const resets = Date.parse(w.resetsAt);
    return [
      w.label,
      w.hasReset ? '?' : `${Math.round(w.usedPercentage * 10) / 10}%`,
      `${localDateTime(w.resetsAt, timeZone)}${w.hasReset ? ' (has reset since)' : ` (in ${uptime((resets - now) / 1000)})`}`,
      `${uptime((now - Date.parse(w.observedAt)) / 1000)} ago`,
    ];
  });
  const { table } = await import('../format/table.js');
  const out = [
    `Plan use, as Claude Code last reported it to \`tce statusline\` (times in ${timeZone}):`,
    '',
    table([{ title: 'Window' }, { title: 'Used', align: 'right' }, { title: 'Resets' }, { title: 'Reported' }], rows).trimEnd(),
  ];
  if (plan.windows.some((w) => w.hasReset)) out.push('', '?: the window has reset since Claude Code reported it; its use now shows after the next answer.');
  return `${out.join('\n')}\n`;
}

export const limitsCommand: Command = {
  name: 'limits',
  usage: [
    'Usage: tce limits [--json]',
    '',
    'Plan use (the 5-hour and weekly windows of Pro and Max plans) with reset times and how long ago Claude Code',
    'reported it. It comes from what Claude Code passes to its statusline: set that up with `tce statusline --install`.',
    '',
    '  --json  machine-readable {plan: {windows: [...], updatedAt} | null, hint}',
  ].join('\n'),
  options: { json: { type: 'boolean' } },
  async run(input) {
    if (input.positionals.length > 0) {
      input.io.stderr.write(`tce limits: unexpected argument '${input.positionals[0]}'.\n\n${this.usage}\n`);
      return 2;
    }
    const now = Date.now();
    const plan = planUsage(readRecords(dataDir(input.io.env)), now);
    if (input.values.json) {
      const hint = !plan ? ENABLE_HINT : plan.windows.length === 0 ? NO_WINDOWS_HINT : null;
      input.io.stdout.write(`${JSON.stringify({ plan, hint }, null, 2)}\n`);
    } else {
      input.io.stdout.write(await readable(plan, now, localTimeZone()));
    }
    return 0;
  },
};
