/** How numbers look on the dashboard. Exact values go into data-value attributes; these are for people. */

const tokenFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

export function formatTokens(tokens: number): string {
  const abs = Math.abs(tokens);
  if (abs >= 1e9) return `${tokenFormat.format(tokens / 1e9)}B`;
  if (abs >= 1e6) return `${tokenFormat.format(tokens / 1e6)}M`;
  if (abs >= 1e4) return `${tokenFormat.format(tokens / 1e3)}k`;
  return countFormat.format(Math.round(tokens));
}

// One formatter, made once: toLocaleString with options builds a new one on every call.
const costFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const countFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatCost(usd: number): string {
  if (usd > 0 && usd < 0.01) return '<$0.01';
  return `$${costFormat.format(usd)}`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${Math.round(bytes / 1024 ** 2)} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} B`;
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

export function formatPercent(value: number): string {
  return `${value.toFixed(value >= 10 ? 0 : 1)}%`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

export function formatTime(iso: string | number): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : timeOnly.format(d);
}

/** "claude-sonnet-4-5-20250929" → "sonnet-4-5": short enough for a legend. */
export function shortModel(model: string): string {
  return model.replace(/^claude-/, '').replace(/-\d{8}$/, '');
}

/** A project as people know it: the last folder of its working directory, else Claude Code's folder name for it. */
export function projectLabel(project: string, path: string | null): string {
  const last = path?.split(/[\\/]/).filter(Boolean).pop();
  return last ?? project;
}
