import type { CliIo, Command } from '../command.js';
import type { UsageBlock } from '../../core/usage/index.js';
import { refreshedUsage } from '../core.js';
import { timeZoneOption, withUsageOptions } from '../usage-options.js';
import { UNPRICED_NOTE, costCell, localDateTime, shortModel, tokens, usd } from '../format/usage-table.js';

async function blockRows(blocks: UsageBlock[], timeZone: string, io: CliIo): Promise<string> {
  const { outputWidth, table } = await import('../format/table.js');
  const width = outputWidth(io.stdout, io.env);
  const rows = blocks.map((b) => [
    localDateTime(b.start, timeZone),
    localDateTime(b.end, timeZone),
    b.active ? 'active' : '',
    b.models.map(shortModel).join(', '),
    tokens(b.totalTokens),
    costCell(b),
  ]);
  const text = table(
    [{ title: `Start (${timeZone})` }, { title: 'End' }, { title: '' }, { title: 'Models', fit: 'wrap', minWidth: 12 }, { title: 'Tokens', align: 'right' }, { title: 'Cost', align: 'right' }],
    rows,
    { width },
  );
  return blocks.some((b) => b.unpricedTokens > 0) ? `${text}\n${UNPRICED_NOTE}\n` : text;
}

function activeDetail(b: UsageBlock, timeZone: string): string {
  const lines = [
    `Active 5-hour block: ${localDateTime(b.start, timeZone)} to ${localDateTime(b.end, timeZone)} (${timeZone})`,
    `  Last activity   ${localDateTime(b.lastActivity, timeZone)}`,
    `  Models          ${b.models.map(shortModel).join(', ')}`,
    `  So far          ${tokens(b.totalTokens)} tokens, ${costCell(b)}`,
  ];
  if (b.burnRate) lines.push(`  Burn rate       ${tokens(b.burnRate.tokensPerMinute)} tokens/min, ${usd(b.burnRate.costPerHour)}/h`);
  if (b.projection) lines.push(`  Projected end   ${tokens(b.projection.totalTokens)} tokens, ${usd(b.projection.costUSD)}`);
  return `${lines.join('\n')}\n`;
}

export const blocksCommand: Command = {
  name: 'blocks',
  usage: [
    'Usage: tce blocks [--json] [--active] [--timezone TZ]',
    '',
    'Usage in 5-hour windows: a window starts on the hour of its first message and lasts 5 hours.',
    '',
    '  --json             machine-readable (a list; with --active the active block or null)',
    '  --active           only the window running now, with burn rate and projection',
    '  --timezone TZ      IANA time zone for the times shown (default: the local one)',
  ].join('\n'),
  options: {
    json: { type: 'boolean' },
    active: { type: 'boolean' },
    timezone: { type: 'string' },
  },
  run(input) {
    return withUsageOptions(input, 'blocks', async () => {
      const timezone = timeZoneOption(input.values);
      const { engine } = await refreshedUsage(input, timezone);
      const { stdout } = input.io;
      if (input.values.active) {
        const block = engine.activeBlock();
        if (input.values.json) stdout.write(`${JSON.stringify(block, null, 2)}\n`);
        else stdout.write(block ? activeDetail(block, timezone) : 'No active 5-hour block: no usage in the last 5 hours.\n');
        return 0;
      }
      const blocks = engine.blocks();
      if (input.values.json) stdout.write(`${JSON.stringify(blocks, null, 2)}\n`);
      else stdout.write(blocks.length === 0 ? 'No usage found.\n' : await blockRows(blocks, timezone, input.io));
      return 0;
    });
  },
};
