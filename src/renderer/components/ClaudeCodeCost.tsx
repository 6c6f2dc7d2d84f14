/**
 * Claude Code's own figure beside TCE's transcript-based cost: its running tally (`cost-state` lines, 2.1.332 and
 * later), which also counts calls no transcript shows (session titles, /compact summaries). Where no session of a
 * row wrote one, a muted dash whose hover says why, never a zero.
 */
import type { ClaudeCodeSpend as Figure } from '../model/usage-view.js';
import { formatCost, formatSignedCost } from '../model/format.js';

export const NO_FIGURE_NOTE =
  'No figure of Claude Code’s own: it writes its running tally (cost-state lines) since version 2.1.332; older versions leave only the transcripts.';

const NOT_IN_TRANSCRIPTS_NOTE = 'Spend no transcript shows: session titles and /compact summaries.';

const sessions = (n: number) => `${n} session${n === 1 ? '' : 's'}`;

/** The hover of a figure: what it covers, what the transcripts show of it, and where it is incomplete or a guess. */
export function figureNote(cc: Figure): string {
  const lines = [
    `Claude Code’s own tally${cc.sessions !== null && cc.sessions > 1 ? ` for ${sessions(cc.sessions)}` : ''}: ${formatCost(cc.costUSD)}.`,
    `Their transcripts show ${formatCost(cc.transcriptCostUSD)}; ${formatSignedCost(cc.notInTranscriptsUSD)} is not in transcripts (session titles, /compact summaries).`,
  ];
  const without = cc.sessionsWithout === null ? (cc.partial ? 'Some sessions' : null) : cc.sessionsWithout > 0 ? sessions(cc.sessionsWithout) : null;
  if (without) lines.push(`${without} from Claude Code before 2.1.332 wrote none; with their transcripts’ cost: ${formatCost(cc.combinedCostUSD)}.`);
  if (cc.unknownModelCost) lines.push('Claude Code priced a model it did not know at a default rate: its figure is partly a guess.');
  return lines.join('\n');
}

function NoFigure() {
  return (
    <span className="muted no-figure" title={NO_FIGURE_NOTE}>
      —
    </span>
  );
}

/** Claude Code's cost of a row; `~` when it guessed a price. */
export function ClaudeCodeCost({ cc }: { cc: Figure | null }) {
  if (!cc) return <NoFigure />;
  return (
    <span className="cost cc-cost" title={figureNote(cc)}>
      {cc.unknownModelCost ? <span className="unpriced-mark">~</span> : null}
      {formatCost(cc.costUSD)}
    </span>
  );
}

/** What Claude Code's figure adds to the transcripts' (signed). */
export function NotInTranscripts({ cc }: { cc: Figure | null }) {
  if (!cc) return <NoFigure />;
  return (
    <span className="cost not-in-transcripts" title={`${NOT_IN_TRANSCRIPTS_NOTE}\n${figureNote(cc)}`}>
      {formatSignedCost(cc.notInTranscriptsUSD)}
    </span>
  );
}
