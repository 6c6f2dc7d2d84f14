/**
 * `tce statusline --install / --uninstall`: sets TCE as the `statusLine` of the Claude dir's settings.json, or puts
 * back what it replaced. An existing statusline command is kept running inside TCE's (`--wrap`), so its line still
 * shows; anything else there (not a command) is refused rather than overwritten. Every change keeps a backup copy of
 * the file beside it and is written atomically; a settings.json that is not valid JSON is never touched.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { claudeDirs } from '../../core/paths.js';
import type { CommandInput } from '../command.js';

const TCE_BIN = fileURLToPath(new URL('../../../../bin/tce.js', import.meta.url));
/** TCE's statusline command as --install writes it: `... tce.js' statusline`, maybe with `--wrap='<inner>'`. */
const OURS = /(?:^|[\s/'"])tce(?:\.js)?'?\s+statusline(?:\s|$)/;

/** POSIX shell single quotes. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The inverse of shellQuote for one quoted word at the start of `s`: the word and what follows, or null. */
function unquoteFirst(s: string): { word: string; rest: string } | null {
  let i = 0;
  let word = '';
  if (s[i] !== "'") return null;
  for (;;) {
    const close = s.indexOf("'", i + 1);
    if (close === -1) return null;
    word += s.slice(i + 1, close);
    i = close + 1;
    // `'\''` closes the quote, adds a quote and opens the next part: carry on from that opening quote.
    if (s.startsWith("\\''", i)) {
      word += "'";
      i += 2;
      continue;
    }
    return { word, rest: s.slice(i) };
  }
}

/** The command --install writes, wrapping `inner` when given. TCE_DATA_DIR is kept when it is set for this install. */
export function tceStatuslineCommand(env: NodeJS.ProcessEnv, inner: string | null): string {
  const dataDir = env.TCE_DATA_DIR ? `TCE_DATA_DIR=${shellQuote(path.resolve(env.TCE_DATA_DIR))} ` : '';
  // --wrap=VALUE: a command that starts with a dash is still the option's value.
  return `${dataDir}${shellQuote(process.execPath)} ${shellQuote(TCE_BIN)} statusline${inner === null ? '' : ` --wrap=${shellQuote(inner)}`}`;
}

/** The command TCE's statusline wraps, if the command is TCE's: `{ inner }` (null: wraps nothing), else null. */
export function wrappedBy(command: string): { inner: string | null } | null {
  if (!OURS.test(command)) return null;
  const at = command.indexOf(' --wrap=');
  if (at === -1) return { inner: null };
  const quoted = unquoteFirst(command.slice(at + ' --wrap='.length));
  return quoted && quoted.rest.trim() === '' ? { inner: quoted.word } : null;
}

interface Loaded {
  file: string;
  /** The file's text, or null when it does not exist yet. */
  text: string | null;
  settings: Record<string, unknown>;
  mode: number;
}

/** Reads settings.json; a message (and exit 1) when it cannot be read or is not a JSON object. */
function load(input: CommandInput): Loaded | string {
  const explicit = typeof input.values['claude-dir'] === 'string' ? input.values['claude-dir'] : undefined;
  const dir = claudeDirs(explicit, input.io.env)[0]!;
  let file = path.join(dir, 'settings.json');
  let text: string | null = null;
  let mode = 0o600;
  try {
    // A settings.json linked from elsewhere (a dotfiles folder) is changed where it lives; the link stays.
    file = fs.realpathSync(file);
    text = fs.readFileSync(file, 'utf8');
    mode = fs.statSync(file).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return `cannot read ${file} (${(error as Error).message}); nothing was changed.`;
  }
  if (text === null || text.trim() === '') return { file, text, settings: {}, mode };
  let settings: unknown;
  try {
    settings = JSON.parse(text);
  } catch (error) {
    return `${file} is not valid JSON (${(error as Error).message}); fix it first, nothing was changed.`;
  }
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) return `${file} does not hold a JSON object; nothing was changed.`;
  return { file, text, settings: settings as Record<string, unknown>, mode };
}

/** Keeps a copy of the file as it was, writes the new settings atomically; returns the backup's path (null: none). */
function save(loaded: Loaded, settings: Record<string, unknown>): string | null {
  fs.mkdirSync(path.dirname(loaded.file), { recursive: true });
  let backup: string | null = null;
  if (loaded.text !== null) {
    backup = `${loaded.file}.tce-backup-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    fs.writeFileSync(backup, loaded.text, { mode: loaded.mode & 0o600 });
  }
  const tmp = `${loaded.file}.tce-${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(settings, null, 2)}\n`, { mode: loaded.mode });
  fs.renameSync(tmp, loaded.file);
  return backup;
}

const backedUp = (backup: string | null) => (backup ? ` The file as it was: ${backup}.` : '');

export function installStatusline(input: CommandInput): number {
  const { io } = input;
  const loaded = load(input);
  if (typeof loaded === 'string') {
    io.stderr.write(`tce statusline: ${loaded}\n`);
    return 1;
  }
  const current = loaded.settings.statusLine as Record<string, unknown> | undefined;
  let inner: string | null = null;
  if (current !== undefined) {
    if (typeof current !== 'object' || current === null || current.type !== 'command' || typeof current.command !== 'string') {
      io.stderr.write(
        `tce statusline: ${loaded.file} already has a statusLine that is not a command (${JSON.stringify(current)}); TCE leaves it alone. Remove it or make it a command, then run --install again. Nothing was changed.\n`,
      );
      return 1;
    }
    const ours = wrappedBy(current.command);
    inner = ours ? ours.inner : current.command;
  }
  const command = tceStatuslineCommand(io.env, inner);
  if (current?.command === command) {
    io.stdout.write(`TCE's statusline is already installed in ${loaded.file}.\n`);
    return 0;
  }
  const backup = save(loaded, { ...loaded.settings, statusLine: { ...(current ?? {}), type: 'command', command } });
  io.stdout.write(
    `Installed TCE's statusline in ${loaded.file}${inner ? `; your statusline (${inner}) still runs inside it, its line first` : ''}.${backedUp(backup)} It shows from Claude Code's next answer; \`tce statusline --uninstall\` puts it back.\n`,
  );
  return 0;
}

export function uninstallStatusline(input: CommandInput): number {
  const { io } = input;
  const loaded = load(input);
  if (typeof loaded === 'string') {
    io.stderr.write(`tce statusline: ${loaded}\n`);
    return 1;
  }
  const current = loaded.settings.statusLine as Record<string, unknown> | undefined;
  const ours = current && typeof current === 'object' && typeof current.command === 'string' ? wrappedBy(current.command) : null;
  if (!ours) {
    io.stdout.write(`TCE's statusline is not installed in ${loaded.file}; nothing was changed.\n`);
    return 0;
  }
  const next = { ...loaded.settings };
  if (ours.inner === null) delete next.statusLine;
  else next.statusLine = { ...current, command: ours.inner };
  const backup = save(loaded, next);
  io.stdout.write(`Removed TCE's statusline from ${loaded.file}${ours.inner ? `; your statusline (${ours.inner}) is back` : ''}.${backedUp(backup)}\n`);
  return 0;
}
