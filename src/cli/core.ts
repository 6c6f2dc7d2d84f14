/** The CLI's way to TCE's parts: the composition root (src/core/create-core.ts), its warnings on stderr. */
import { createCore, type Core } from '../core/create-core.js';
import type { UsageEngine } from '../core/usage/engine.js';
import type { CommandInput } from './command.js';
import { IndexProgress } from './format/usage-progress.js';

/** The core for this command; what is wrong with the settings file (e.g. a corrupted one moved aside) goes to stderr. */
export function openCore(input: CommandInput, options: { timezone?: string; progress?: IndexProgress } = {}): Core {
  const { io, values } = input;
  const core = createCore({
    ...(typeof values['claude-dir'] === 'string' ? { claudeDir: values['claude-dir'] } : {}),
    env: io.env,
    ...(options.timezone ? { timezone: options.timezone } : {}),
    ...(options.progress ? { onUsageProgress: options.progress.update } : {}),
  });
  for (const warning of core.settings.load().warnings) io.stderr.write(`tce: warning: ${warning}\n`);
  return core;
}

/**
 * The usage engine on TCE's persisted index, with what changed read (progress on a terminal); missing folders told.
 * The core comes along for what else the command needs (the live sessions' processes).
 */
export async function refreshedUsage(input: CommandInput, timezone: string, alongside?: (core: Core) => Promise<void>): Promise<{ engine: UsageEngine; core: Core }> {
  const progress = new IndexProgress(input.io.stderr);
  const core = openCore(input, { timezone, progress });
  for (const problem of core.folderProblems()) input.io.stderr.write(`tce: ${problem}\n`);
  const engine = core.usage;
  try {
    // `alongside`: what else the command waits for meanwhile (the remote machines of `tce usage --machines`).
    await Promise.all([engine.refresh(), alongside?.(core)]);
  } finally {
    progress.done();
  }
  await engine.close();
  return { engine, core };
}
