// Detection of every Claude Code install form, and of nothing else, on real spawned processes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { detect } from '../../../src/core/process/detect.js';
import { LinuxProcSource } from '../../../src/core/process/sources/linux-proc.js';
import { SystemInformationSource } from '../../../src/core/process/sources/systeminformation.js';
import type { ClaudeProcess, ProcessSnapshot } from '../../../src/core/process/index.js';
import { CLAUDE_KINDS, NOT_CLAUDE_KINDS, spawnFake, type FakeKind, type FakeProcess } from '../../support/fake-claude.js';
import { makeTempDir, waitFor } from '../../support/tmp.js';
import { monitorIn } from './helpers.js';

/** What a user should see for each install form (paths relative to the fake's own root). */
const EXPECTED: Record<string, { installForm: string; version: string | null; name: string; exe: (root: string) => string | null }> = {
  'native-installer': { installForm: 'native-installer', version: '2.1.112', name: '2.1.112', exe: (r) => path.join(r, '.local/share/claude/versions/2.1.112') },
  'npm-native': { installForm: 'npm-native', version: null, name: 'claude', exe: (r) => path.join(r, 'node_modules/@anthropic-ai/claude-code/bin/claude.exe') },
  'desktop-embedded': { installForm: 'desktop-embedded', version: '2.1.0', name: 'claude', exe: (r) => path.join(r, 'Claude/claude-code/2.1.0/claude') },
  argv0: { installForm: 'argv0', version: null, name: 'claude', exe: (r) => path.join(r, 'bin/claude') },
  'npm-cli-js': { installForm: 'npm-cli-js', version: '1.0.128', name: path.basename(process.execPath), exe: () => fs.realpathSync(process.execPath) },
};

