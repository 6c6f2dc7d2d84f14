/** The CLI's way to TCE's parts: the composition root (src/core/create-core.ts), its warnings on stderr. */
import { createCore, type Core } from '../core/create-core.js';
import { keepYoungGenerationSmall } from '../core/lean-heap.js';
import type { UsageEngine } from '../core/usage/engine.js';
import type { CommandInput } from './command.js';
import { IndexProgress } from './format/usage-progress.js';

/** The core for this command; what is wrong with the settings file (e.g. a corrupted one moved aside) goes to stderr. */
export function openCore(input: CommandInput, options: { timezone?: string; progress?: IndexProgress } = {}): Core {
  // Commands that use the core may read transcripts; the others (and a `tce usage` answered from its kept report)
  // need not load node:v8 for it.
  keepYoungGenerationSmall();
  const { io, values } = input;
  const core = createCore({
    ...(typeof values['claude-dir'] === 'string' ? { claudeDir: values['claude-dir'] } : {}),
    env: io.env,
    ...(options.timezone ? { timezone: options.timezone } : {}),
    ...(options.progress ? { onUsageProgress: options.progress.update } : {}),
  });
  for (const note of settingsNotes(core)) io.stderr.write(`${note}\n`);
  return core;
}

/** What is wrong with the settings file, as the CLI tells it on stderr (one line each). */
export function settingsNotes(core: Core): string[] {
  return core.settings.load().warnings.map((warning) => `tce: warning: ${warning}`);
}

/** Missing Claude Code folders, as the usage commands tell them on stderr (one line each). */
export function folderNotes(core: Core): string[] {
  return core.folderProblems().map((problem) => `tce: ${problem}`);
}

/**
 * The usage engine on TCE's persisted index, with what changed read (progress on a terminal); missing folders told.
 * The core comes along for what else the command needs (the live sessions' processes).
 */
export async function refreshedUsage(input: CommandInput, timezone: string, alongside?: (core: Core) => Promise<void>): Promise<{ engine: UsageEngine; core: Core }> {
  const progress = new IndexProgress(input.io.stderr);
  const core = openCore(input, { timezone, progress });
  for (const note of folderNotes(core)) input.io.stderr.write(`${note}\n`);
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
