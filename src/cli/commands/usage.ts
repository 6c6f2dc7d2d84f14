import type { CliIo, Command, CommandInput } from '../command.js';
import type { UsageReport } from '../../core/usage/index.js';
import { usageRun } from '../usage-cache.js';
import { dateOption, timeZoneOption, UsageOptionError, withUsageOptions } from '../usage-options.js';
import { CLAUDE_CODE_COLUMNS, TOKEN_COLUMNS, UNPRICED_NOTE, claudeCodeCells, claudeCodeNotes, shortModel, tokenCells, tokens } from '../format/usage-table.js';

async function readable(r: UsageReport, since: string | undefined, until: string | undefined, io: CliIo): Promise<string> {
  const { outputWidth, table } = await import('../format/table.js');
  const width = outputWidth(io.stdout, io.env);
  const range = since || until ? `${since ?? 'start'} .. ${until ?? 'today'}` : 'all time';
  const out: string[] = [`Claude Code usage, ${range} (days in ${r.timezone})`, ''];
  if (r.daily.length === 0) {
    out.push('No usage found.', '');
  } else {
    const rows: string[][] = [];
    for (const d of r.daily) {
      const models = d.models.map((m) => shortModel(m.model)).join(', ');
      const note = d.source === 'stats-cache' ? ' (stats-cache: input+output only)' : '';
      rows.push([d.date, models + note, ...tokenCells(d), ...claudeCodeCells(d.claudeCode)]);
    }
    // A day of many models wraps its list, so the numbers stay on one line in the terminal's width.
    const columns = [{ title: 'Date' }, { title: 'Models', fit: 'wrap' as const, minWidth: 12 }, ...TOKEN_COLUMNS, ...CLAUDE_CODE_COLUMNS];
    const footer = ['Total', '', ...tokenCells(r.totals), ...claudeCodeCells(r.claudeCode)];
    out.push(table(columns, rows, { footer, width }).trimEnd(), '');
    out.push('By model', table([{ title: 'Model', fit: 'truncate-end' }, ...TOKEN_COLUMNS], r.models.map((m) => [m.model, ...tokenCells(m)]), { width }).trimEnd(), '');
    out.push(
      'By project',
      table(
        [{ title: 'Project', fit: 'truncate-start', minWidth: 16 }, ...TOKEN_COLUMNS, ...CLAUDE_CODE_COLUMNS],
        r.projects.map((p) => [p.path ?? p.project, ...tokenCells(p), ...claudeCodeCells(p.claudeCode)]),
        { width },
      ).trimEnd(),
      '',
    );
    out.push(...claudeCodeNotes(r.claudeCode, r.totals.totalTokens > 0));
  }
  const d = r.diagnostics;
  out.push(
    `Read ${tokens(d.files)} transcript files, ${tokens(d.linesRead)} lines: ${tokens(d.malformedLines)} malformed skipped, ${tokens(d.duplicateLines)} duplicate copies counted once` +
      (d.deletedFiles ? `; ${tokens(d.deletedFiles)} deleted transcripts kept from the index` : '') +
      '.',
  );
  if (d.unpricedModels.length > 0) {
    out.push(`No price known for ${d.unpricedModels.join(', ')}: ${tokens(r.totals.unpricedTokens)} tokens whose cost is not included. ${UNPRICED_NOTE} Set a price in the settings' priceOverrides.`);
  }
  for (const p of d.problems ?? []) out.push(`Note: ${p}`);
  return `${out.join('\n')}\n`;
}

export const usageCommand: Command = {
  name: 'usage',
  usage: [
    'Usage: tce usage [--json] [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--timezone TZ]',
    '',
    'Token usage and cost from every Claude Code transcript, counted once per API response, beside Claude Code\'s own',
    'figure (its cost-state tally, since 2.1.332) and what it spent that no transcript shows (session titles, /compact).',
    '',
    '  --json             machine-readable report',
    '  --since DATE       first day to include (YYYY-MM-DD, inclusive)',
    '  --until DATE       last day to include (YYYY-MM-DD, inclusive)',
    '  --timezone TZ      IANA time zone that days are counted in (default: the local one)',
    '  --machines         today and all time on this machine and every remote one (`tce remote`), and their sum',
  ].join('\n'),
  options: {
    json: { type: 'boolean' },
    machines: { type: 'boolean' },
    since: { type: 'string' },
    until: { type: 'string' },
    timezone: { type: 'string' },
  },
  run(input) {
    return withUsageOptions(input, 'usage', async () => {
      const print = async (report: UsageReport, since: string | undefined, until: string | undefined) =>
        input.io.stdout.write(input.values.json ? `${JSON.stringify(report, null, 2)}\n` : await readable(report, since, until, input.io));
      // Nothing changed since a run with the same options: its report (only valid options are kept).
      const given = (name: string) => (typeof input.values[name] === 'string' ? (input.values[name] as string) : undefined);
      // --machines asks the remote machines every time.
      const run = input.values.machines ? null : usageRun(input, { timezone: given('timezone'), since: given('since'), until: given('until') });
      if (run?.kept) {
        for (const note of run.kept.notes) input.io.stderr.write(`${note}\n`);
        await print(run.kept.report, given('since'), given('until'));
        return 0;
      }
      const timezone = timeZoneOption(input.values);
      const since = dateOption(input.values, 'since');
      const until = dateOption(input.values, 'until');
      if (since && until && since > until) throw new UsageOptionError(`--since ${since} is after --until ${until}`);
      if (input.values.machines) {
        if (since || until) throw new UsageOptionError("--machines shows each machine's today and all time; --since and --until are for this machine's report");
        return machinesUsage(input, timezone);
      }
      const { refreshedUsage, settingsNotes, folderNotes } = await import('../core.js');
      const { engine, core } = await refreshedUsage(input, timezone);
      const report = engine.report({ since, until, timezone });
      await print(report, since, until);
      run?.keep(engine, report, [...settingsNotes(core), ...folderNotes(core)]);
      return 0;
    });
  },
};

/** `tce usage --machines`: this machine's report and every remote machine asked at the same time. */
async function machinesUsage(input: CommandInput, timezone: string): Promise<number> {
  const [{ refreshedUsage }, { fleetTotals, machineUsage }, { usageToday }] = await Promise.all([
    import('../core.js'),
    import('../../core/fleet/combined.js'),
    import('../../core/usage/today.js'),
  ]);
  const { engine, core } = await refreshedUsage(input, timezone, (c) => c.fleet.pollAll());
  const now = Date.now();
  const report = engine.report({ timezone, now: new Date(now) });
  const today = usageToday(report, now);
  const machines = core.fleet.machines();
  const rows = machineUsage({ today, totals: report.totals, unpricedModels: report.diagnostics.unpricedModels, processes: null, generatedAt: report.generatedAt }, machines);
  const total = fleetTotals(rows);
  if (input.values.json) {
    const list = rows.map((r) => ({ ...r, name: r.machine, url: machines.find((m) => m.name === r.machine)?.url ?? null }));
    input.io.stdout.write(`${JSON.stringify({ machines: list, total }, null, 2)}\n`);
  } else {
    const { machineUsageTable } = await import('../format/machines-table.js');
    const { outputWidth } = await import('../format/table.js');
    input.io.stdout.write(machineUsageTable(rows, total, machines, now, outputWidth(input.io.stdout, input.io.env)));
  }
  return 0;
}
