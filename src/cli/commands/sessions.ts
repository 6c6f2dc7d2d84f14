import type { CliIo, Command } from '../command.js';
import type { SessionUsage } from '../../core/usage/index.js';
import { refreshedUsage } from '../core.js';
import { positiveIntOption, timeZoneOption, withUsageOptions } from '../usage-options.js';
import { GUESSED_NOTE, NO_TALLY_NOTE, UNPRICED_NOTE, claudeCodeCell, costCell, duration, localDateTime, shortModel, tokens } from '../format/usage-table.js';

/** The first prompt is a reminder of what the session was, not the prompt: at most this many columns of it. */
const PROMPT_WIDTH = 50;

/** `+12/-4`, or `-` when neither Claude Code's tally nor /insights said. */
function linesCell(s: SessionUsage): string {
  return s.linesAdded === null && s.linesRemoved === null ? '-' : `+${s.linesAdded ?? 0}/-${s.linesRemoved ?? 0}`;
}

async function readable(sessions: SessionUsage[], timeZone: string, io: CliIo): Promise<string> {
  if (sessions.length === 0) return 'No sessions found.\n';
  const { outputWidth, table } = await import('../format/table.js');
  const width = outputWidth(io.stdout, io.env);
  const rows = sessions.map((s) => [
    s.sessionId.slice(0, 8),
    s.path ?? s.project,
    localDateTime(s.startedAt, timeZone),
    duration(s.durationSeconds),
    s.models.map(shortModel).join(', '),
    tokens(s.messages),
    tokens(s.totalTokens),
    costCell(s),
    claudeCodeCell(s.claudeCode),
    linesCell(s),
    s.livePid === null ? '' : String(s.livePid),
    s.firstPrompt ?? '',
  ]);
  const text = table(
    [
      { title: 'Session' },
      { title: 'Project', fit: 'truncate-start', minWidth: 16 },
      { title: `Started (${timeZone})` },
      { title: 'Duration', align: 'right' },
      { title: 'Models', fit: 'wrap', minWidth: 12 },
      { title: 'Responses', align: 'right' },
      { title: 'Tokens', align: 'right' },
      { title: 'Cost', align: 'right' },
      { title: 'Claude Code', align: 'right' },
      { title: 'Lines', align: 'right' },
      { title: 'Live PID', align: 'right' },
      { title: 'First prompt', fit: 'truncate-end', maxWidth: PROMPT_WIDTH, minWidth: 12 },
    ],
    rows,
    { width },
  );
  const notes: string[] = [];
  if (sessions.some((s) => s.unpricedTokens > 0)) notes.push(UNPRICED_NOTE);
  const without = sessions.filter((s) => !s.claudeCode).length;
  if (without > 0) notes.push(`${NO_TALLY_NOTE}${without < sessions.length ? ` (${without} of ${sessions.length} sessions here)` : ''}`);
  if (sessions.some((s) => s.claudeCode?.unknownModelCost)) notes.push(GUESSED_NOTE);
  return `${text}${notes.length > 0 ? `\n${notes.join('\n')}\n` : ''}`;
}

export const sessionsCommand: Command = {
  name: 'sessions',
  usage: [
    'Usage: tce sessions [--json] [--limit N] [--project NAME] [--timezone TZ]',
    '',
    'One row per session: project, start, duration, models, tokens, cost from the transcripts and by Claude Code\'s own',
    'tally (since 2.1.332), lines added/removed, live PID and first prompt.',
    '',
    '  --json             machine-readable list',
    '  --limit N          only the N most recent sessions',
    '  --project NAME     only sessions of this project (its path, folder name, or Claude Code project folder)',
    '  --timezone TZ      IANA time zone for the start times (default: the local one)',
  ].join('\n'),
  options: {
    json: { type: 'boolean' },
    limit: { type: 'string' },
    project: { type: 'string' },
    timezone: { type: 'string' },
  },
  run(input) {
    return withUsageOptions(input, 'sessions', async () => {
      const timezone = timeZoneOption(input.values);
      const limit = positiveIntOption(input.values, 'limit');
      const { engine, core } = await refreshedUsage(input, timezone);
      const project = typeof input.values.project === 'string' ? input.values.project : undefined;
      // Which session runs where: the registry entries of the Claude Code processes running now.
      const sessions = engine.sessions({ limit, project, livePids: await core.processes.livePids() });
      input.io.stdout.write(input.values.json ? `${JSON.stringify(sessions, null, 2)}\n` : await readable(sessions, timezone, input.io));
      return 0;
    });
  },
};
