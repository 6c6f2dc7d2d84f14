/**
 * The JSON Claude Code pipes to its statusline command (documented at code.claude.com/docs/en/statusline; the shape
 * 2.1.332 builds): session, model, workspace, its own cost so far, the context window and, for Pro and Max
 * subscribers, the plan windows (`rate_limits.five_hour` / `seven_day` with `used_percentage` and `resets_at` in Unix
 * seconds). Every field is optional and checked: a field that is missing or cannot be true is left out, never guessed.
 */

export interface PlanWindowReading {
  /** 0 to 100. */
  usedPercentage: number;
  /** ms since the epoch the window resets. */
  resetsAt: number;
}

export interface StatuslineInput {
  sessionId: string | null;
  sessionName: string | null;
  transcriptPath: string | null;
  /** The session's working folder (`workspace.current_dir`, else `cwd`). */
  cwd: string | null;
  /** Where the session started (`workspace.project_dir`). */
  projectDir: string | null;
  modelId: string | null;
  modelName: string | null;
  claudeCodeVersion: string | null;
  /** Claude Code's cost of the session so far (`cost.total_cost_usd`). */
  costUSD: number | null;
  /** How long the session has run (`cost.total_duration_ms`). */
  durationMs: number | null;
  linesAdded: number | null;
  linesRemoved: number | null;
  /** Context window use: percent (0..100) and window size in tokens. */
  contextUsedPercentage: number | null;
  contextWindowSize: number | null;
  /** Plan windows by Claude Code's name (`five_hour`, `seven_day`, `spend_limit`, ...). */
  rateLimits: Record<string, PlanWindowReading>;
}

const obj = (v: unknown): Record<string, unknown> | null => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null);
const text = (v: unknown, max = 4096): string | null => (typeof v === 'string' && v !== '' && v.length <= max ? v : null);
const within = (v: unknown, min: number, max: number): number | null => (typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? v : null);

/** Unix seconds Claude Code could have meant: 2000 to 2200 (a value in ms would be far beyond). */
function resetTime(v: unknown): number | null {
  const s = within(v, Date.UTC(2000, 0, 1) / 1000, Date.UTC(2200, 0, 1) / 1000);
  return s === null ? null : s * 1000;
}

/** Thrown for stdin that is not a JSON object at all. */
export class StatuslineInputError extends Error {}

export function parseStatuslineInput(raw: string): StatuslineInput {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new StatuslineInputError(raw.trim() === '' ? 'no input on stdin (Claude Code pipes the session as JSON)' : 'stdin is not JSON (Claude Code pipes the session as JSON)');
  }
  const o = obj(parsed);
  if (!o) throw new StatuslineInputError('stdin is not a JSON object');
  const model = obj(o.model);
  const workspace = obj(o.workspace);
  const cost = obj(o.cost);
  const context = obj(o.context_window);
  const rateLimits: Record<string, PlanWindowReading> = {};
  for (const [name, value] of Object.entries(obj(o.rate_limits) ?? {})) {
    const w = obj(value);
    const usedPercentage = within(w?.used_percentage, 0, 1000);
    const resetsAt = resetTime(w?.resets_at);
    if (/^[a-z0-9_]{1,40}$/.test(name) && usedPercentage !== null && resetsAt !== null) rateLimits[name] = { usedPercentage, resetsAt };
  }
  let contextUsed = within(context?.used_percentage, 0, 1000);
  const windowSize = within(context?.context_window_size, 1, 1e9);
  const current = obj(context?.current_usage);
  if (contextUsed === null && current && windowSize !== null) {
    // Older builds sent the tokens only.
    const tokens = ['input_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens'].reduce((n, k) => n + (within(current[k], 0, 1e9) ?? 0), 0);
    contextUsed = (tokens / windowSize) * 100;
  }
  return {
    sessionId: text(o.session_id, 200),
    sessionName: text(o.session_name, 200),
    transcriptPath: text(o.transcript_path),
    cwd: text(workspace?.current_dir) ?? text(o.cwd),
    projectDir: text(workspace?.project_dir),
    modelId: text(model?.id, 200),
    modelName: text(model?.display_name, 200),
    claudeCodeVersion: text(o.version, 50),
    costUSD: within(cost?.total_cost_usd, 0, 1e6),
    durationMs: within(cost?.total_duration_ms, 0, 10 * 365 * 86_400_000),
    linesAdded: within(cost?.total_lines_added, 0, 1e9),
    linesRemoved: within(cost?.total_lines_removed, 0, 1e9),
    contextUsedPercentage: contextUsed,
    contextWindowSize: windowSize,
    rateLimits,
  };
}
