import type { parseArgs as ParseArgs } from 'node:util';
import { TCE_VERSION } from '../core/version.js';
import { COMMANDS } from './commands.js';
import { GLOBAL_OPTIONS, type CliIo, type Command } from './command.js';

// Taken from the module itself, not through `import`: the ES module face of node:util reads every export once, which
// loads TextDecoder and more (~3 ms of each `tce` run) for parseArgs alone.
const parseArgs: typeof ParseArgs = process.getBuiltinModule('node:util').parseArgs;

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length), 8);
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'tce — monitor Claude Code processes, token usage and costs',
    '',
    'Usage: tce <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Options for every command:',
    '  --claude-dir DIR  Claude config dir(s), comma-separated (default: $CLAUDE_CONFIG_DIR, ~/.claude, ~/.config/claude)',
    '  -h, --help        help for a command',
    '',
  ].join('\n');
}

/** Entry of the `tce` command; returns the exit code. */
export async function main(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(overview());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`tce ${TCE_VERSION}\n`);
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.stderr.write(`tce: unknown command '${name}'. Run \`tce --help\` for the list.\n`);
    return 2;
  }
  const command: Command = await entry.load();
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options: { ...GLOBAL_OPTIONS, ...command.options }, allowPositionals: true, strict: true });
  } catch (error) {
    io.stderr.write(`tce ${name}: ${(error as Error).message}\n\n${command.usage}\n`);
    return 2;
  }
  if (parsed.values.help) {
    io.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run({ values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals, io });
  } catch (error) {
    io.stderr.write(`tce ${name}: ${(error as Error).message}\n`);
    if (io.env.TCE_DEBUG) io.stderr.write(`${(error as Error).stack}\n`);
    return 1;
  }
}
