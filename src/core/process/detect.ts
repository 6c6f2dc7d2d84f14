import fs from 'node:fs';
import path from 'node:path';
import type { InstallForm } from './types.js';
import type { BasicFacts, RawProcess } from './source.js';

export type Detection =
  | { claude: true; form: InstallForm; version: string | null }
  /** Claude Code's own helper processes (`--bg-spare`, `--bg-pty-host`): not sessions. */
  | { claude: false; reason: 'helper' | 'not-claude' | 'self' };

const HELPER_FLAGS = new Set(['--bg-spare', '--bg-pty-host']);
const NATIVE = /\/\.local\/share\/claude\/versions\/([^/]+)$/;
const NPM_NATIVE = /\/@anthropic-ai\/claude-code(?:-[^/]+)?\/(?:bin\/)?claude(?:\.exe)?$/;
const DESKTOP = /\/Claude\/claude-code\/([^/]+)\/(?:[^/]+\/)*claude(?:\.exe)?$/i;
const CLI_JS = /\/@anthropic-ai\/claude-code\/cli\.m?js$/;
const VERSION_NAME = /^\d+\.\d+\.\d+/;

const slash = (p: string) => p.replace(/\\/g, '/');
const base = (p: string) => path.posix.basename(slash(p));

/** How long a package.json version is trusted before it is read again (an npm update changes it under a live monitor). */
const PACKAGE_VERSION_TTL_MS = 60_000;
const packageVersions = new Map<string, { version: string | null; readAt: number }>();

/** The `version` of the package.json in `dir` or its parent (npm layouts), cached per folder for a minute. */
function packageVersion(dir: string): string | null {
  const cached = packageVersions.get(dir);
  if (cached && Date.now() - cached.readAt < PACKAGE_VERSION_TTL_MS) return cached.version;
  let version: string | null = null;
  for (const candidate of [dir, path.dirname(dir)]) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(candidate, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (typeof pkg.name === 'string' && pkg.name.startsWith('@anthropic-ai/claude-code') && typeof pkg.version === 'string') {
        version = pkg.version;
        break;
      }
    } catch {
      // no package.json here
    }
  }
  packageVersions.set(dir, { version, readAt: Date.now() });
  return version;
}

function formOfPath(file: string): { form: InstallForm; version: string | null } | null {
  const p = slash(file);
  let m = NATIVE.exec(p);
  if (m) {
    // Windows names the file `<version>.exe`.
    const name = (m[1] ?? '').replace(/\.exe$/i, '');
    return { form: 'native-installer', version: VERSION_NAME.test(name) ? name : null };
  }
  if (NPM_NATIVE.test(p)) return { form: 'npm-native', version: packageVersion(path.dirname(file)) };
  m = DESKTOP.exec(p);
  if (m) return { form: 'desktop-embedded', version: VERSION_NAME.test(m[1] ?? '') ? (m[1] ?? null) : null };
  return null;
}

/** JavaScript runtimes that run the legacy `cli.js`. */
const RUNTIME = /^(?:node|nodejs|bun)(?:-?\d+(?:\.\d+)*)?(?:\.exe)?$/i;
/** Runtime options whose value is the next argument (and so not the script). */
const OPTIONS_WITH_VALUE = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '--env-file', '--title']);

/** The script a `node`/`bun` command line runs: its first argument that is neither an option nor an option's value. */
function scriptOf(argv: string[]): string | null {
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (OPTIONS_WITH_VALUE.has(a)) i++;
    else if (!a.startsWith('-')) return a;
  }
  return null;
}

function isRuntimeName(file: string | null | undefined): boolean {
  return typeof file === 'string' && RUNTIME.test(base(file));
}

function isClaudeName(file: string): boolean {
  const name = base(file);
  return name === 'claude' || name === 'claude.exe';
}

/** A Node or Bun command line running Claude Code's legacy `cli.js`. */
function cliJsForm(argv: string[]): { form: InstallForm; version: string | null } | null {
  const script = scriptOf(argv);
  return script && CLI_JS.test(slash(script)) ? { form: 'npm-cli-js', version: packageVersion(path.dirname(script)) } : null;
}

/**
 * Whether a Claude Code command line is a print run (`claude -p ...`): one answer, then exit, no one at the keyboard.
 * Only flags before a `--` count; the prompt itself may well contain "-p".
 */
export function isPrintRun(argv: readonly string[]): boolean {
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return false;
    if (a === '-p' || a === '--print') return true;
  }
  return false;
}

/** Entrypoints of print and SDK runs in the registry (`-p` says `sdk-cli`; its `kind` still says interactive). */
export function isPrintEntrypoint(entrypoint: string | null): boolean {
  return entrypoint !== null && entrypoint.startsWith('sdk-');
}

/**
 * Cheap pre-check on facts every source has for every process: could this be Claude Code? False for sure
 * means not Claude; true means read the details and call `detect`.
 */
export function mightBeClaude(facts: BasicFacts): boolean {
  if (facts.pid === process.pid) return false;
  if (/claude/i.test(facts.comm) || VERSION_NAME.test(facts.comm)) return true;
  return facts.argv.some((a) => /claude/i.test(a));
}

/**
 * Is this process a Claude Code session, and which install form? When the executable is known it decides: Claude Code's
 * binary (a known layout, or a file named `claude`), or Node/Bun running Claude Code's `cli.js`; anything else is not
 * Claude, whatever its argv[0] says (`exec -a claude sleep`). Only when the executable cannot be read (another user's
 * process, a source that cannot tell) do the argv[0] path, the `cli.js` form and `claude` as argv[0]'s basename
 * count; never a mere substring.
 */
export function detect(p: Pick<RawProcess, 'pid' | 'comm' | 'argv' | 'exe'>): Detection {
  if (p.pid === process.pid) return { claude: false, reason: 'self' };
  let found: { form: InstallForm; version: string | null } | null = null;
  const argv0 = p.argv[0];
  if (p.exe) {
    found = formOfPath(p.exe) ?? (isRuntimeName(p.exe) ? cliJsForm(p.argv) : null);
    if (!found && isClaudeName(p.exe)) found = { form: 'argv0', version: null };
  } else {
    if (argv0 && /[\\/]/.test(argv0)) found = formOfPath(argv0);
    if (!found && isRuntimeName(argv0)) found = cliJsForm(p.argv);
    if (!found && argv0 !== undefined && isClaudeName(argv0)) found = { form: 'argv0', version: null };
    // A zombie has no argv and no exe any more: only its kernel name is left.
    if (!found && p.argv.length === 0 && p.comm === 'claude') found = { form: 'argv0', version: null };
  }
  if (!found) return { claude: false, reason: 'not-claude' };
  if (p.argv.some((a) => HELPER_FLAGS.has(a))) return { claude: false, reason: 'helper' };
  return { claude: true, ...found };
}
