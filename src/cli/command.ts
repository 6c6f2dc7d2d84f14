import type { ParseArgsOptionsConfig } from 'node:util';

/** Options every command accepts. */
export const GLOBAL_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  'claude-dir': { type: 'string' },
} as const satisfies ParseArgsOptionsConfig;

export interface CliIo {
  /** `columns`: the terminal's width when stdout is one (tables fit it). */
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

export interface CommandInput {
  /** Parsed option values (command options plus GLOBAL_OPTIONS), as node:util parseArgs returns them. */
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  io: CliIo;
}

export interface Command {
  name: string;
  /** Usage line(s) and option help for `tce <name> --help`. */
  usage: string;
  options: ParseArgsOptionsConfig;
  /** Returns the exit code: 0 success, 1 failure or refusal, 2 bad usage. */
  run(input: CommandInput): Promise<number>;
}