describe('detection on real processes', () => {
  // Made in `before`: a suite filtered out by --test-name-pattern runs no hooks, and would leave it behind.
  let tmp: { dir: string; remove(): void };
  const fakes = new Map<FakeKind, FakeProcess>();
  const roots = new Map<FakeKind, string>();
  const scans = new Map<string, ProcessSnapshot>();
  /** Another program with Claude Code's legacy cli.js as its argument: reading it is not running it. */
  let reader: ChildProcess | null = null;
  /** More real layouts: the npm platform package's binary, and the native installer run through ~/.local/bin/claude. */
  const layouts = new Map<string, { child: ChildProcess; exe: string; name: string; form: string; version: string | null }>();

  before(async () => {
    tmp = makeTempDir('tce-detect-');
    // One root per kind, so that no fake's files (e.g. a package.json) change another's answers.
    for (const kind of [...CLAUDE_KINDS, ...NOT_CLAUDE_KINDS]) {
      const root = path.join(tmp.dir, kind);
      fs.mkdirSync(root);
      roots.set(kind, root);
      fakes.set(kind, await spawnFake(kind, root));
    }
    const cliJs = path.join(roots.get('npm-cli-js') as string, 'node_modules', '@anthropic-ai', 'claude-code', 'cli.js');
    reader = spawn('tail', ['-f', cliJs], { stdio: 'ignore' });
    const sleep = fs.realpathSync(fs.existsSync('/usr/bin/sleep') ? '/usr/bin/sleep' : '/bin/sleep');
    const place = (file: string) => {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.copyFileSync(sleep, file);
      fs.chmodSync(file, 0o755);
      return file;
    };
    const platformPkg = path.join(tmp.dir, 'platform', 'node_modules', '@anthropic-ai', 'claude-code-linux-x64');
    const platformBin = place(path.join(platformPkg, 'claude'));
    fs.writeFileSync(path.join(platformPkg, 'package.json'), '{"name":"@anthropic-ai/claude-code-linux-x64","version":"2.1.330"}');
    layouts.set('npm platform package', { child: spawn(platformBin, ['3600'], { stdio: 'ignore' }), exe: platformBin, name: 'claude', form: 'npm-native', version: '2.1.330' });
    const versionFile = place(path.join(tmp.dir, 'native-link', '.local', 'share', 'claude', 'versions', '2.1.120'));
    const link = path.join(tmp.dir, 'native-link', '.local', 'bin', 'claude');
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(versionFile, link);
    layouts.set('native installer via ~/.local/bin/claude', { child: spawn(link, ['3600'], { stdio: 'ignore' }), exe: versionFile, name: 'claude', form: 'native-installer', version: '2.1.120' });
    for (const { child } of layouts.values()) {
      await waitFor('the layout process to exec', () => fs.readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').includes('3600'));
    }
    for (const source of [new LinuxProcSource(), new SystemInformationSource()]) {
      const { monitor } = monitorIn(path.join(tmp.dir, `monitor-${source.name}`), { source });
      scans.set(source.name, await monitor.scan());
    }
  });

  after(async () => {
    for (const fake of fakes.values()) await fake.kill();
    reader?.kill('SIGKILL');
    for (const { child } of layouts.values()) child.kill('SIGKILL');
    tmp.remove();
  });

  for (const sourceName of ['linux-proc', 'systeminformation']) {
    it(`${sourceName}: finds the npm platform package's binary and the native installer started through its link`, () => {
      for (const [what, layout] of layouts) {
        const found = scans.get(sourceName)?.processes.find((p) => p.pid === layout.child.pid);
        assert.ok(found, `${what} (PID ${layout.child.pid}) is missing`);
        assert.deepEqual([found.installForm, found.version, found.exe, found.name], [layout.form, layout.version, layout.exe, layout.name], what);
      }
    });

    for (const kind of CLAUDE_KINDS) {
      it(`${sourceName}: finds the ${kind} form with its install form, version, exe, cwd and project`, () => {
        const fake = fakes.get(kind) as FakeProcess;
        const root = roots.get(kind) as string;
        const found = scans.get(sourceName)?.processes.find((p) => p.pid === fake.pid);
        assert.ok(found, `PID ${fake.pid} (${kind}) is missing from the ${sourceName} scan`);
        const want = EXPECTED[kind];
        assert.ok(want);
        assert.equal(found.installForm, want.installForm);
        assert.equal(found.version, want.version);
        assert.equal(found.name, want.name);
        assert.equal(found.exe, want.exe(root));
        assert.equal(found.cwd, fake.cwd);
        assert.equal(found.project, 'work');
        assert.equal(found.ppid, process.pid);
        assert.equal(found.health, 'healthy');
        assert.equal(found.interactive, false, 'no tty and no registry: not interactive');
        assert.equal(found.pinned, false);
        assert.ok(found.rssBytes > 0);
        assert.ok(Math.abs(Date.parse(found.startedAt) - Date.now()) < 120_000, `startedAt ${found.startedAt} is not recent`);
      });
    }

    it(`${sourceName}: ignores the --bg-spare and --bg-pty-host helpers and every decoy`, () => {
      const listed = new Set(scans.get(sourceName)?.processes.map((p: ClaudeProcess) => p.pid));
      for (const kind of NOT_CLAUDE_KINDS) {
        const fake = fakes.get(kind) as FakeProcess;
        assert.ok(fake.alive(), `${kind} should still be running`);
        assert.ok(!listed.has(fake.pid), `${kind} (PID ${fake.pid}) was reported as Claude Code`);
      }
      assert.ok(reader?.pid && fs.existsSync(`/proc/${reader.pid}`), 'tail -f cli.js should be running');
      assert.ok(!listed.has(reader.pid), '`tail -f .../cli.js` was reported as Claude Code');
    });
  }
});

describe('the monitor itself', () => {
  it('never lists itself, even when it runs as `claude`', async (t) => {
    const tmp = makeTempDir('tce-self-');
    t.after(() => tmp.remove());
    const indexUrl = new URL('../../../src/core/process/index.js', import.meta.url).href;
    const storeUrl = new URL('../../../src/core/settings/store.js', import.meta.url).href;
    const script = path.join(tmp.dir, 'self-scan.mjs');
    fs.writeFileSync(
      script,
      `import { ProcessMonitor } from ${JSON.stringify(indexUrl)};
import { SettingsStore } from ${JSON.stringify(storeUrl)};
const monitor = new ProcessMonitor({ claudeDirs: [], settings: new SettingsStore(${JSON.stringify(path.join(tmp.dir, 'config.json'))}) });
const snapshot = await monitor.scan();
process.stdout.write(JSON.stringify({ self: process.pid, pids: snapshot.processes.map((p) => p.pid) }));
`,
    );
    // argv[0] `claude`: a monitor started through a `claude`-named wrapper looks like Claude Code by its argv.
    const child = spawn(process.execPath, [script], { argv0: 'claude', stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, err);
    const result = JSON.parse(out) as { self: number; pids: number[] };
    assert.ok(!result.pids.includes(result.self), `the monitor (PID ${result.self}) listed itself`);
    // The same command line from another process: its executable is Node running no Claude script, so not Claude
    // either; with the executable unknown (another user's process), argv[0] alone makes it Claude.
    assert.deepEqual(detect({ pid: result.self + 1_000_000, comm: 'node', argv: ['claude', script], exe: process.execPath }), { claude: false, reason: 'not-claude' });
    assert.deepEqual(detect({ pid: result.self + 1_000_000, comm: 'node', argv: ['claude', script], exe: null }), {
      claude: true,
      form: 'argv0',
      version: null,
    });
  });
});

describe('detect() on command lines seen in the wild', () => {
  const other = { pid: 999_999_999, comm: 'x', exe: null };
  it('matches the exe path, argv[0] path and basename, and the cli.js script; never a substring', () => {
    // With the executable known, it decides; argv[0] counts only when it cannot be read (exe null).
    const cases: Array<[string[], string | null, string | false]> = [
      [['/home/u/.local/share/claude/versions/2.1.112'], null, 'native-installer'],
      [['claude', '--resume'], '/home/u/.local/share/claude/versions/2.0.5', 'native-installer'],
      [['/usr/lib/node_modules/.bin/claude'], '/usr/lib/node_modules/@anthropic-ai/claude-code/bin/claude.exe', 'npm-native'],
      [['claude'], '/usr/lib/node_modules/@anthropic-ai/claude-code-linux-x64/claude', 'npm-native'],
      [['node', '--no-warnings', '/usr/lib/node_modules/@anthropic-ai/claude-code/cli.js', '-p', 'hi'], '/usr/bin/node', 'npm-cli-js'],
      [['/Users/u/Library/Application Support/Claude/claude-code/2.1.0/claude'], null, 'desktop-embedded'],
      [['/usr/local/bin/claude'], '/usr/local/bin/claude', 'argv0'],
      [['node', '--require', './hook.js', '/opt/lib/node_modules/@anthropic-ai/claude-code/cli.js'], '/usr/bin/node', 'npm-cli-js'],
      [['bun', '/home/u/.bun/install/global/node_modules/@anthropic-ai/claude-code/cli.js'], '/home/u/.bun/bin/bun', 'npm-cli-js'],
      [['node22', '/usr/lib/node_modules/@anthropic-ai/claude-code/cli.js'], '/usr/bin/node22', 'npm-cli-js'],
      [['C:\\Users\\u\\.local\\share\\claude\\versions\\2.1.112.exe'], null, 'native-installer'],
      [['vim', '/usr/lib/node_modules/@anthropic-ai/claude-code/cli.js'], '/usr/bin/vim', false],
      [['nodemon', '/usr/lib/node_modules/@anthropic-ai/claude-code/cli.js'], '/usr/bin/nodemon', false],
      [['less', '/usr/lib/node_modules/@anthropic-ai/claude-code/cli.js'], '/usr/bin/less', false],
      [['/usr/bin/claudette'], '/usr/bin/claudette', false],
      [['/bin/sh', '/home/u/bin/claude-helper.sh'], '/bin/sh', false],
      [['python3', 'x.py', 'claude'], '/usr/bin/python3', false],
      [['vim', 'claude-notes/todo.md'], '/usr/bin/vim', false],
      [['node', '/srv/claude/server.js'], '/usr/bin/node', false],
      [['/home/u/.local/share/claude/versions/2.1.112', '--bg-spare'], null, false],
      [['claude', '--bg-pty-host', '3'], null, false],
      // The executable is readable and is neither Claude's binary nor a runtime running cli.js: not Claude, whatever
      // argv[0] says (`exec -a claude sleep`, an argv[0] under @anthropic-ai/claude-code/bin/).
      [['claude', '3600'], '/usr/bin/sleep', false],
      [['/usr/lib/node_modules/@anthropic-ai/claude-code/bin/claude', '3600'], '/usr/bin/sleep', false],
      [['/home/u/.local/share/claude/versions/2.1.112'], '/usr/bin/python3', false],
      [['node', '/usr/lib/node_modules/@anthropic-ai/claude-code/cli.js'], '/usr/bin/sleep', false],
      [['claude'], null, 'argv0'],
      [['node', '/usr/lib/node_modules/@anthropic-ai/claude-code/cli.js'], null, 'npm-cli-js'],
    ];
    for (const [argv, exe, form] of cases) {
      const d = detect({ ...other, argv, exe });
      if (form === false) assert.equal(d.claude, false, `${argv.join(' ')} should not be Claude Code`);
      else assert.deepEqual([d.claude, d.claude && d.form], [true, form], `${argv.join(' ')}`);
    }
  });

  it('reads the version from the native installer file name, also on Windows', () => {
    const d = detect({ ...other, argv: ['C:\\Users\\u\\.local\\share\\claude\\versions\\2.1.112.exe'], exe: null });
    assert.deepEqual(d, { claude: true, form: 'native-installer', version: '2.1.112' });
  });

  it('names the helpers as helpers, not as unrelated processes', () => {
    assert.deepEqual(detect({ ...other, argv: ['claude', '--bg-spare'] }), { claude: false, reason: 'helper' });
  });
});

describe('interactive or background, without a registry', () => {
  it('interactive when stdin is a terminal and there is no -p; both sources agree', async (t) => {
    const tmp = makeTempDir('tce-interactive-');
    const started: ChildProcess[] = [];
    const found: number[] = [];
    t.after(() => {
      for (const pid of found) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone with its terminal
        }
      }
      for (const child of started) child.kill('SIGKILL');
      tmp.remove();
    });
    const sleepCopy = path.join(tmp.dir, '.local/share/claude/versions/2.1.115');
    const shCopy = path.join(tmp.dir, '.local/share/claude/versions/2.1.116');
    const nullCopy = path.join(tmp.dir, '.local/share/claude/versions/2.1.117');
    fs.mkdirSync(path.dirname(sleepCopy), { recursive: true });
    for (const [copy, from] of [[sleepCopy, '/bin/sleep'], [shCopy, '/bin/sh'], [nullCopy, '/bin/sleep']] as const) {
      fs.copyFileSync(fs.realpathSync(from), copy);
      fs.chmodSync(copy, 0o755);
    }
    // util-linux `script` runs each command on a new pseudo-terminal.
    const onTerminal = (command: string) => {
      const child = spawn('script', ['-qec', command, '/dev/null'], { stdio: ['pipe', 'ignore', 'ignore'] });
      started.push(child);
    };
    onTerminal(`${sleepCopy} 3600`);
    onTerminal(`${shCopy} -c 'read x' -p`);
    onTerminal(`${nullCopy} 3600 < /dev/null`);

    for (const source of [new LinuxProcSource(), new SystemInformationSource()]) {
      const { monitor } = monitorIn(path.join(tmp.dir, `monitor-${source.name}`), { source });
      const byExe = await waitFor('the three sessions on terminals', async () => {
        const processes = (await monitor.scan()).processes.filter((p) => p.exe === sleepCopy || p.exe === shCopy || p.exe === nullCopy);
        return processes.length === 3 ? new Map(processes.map((p) => [p.exe, p])) : null;
      }, 15_000, 200);
      found.push(...[...byExe.values()].map((p) => p.pid));
      const reading = byExe.get(sleepCopy);
      assert.match(reading?.tty ?? '', /^pts\/\d+$/, source.name);
      assert.equal(reading?.interactive, true, `${source.name}: stdin on a terminal`);
      assert.equal(byExe.get(shCopy)?.interactive, false, `${source.name}: -p is headless even on a terminal`);
      assert.match(byExe.get(nullCopy)?.tty ?? '', /^pts\/\d+$/);
      assert.equal(byExe.get(nullCopy)?.interactive, false, `${source.name}: stdin not a terminal`);
    }
  });
});
