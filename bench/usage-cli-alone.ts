// `tce usage` without the rest of the CLI: only the usage command is imported. The benchmark runs it beside the real
// `tce usage` to show how much of a warm run is the start-up of the other commands (their imports), not usage work.
import { parseArgs } from 'node:util';
import { GLOBAL_OPTIONS } from '../src/cli/command.js';
import { usageCommand } from '../src/cli/commands/usage.js';

const { values, positionals } = parseArgs({ args: process.argv.slice(2), options: { ...GLOBAL_OPTIONS, ...usageCommand.options }, allowPositionals: true, strict: true });
process.exitCode = await usageCommand.run({ values: values as Record<string, string | boolean | undefined>, positionals, io: { stdout: process.stdout, stderr: process.stderr, env: process.env } });
