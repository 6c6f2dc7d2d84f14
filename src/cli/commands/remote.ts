import path from 'node:path';
import type { Command, CommandInput } from '../command.js';
import { openCore } from '../core.js';
import { readTokenFile, TokenFileError } from '../../core/fleet/token-file.js';
import { MAX_REMOTES } from '../../core/settings/schema.js';
import type { RemoteMachine } from '../../core/settings/types.js';

function fail(input: CommandInput, message: string, code: number): number {
  input.io.stderr.write(`tce remote: ${message}\n`);
  return code;
}

async function list(input: CommandInput): Promise<number> {
  const { remotes } = openCore(input).settings.load().settings;
  if (input.values.json) {
    input.io.stdout.write(`${JSON.stringify(remotes, null, 2)}\n`);
    return 0;
  }
  if (remotes.length === 0) {
    input.io.stdout.write('No remote machines. Add one with `tce remote add NAME URL --token-file FILE`.\n');
    return 0;
  }
  const rows = remotes.map((r) => [r.name, r.url, r.tokenFile, r.trustedLink ? 'yes' : 'no']);
  const { table } = await import('../format/table.js');
  input.io.stdout.write(table([{ title: 'Name' }, { title: 'URL' }, { title: 'Token file' }, { title: 'Trusted link' }], rows));
  return 0;
}

async function add(input: CommandInput, name: string, url: string): Promise<number> {
  const tokenOption = input.values['token-file'];
  if (typeof tokenOption !== 'string' || tokenOption === '') return fail(input, 'give the file that holds that server\'s token: --token-file FILE (mode 600).', 2);
  const tokenFile = path.resolve(tokenOption);
  try {
    readTokenFile(tokenFile, `--token-file ${tokenFile}`);
  } catch (error) {
    if (error instanceof TokenFileError) return fail(input, `${error.message}.`, 2);
    throw error;
  }
  const core = openCore(input);
  const remote: RemoteMachine = { name, url, tokenFile, trustedLink: input.values['trusted-link'] === true };
  const current = core.settings.load().settings.remotes;
  if (current.some((r) => r.name.toLowerCase() === name.toLowerCase())) return fail(input, `a remote machine named '${name}' exists already; \`tce remote remove ${name}\` first.`, 1);
  if (current.length >= MAX_REMOTES) return fail(input, `at most ${MAX_REMOTES} remote machines; remove one first.`, 1);
  let saved: RemoteMachine;
  try {
    const { settings } = core.settings.update((s) => ({ ...s, remotes: [...s.remotes, remote] }));
    saved = settings.remotes.find((r) => r.name === name) as RemoteMachine;
  } catch (error) {
    // The settings schema names what is wrong (a name, a URL, plain http beyond loopback); nothing was written.
    return fail(input, `${(error as Error).message.replace(/^Invalid settings: /, '')}.`, 2);
  }
  input.io.stdout.write(`Added ${saved.name} (${saved.url}).\n`);
  // Asked once now, so a wrong URL or token shows here rather than as a grey row later.
  const fleet = core.fleet;
  fleet.configure([saved]);
  await fleet.pollAll();
  const state = fleet.machines()[0];
  const summary = state?.summary;
  if (state?.reachable && summary) {
    const n = summary.processes.processes.length;
    input.io.stdout.write(`It answers: TCE ${summary.version} on ${summary.hostname}, ${n} Claude Code process${n === 1 ? '' : 'es'}. \`tce status --machines\` lists them.\n`);
  } else {
    input.io.stderr.write(`tce remote: warning: ${saved.name} does not answer yet: ${state?.error ?? 'unknown'}. It stays in the list; TCE keeps asking.\n`);
  }
  return 0;
}

function remove(input: CommandInput, name: string): number {
  const core = openCore(input);
  if (!core.settings.load().settings.remotes.some((r) => r.name === name)) return fail(input, `no remote machine named '${name}' (\`tce remote list\` shows them).`, 1);
  core.settings.update((s) => ({ ...s, remotes: s.remotes.filter((r) => r.name !== name) }));
  input.io.stdout.write(`Removed ${name}.\n`);
  return 0;
}

export const remoteCommand: Command = {
  name: 'remote',
  usage: [
    'Usage: tce remote list [--json]',
    '       tce remote add NAME URL --token-file FILE [--trusted-link]',
    '       tce remote remove NAME',
    '',
    "Other machines' TCE servers (`tce dashboard` there) whose processes and usage the tray, the dashboard and",
    '`tce status --machines` / `tce usage --machines` show beside this machine\'s. Kill and pin of their processes go',
    `to their own server with their token. At most ${MAX_REMOTES}.`,
    '',
    '  NAME              1-32 letters, digits, ".", "_" or "-": the Machine column',
    '  URL               https://host:port (certificates verified), or http://127.0.0.1:PORT through an SSH tunnel:',
    '                    ssh -N -L 15111:127.0.0.1:5111 devbox   then   tce remote add devbox http://127.0.0.1:15111 ...',
    '  --token-file FILE that server\'s token (its --token-file), copied here once; mode 600',
    '  --trusted-link    accept plain http beyond loopback: the link is already private (a VPN, a tunnel)',
  ].join('\n'),
  options: { json: { type: 'boolean' }, 'token-file': { type: 'string' }, 'trusted-link': { type: 'boolean' } },
  async run(input) {
    const [action, ...args] = input.positionals;
    if (action === 'list' && args.length === 0) return list(input);
    if (action === 'add' && args.length === 2) return add(input, args[0]!, args[1]!);
    if (action === 'remove' && args.length === 1) return remove(input, args[0]!);
    return fail(input, `${action === undefined ? 'say what to do' : `unexpected arguments '${input.positionals.join(' ')}'`}.\n\n${this.usage}`, 2);
  },
};
