import type { ClaudeProcess } from './types.js';

/** Session id to PID of the process running it, from a scan's processes (their registry entries matched them). */
export function sessionPidsOf(processes: readonly ClaudeProcess[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of processes) if (p.sessionId) out.set(p.sessionId, p.pid);
  return out;
}
