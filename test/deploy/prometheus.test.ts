// deploy/prometheus and deploy/grafana against the real thing: Debian's Prometheus scraping two `tce dashboard`
// servers (each with its own Claude home and token file), asked over its HTTP API what the fleet spent.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { UsageReport } from '../../src/core/usage/types.js';
import { writeMachineHome, type MachineHome } from '../support/machine-home.js';
import { tce } from '../support/tce-cli.js';
import { freePort, startTceServer, writeTokenFile } from '../support/tce-server.js';
import { isolatedEnv, tempDir, waitFor, type Cleanup } from '../support/tmp.js';

const DEPLOY = fileURLToPath(new URL('../../../deploy/', import.meta.url));
const PROMETHEUS_DIR = path.join(DEPLOY, 'prometheus');

/** Prometheus and promtool must be there: CI installs Debian's `prometheus`; a test that cannot run fails, never skips. */
function tool(name: 'prometheus' | 'promtool'): string {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
  if (!found) assert.fail(`${name} is not installed: run \`apt-get install prometheus\` (Debian's package has both prometheus and promtool; .ci/run installs it).`);
  return found;
}

function run(command: string, args: string[], cwd?: string): { code: number | null; out: string } {
  const r = spawnSync(command, args, { encoding: 'utf8', cwd, timeout: 60_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

interface Prometheus {
  url: string;
  query(expr: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>>;
  log(): string;
}

/** Prometheus on a free loopback port with its own config and storage in `dir`, stopped when the test ends. */
async function startPrometheus(t: Cleanup, dir: string, config: string): Promise<Prometheus> {
  const port = await freePort();
  fs.mkdirSync(dir, { recursive: true });
  const configFile = path.join(dir, 'prometheus.yml');
  fs.writeFileSync(configFile, config);
  const child = spawn(tool('prometheus'), [`--config.file=${configFile}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (c: Buffer) => (log += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (log += c.toString()));
  const exit = new Promise((resolve) => child.once('exit', resolve));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exit;
    }
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`Prometheus to be ready (log: ${log})`, async () => {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}: ${log}`);
    return (await fetch(`${url}/-/ready`).catch(() => null))?.ok;
  }, 30_000, 100);
  return {
    url,
    log: () => log,
    async query(expr) {
      const res = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: expr })}`);
      const body = (await res.json()) as { status: string; error?: string; data?: { resultType: string; result: unknown } };
      if (body.status !== 'success') throw new Error(`${expr}: ${body.error ?? res.status}`);
      if (body.data?.resultType === 'scalar') return [{ metric: {}, value: body.data.result as [number, string] }];
      return body.data?.result as Array<{ metric: Record<string, string>; value: [number, string] }>;
    },
  };
}

const single = async (prometheus: Prometheus, expr: string): Promise<number> => {
  const result = await prometheus.query(expr);
  assert.equal(result.length, 1, `${expr} gave ${JSON.stringify(result)}`);
  return Number(result[0]!.value[1]);
};

describe('Prometheus as the fleet engine', () => {
  it('the shipped config and rule files pass promtool, and the rules do what their tests say', (t) => {
    tool('prometheus');
    const promtool = tool('promtool');
    const rules = run(promtool, ['check', 'rules', 'tce-recording.rules.yml', 'tce-alerts.rules.yml'], PROMETHEUS_DIR);
    assert.equal(rules.code, 0, rules.out);
    assert.match(rules.out, /SUCCESS: 10 rules found[\s\S]*SUCCESS: 6 rules found/);
    const tests = run(promtool, ['test', 'rules', 'tests/tce-rules.test.yml'], PROMETHEUS_DIR);
    assert.equal(tests.code, 0, tests.out);
    // promtool checks that each credentials_file exists: a copy with the tokens a user puts in tokens/.
    const copy = tempDir(t, 'tce-prometheus-config-');
    fs.cpSync(PROMETHEUS_DIR, copy, { recursive: true });
    for (const machine of ['laptop', 'devbox', 'ci-runner']) writeTokenFile(path.join(copy, 'tokens', `${machine}.token`));
    const config = run(promtool, ['check', 'config', 'prometheus.yml'], copy);
    assert.equal(config.code, 0, config.out);
    assert.match(config.out, /SUCCESS: prometheus\.yml is valid/);
  });

  it('scrapes two TCE servers and sums their cost and tokens to what `tce usage --json` says on each', async (t) => {
    tool('promtool');
    const root = tempDir(t, 'tce-prometheus-');
    const machines: Array<{ name: string; env: NodeJS.ProcessEnv; home: MachineHome }> = [];
    const histories: Array<Record<string, Parameters<typeof writeMachineHome>[1][string]>> = [
      {
        '-home-dev-alpha': [
          { model: 'claude-sonnet-4-5', input: 1_200_000, output: 80_000, cacheWrite: 40_000, cacheRead: 2_000_000, daysAgo: 3 },
          { model: 'claude-opus-4-5', input: 300_000, output: 20_000, webSearch: 4, daysAgo: 1 },
        ],
        '-home-dev-beta': [{ model: 'claude-haiku-4-5', input: 50_000, output: 9_000, daysAgo: 0 }],
      },
      {
        '-srv-ci-gamma': [
          { model: 'claude-sonnet-4-5', input: 700_000, output: 30_000, cacheRead: 500_000, daysAgo: 10 },
          { model: 'claude-sonnet-4-5', input: 10_000, output: 1_000, daysAgo: 0 },
        ],
      },
    ];
    for (const [i, name] of ['laptop', 'ci-runner'].entries()) {
      const env = isolatedEnv(path.join(root, name));
      machines.push({ name, env, home: writeMachineHome(env.CLAUDE_CONFIG_DIR as string, histories[i]!) });
    }
    // What each machine's own CLI says, and that it is the truth the history was made with.
    const reports: UsageReport[] = [];
    for (const m of machines) {
      const usage = await tce(['usage', '--json'], m.env);
      assert.equal(usage.code, 0, usage.stderr);
      const report = JSON.parse(usage.stdout) as UsageReport;
      assert.equal(report.totals.totalTokens, m.home.totalTokens);
      assert.ok(Math.abs(report.totals.costUSD - m.home.costUSD) < 1e-6, `${m.name}: ${report.totals.costUSD} vs ${m.home.costUSD}`);
      reports.push(report);
    }
    const servers = await Promise.all(machines.map((m) => startTceServer(t, m.env)));
    const jobs = machines
      .map(
        (m, i) => `  - job_name: tce-${m.name}
    authorization:
      type: Bearer
      credentials_file: ${servers[i]!.tokenFile}
    static_configs:
      - targets: ['127.0.0.1:${servers[i]!.port}']
        labels:
          machine: ${m.name}`,
      )
      .join('\n');
    const prometheus = await startPrometheus(
      t,
      path.join(root, 'prometheus'),
      `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files:\n  - ${path.join(PROMETHEUS_DIR, 'tce-recording.rules.yml')}\n  - ${path.join(PROMETHEUS_DIR, 'tce-alerts.rules.yml')}\nscrape_configs:\n${jobs}\n`,
    );
    await waitFor(`both TCE servers scraped with data (Prometheus log: ${prometheus.log()})`, async () => {
      const up = await prometheus.query('count(up{job=~"tce-.*"} == 1) == 2 and count(count by (machine) (tce_cost_usd_total)) == 2');
      return up.length === 1;
    }, 60_000, 250);

    const expectedCost = reports[0]!.totals.costUSD + reports[1]!.totals.costUSD;
    const expectedTokens = reports[0]!.totals.totalTokens + reports[1]!.totals.totalTokens;
    const cost = await single(prometheus, 'sum(tce_cost_usd_total)');
    assert.ok(Math.abs(cost - expectedCost) < 1e-6, `sum(tce_cost_usd_total) = ${cost}, the two tce usage totals add to ${expectedCost}`);
    assert.equal(await single(prometheus, 'sum(tce_tokens_total)'), expectedTokens);
    assert.equal(await single(prometheus, 'sum(tce_project_tokens_total)'), expectedTokens);
    for (const [i, m] of machines.entries()) {
      const own = await single(prometheus, `sum(tce_cost_usd_total{machine="${m.name}"})`);
      assert.ok(Math.abs(own - reports[i]!.totals.costUSD) < 1e-6, `${m.name}: ${own}`);
      for (const [model, row] of m.home.byModel) {
        assert.equal(await single(prometheus, `sum(tce_tokens_total{machine="${m.name}",model="${model}"})`), row.tokens, `${m.name} ${model}`);
      }
    }
    assert.equal(await single(prometheus, 'sum(tce_web_search_requests_total)'), 4);
    assert.deepEqual((await prometheus.query('tce_build_info')).map((r) => r.metric.machine).sort(), ['ci-runner', 'laptop']);

    // The recording rules run on what was scraped (an increase needs two samples of each machine).
    await waitFor('the recording rules evaluated', async () => (await prometheus.query('machine:tce_cost_usd:increase1d')).length === 2, 30_000, 250);
    const daily = await prometheus.query('machine:tce_cost_usd:increase1d');
    assert.deepEqual(daily.map((r) => r.metric.machine).sort(), ['ci-runner', 'laptop']);
    assert.deepEqual(daily.map((r) => Number(r.value[1])), [0, 0], 'a history read at start is not spend in the last day');
    assert.equal((await prometheus.query('machine_health:tce_processes:sum')).length, 2 * 5);

    // Every query of the Grafana dashboard is valid PromQL here and names the metrics TCE serves.
    const dashboard = JSON.parse(fs.readFileSync(path.join(DEPLOY, 'grafana', 'tce-fleet.json'), 'utf8')) as { panels: Array<{ title: string; targets: Array<{ expr: string }> }> };
    const answered: string[] = [];
    for (const panel of dashboard.panels) {
      for (const target of panel.targets) {
        const expr = target.expr.replaceAll('$__rate_interval', '1m').replaceAll('$__interval', '1m').replaceAll('$__range', '1h').replaceAll('$machine', '.*');
        const result = await prometheus.query(expr);
        if (result.length > 0) answered.push(panel.title);
      }
    }
    for (const title of ['Claude Code processes', 'Cost per machine', 'Processes by health', 'Cost per project in the time range', 'Machines']) {
      assert.ok(answered.includes(title), `the panel "${title}" shows data (answered: ${answered.join(', ')})`);
    }

    for (const server of servers) await server.stop();
  });
});
