/**
 * Plan use (the 5-hour and weekly windows of Pro and Max plans) as Claude Code last passed it to `tce statusline`:
 * each window's use, when it resets (in the user's time zone) and how old the reading is. Without any statusline
 * record it says how to get one.
 */
import type { PlanUsage, PlanWindow } from '../../shared/api.js';
import { PLAN_ENABLE_HINT, PLAN_NO_WINDOWS_HINT } from '../../core/statusline/hints.js';
import { formatAgo, formatDateTime, formatPercent, formatSpan, formatWhen } from '../model/format.js';

/** Use from which a window's bar turns amber, and red: the notification thresholds' defaults. */
const HIGH = 80;
const CRITICAL = 95;

const capitalised = (label: string) => label.charAt(0).toUpperCase() + label.slice(1);

/** Text with `code` spans (as the CLI's hints write commands) shown as code. */
function withCode(text: string) {
  return text.split('`').map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part));
}

function level(w: PlanWindow): string {
  if (w.hasReset) return 'reset';
  return w.usedPercentage >= CRITICAL ? 'critical' : w.usedPercentage >= HIGH ? 'high' : 'normal';
}

function Window({ w, now }: { w: PlanWindow; now: number }) {
  const resets = Date.parse(w.resetsAt);
  const used = Math.max(0, Math.min(100, w.usedPercentage));
  const resetText = w.hasReset ? `reset ${formatAgo(w.resetsAt, now)}; its use now shows after Claude Code’s next answer` : `resets ${formatWhen(w.resetsAt)} (in ${formatSpan((resets - now) / 1000)})`;
  return (
    <li className={`plan-window plan-${level(w)}`} data-testid={`plan-window-${w.window}`} data-used={w.usedPercentage} data-has-reset={w.hasReset ? 'true' : 'false'}>
      <span className="plan-label">{capitalised(w.label)}</span>
      <span
        className="plan-bar"
        role="meter"
        aria-label={`${capitalised(w.label)} window used`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(used)}
        title={`${formatPercent(w.usedPercentage)} of the ${w.label} window used, as reported ${formatDateTime(w.observedAt)}`}
      >
        <span className="plan-fill" style={{ width: `${w.hasReset ? 0 : used}%` }} />
      </span>
      <span className="plan-used">{w.hasReset ? '?' : formatPercent(w.usedPercentage)}</span>
      <span className="plan-when muted" title={`Resets ${formatDateTime(w.resetsAt)}; reported ${formatDateTime(w.observedAt)}`}>
        {resetText} · reported {formatAgo(w.observedAt, now)}
      </span>
    </li>
  );
}

export function PlanPanel({ plan, now }: { plan: PlanUsage | null; now: number }) {
  let body;
  if (!plan) {
    body = (
      <p className="muted" data-testid="plan-empty">
        {withCode(PLAN_ENABLE_HINT)}
      </p>
    );
  } else if (plan.windows.length === 0) {
    body = (
      <p className="muted" data-testid="plan-no-windows">
        {withCode(PLAN_NO_WINDOWS_HINT)} Last statusline record {formatAgo(plan.updatedAt, now)}.
      </p>
    );
  } else {
    body = (
      <ul className="plan-windows">
        {plan.windows.map((w) => (
          <Window key={w.window} w={w} now={now} />
        ))}
      </ul>
    );
  }
  return (
    <section className="panel plan" aria-label="Plan use" data-testid="plan-panel">
      <h3>Plan use</h3>
      {body}
    </section>
  );
}
