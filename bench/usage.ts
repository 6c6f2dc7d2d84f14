/**
 * Usage engine vs ccusage on the same generated corpus (>= 300 MB): cold full read, warm restart on TCE's index,
 * picking up 1 MB appended to a live transcript; wall time and peak RSS of each, totals compared with ccusage's and
 * with the corpus's own truth, goals checked; beside them the floors any Node reader stands on.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageEngine } from '../src/core/usage/index.js';
import { UsageIndex, saveIndex } from '../src/core/usage/usage-index.js';
import { CCUSAGE_VERSION, type Measured, ccusageBin, collectGarbage, measure, median, repeat, summary } from './measure.js';
import { type Ctx, LineWriter, generateCorpus } from './usage-corpus.js';

const CORPUS_MB = Number(process.env.TCE_BENCH_CORPUS_MB ?? 320);
const RUNS = Number(process.env.TCE_BENCH_RUNS ?? 5);
const TCE_BIN = fileURLToPath(new URL('../../bin/tce.js', import.meta.url));
const ALONE = fileURLToPath(new URL('./usage-cli-alone.js', import.meta.url));
const FLOOR = fileURLToPath(new URL('./usage-floor.js', import.meta.url));
const MB = 1024 * 1024;

/** About `bytes` of new turns (responses and tool results) for the session in `file`. */
function appendix(w: LineWriter, file: string, bytes: number): string {
  const first = JSON.parse(fs.readFileSync(file, 'utf8').split('\n', 1)[0]!) as { sessionId: string; cwd: string };
  const ctx: Ctx = { cwd: first.cwd, sessionId: first.sessionId, sidechain: false, ts: Date.UTC(2026, 10, 2, 9), context: 20_000 };
  const lines: string[] = [];
  let n = 0;
  while (n < bytes) {
    for (const l of w.turn(ctx, 'claude-sonnet-4-5-20250929')) {
      lines.push(l);
      n += l.length + 1;
    }
  }
  return `${lines.join('\n')}\n`;
}

interface TotalsLike {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
}

const HISTORY_RECORDS = Number(process.env.TCE_BENCH_HISTORY_RECORDS ?? 300_000);

/**
 * Years of history: an index of HISTORY_RECORDS responses over two years in 2,000 transcripts Claude Code has since
 * deleted (what the index keeps), and the engine restarting on it: refresh, report, sessions and blocks.
 */
async function historyScenario(root: string): Promise<string> {
  const claude = path.join(root, 'history-claude');
  const dataDir = path.join(root, 'history-data');
  fs.mkdirSync(path.join(claude, 'projects'), { recursive: true });
  const index = new UsageIndex();
  const files = 2000;
  for (let f = 0; f < files; f++) {
    index.addFile({ path: path.join(claude, 'projects', `p${f % 40}`, `s${f}.jsonl`), root: claude, project: `p${f % 40}`, dev: 1, ino: f, size: 1, mtimeMs: 1, offset: 1, head: '7b', deleted: true, lines: 1, malformed: 0, duplicates: 0, promptFound: true });
  }
  const start = Date.UTC(2025, 0, 1);
  const step = (2 * 365 * 86_400_000) / HISTORY_RECORDS;
  const models = ['claude-sonnet-4-5', 'claude-opus-4-5', 'claude-haiku-4-5'];
  for (let i = 0; i < HISTORY_RECORDS; i++) {
    const f = Math.floor((i * files) / HISTORY_RECORDS);
    index.addUsage({ id: `msg_01${i.toString(36).padStart(22, '0')}`, ts: start + i * step, model: models[i % 3]!, input: 5, output: 300, cacheWrite5m: 2000, cacheWrite1h: 0, cacheRead: 50_000, webSearch: 0, flags: 0, sessionId: `session-${f}`, cwd: null }, `p${f % 40}`, f);
  }
  await saveIndex(dataDir, index);
  collectGarbage();
  const held = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const heapBefore = held();
  const t0 = performance.now();
  const engine = new UsageEngine({ claudeDirs: [claude], dataDir, timezone: 'Europe/Berlin' });
  await engine.refresh();
  const t1 = performance.now();
  engine.report();
  const t2 = performance.now();
  engine.sessions();
  const t3 = performance.now();
  engine.blocks();
  const t4 = performance.now();
  // What the tray app and the dashboard ask every poll: the report, the latest sessions, the active block.
  const poll = () => {
    const t = performance.now();
    engine.report();
    engine.sessions({ limit: 20 });
    engine.activeBlock();
    return performance.now() - t;
  };
  const polls = [poll(), poll(), poll()];
  collectGarbage();
  const heap = (held() - heapBefore) / MB;
  await engine.close();
  const size = fs.statSync(path.join(dataDir, 'usage-index.bin')).size / MB;
  return `${HISTORY_RECORDS} responses over 2 years (index ${size.toFixed(0)} MB): restart ${(t1 - t0).toFixed(0)} ms, report ${(t2 - t1).toFixed(0)} ms, sessions ${(t3 - t2).toFixed(0)} ms, blocks ${(t4 - t3).toFixed(0)} ms; a poll with nothing new ${median(polls).toFixed(0)} ms; +${heap.toFixed(0)} MB of heap and buffers while held`;
}

/** Time to JSON.parse every assistant line of the corpus and nothing else: what any reader in Node pays at least. */
function jsonParseFloor(claude: string): { ms: number; lines: number; bytes: number } {
  const marker = Buffer.from('"type":"assistant"');
  const files = fs.readdirSync(path.join(claude, 'projects'), { recursive: true, withFileTypes: true }).filter((d) => d.isFile());
  const lines: Buffer[] = [];
  for (const d of files) {
    const buf = fs.readFileSync(path.join(d.parentPath, d.name));
    for (let start = 0, nl = buf.indexOf(10); nl !== -1; start = nl + 1, nl = buf.indexOf(10, start)) {
      const line = buf.subarray(start, nl);
      if (line.indexOf(marker) !== -1) lines.push(Buffer.from(line));
    }
  }
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    for (const line of lines) JSON.parse(line.toString('utf8'));
    runs.push(performance.now() - t);
  }
  return { ms: median(runs), lines: lines.length, bytes: lines.reduce((s, l) => s + l.length, 0) };
}

function verdict(ok: boolean): string {
  return ok ? 'PASS' : 'MISS';
}

export async function run(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tce-bench-usage-'));
  try {
    const claude = path.join(root, 'claude');
    const home = path.join(root, 'home');
    fs.mkdirSync(home);
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, TZ: 'UTC', CLAUDE_CONFIG_DIR: claude, NO_COLOR: '1' };
    const ccusage = ccusageBin();

    let t = Date.now();
    const corpus = generateCorpus({ dir: claude, targetBytes: CORPUS_MB * MB });
    console.log(
      `corpus: ${(corpus.bytes / MB).toFixed(0)} MB in ${corpus.files} files, ${corpus.responses} API responses written as ${corpus.assistantLines} assistant lines (generated in ${((Date.now() - t) / 1000).toFixed(1)} s)`,
    );
    console.log(`machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), node ${process.version}; page cache warm (the corpus was just written); median of ${RUNS} runs`);

    const ccArgs = ['daily', '--json', '--offline', '--timezone', 'UTC'];
    await measure(ccusage, ccArgs, env); // warm-up, not counted
    const tceArgs = [TCE_BIN, 'usage', '--json', '--timezone', 'UTC'];
    let dataDir = '';
    const tceEnv = () => ({ ...env, TCE_DATA_DIR: dataDir });
    // ccusage and the cold tce run take turns, so a burst of other work on the machine hits both alike.
    const ccRuns: Measured[] = [];
    const coldRuns: Measured[] = [];
    for (let i = 0; i < RUNS; i++) {
      ccRuns.push(await measure(ccusage, ccArgs, env));
      dataDir = fs.mkdtempSync(path.join(root, 'data-'));
      coldRuns.push(await measure(process.execPath, tceArgs, tceEnv()));
    }
    const cc = summary(ccRuns);
    const cold = summary(coldRuns);
    const warm = await repeat(RUNS + 2, () => measure(process.execPath, tceArgs, tceEnv()));
    // Warm, but a session wrote since the last run (one turn appended): the kept report does not answer, the index does.
    const writer = new LineWriter(7);
    const warmAppended = await repeat(RUNS + 2, () => {
      fs.appendFileSync(corpus.sampleFile, appendix(writer, corpus.sampleFile, 1));
      return measure(process.execPath, tceArgs, tceEnv());
    });
    const aloneArgs = [ALONE, '--json', '--timezone', 'UTC'];
    const warmAlone = await repeat(RUNS + 2, () => measure(process.execPath, aloneArgs, tceEnv()));
    const bareNode = await repeat(RUNS + 2, () => measure(process.execPath, ['-e', '0'], env));
    const readFloor = await repeat(RUNS, () => measure(process.execPath, [FLOOR, 'read', claude], env));
    const newlineFloor = await repeat(RUNS, () => measure(process.execPath, [FLOOR, 'newline', claude], env));

    // The engine restarting inside a running process (the tray app or the dashboard server starting it again), on
    // the warm index: refresh (list and stat every transcript, load the index) and the first report.
    const restarts: number[] = [];
    for (let i = 0; i < RUNS + 3; i++) {
      t = performance.now();
      const again = new UsageEngine({ claudeDirs: [claude], dataDir, timezone: 'UTC' });
      await again.refresh();
      again.report();
      restarts.push(performance.now() - t);
      await again.close();
    }
    const engineStart = median(restarts.slice(1));
    const parseFloor = jsonParseFloor(claude);

    // Live: the engine the tray app and dashboard keep, warm; 1 MB appended to a transcript, then refresh + report.
    const engine = new UsageEngine({ claudeDirs: [claude], dataDir, timezone: 'UTC' });
    await engine.refresh();
    const appendTruth = writer.truth;
    const appendRuns: Array<{ refresh: number; report: number }> = [];
    let appendedResponses = 0;
    for (let i = 0; i < RUNS + 2; i++) {
      const before = writer.responses;
      fs.appendFileSync(corpus.sampleFile, appendix(writer, corpus.sampleFile, MB));
      appendedResponses += writer.responses - before;
      const a = performance.now();
      await engine.refresh();
      const b = performance.now();
      engine.report();
      appendRuns.push({ refresh: b - a, report: performance.now() - b });
    }
    await engine.close();
    const append = median(appendRuns.map((x) => x.refresh + x.report));

    // Both tools on the grown corpus, for the totals comparison.
    const ccFinal = JSON.parse((await measure(ccusage, ccArgs, env)).stdout) as { totals: TotalsLike & { totalCost: number } };
    const tceFinal = JSON.parse((await measure(process.execPath, tceArgs, tceEnv())).stdout) as { totals: TotalsLike & { costUSD: number }; diagnostics: Record<string, unknown> };

    const row = (name: string, m: { ms: number; cpuMs: number; rssMB: number }, runs: number[] | string) =>
      console.log(
        `  ${name.padEnd(52)} ${`${m.ms.toFixed(0)} ms`.padStart(9)} ${Number.isNaN(m.cpuMs) ? '        ?' : `${m.cpuMs.toFixed(0)} ms`.padStart(9)}  ${Number.isNaN(m.rssMB) ? '      ?' : `${m.rssMB.toFixed(0)} MB`.padStart(7)}  ${Array.isArray(runs) ? `wall runs: ${runs.join(', ')} ms` : runs}`,
      );
    const inProcess = (ms: number) => ({ ms, cpuMs: NaN, rssMB: NaN });
    console.log('\n  what                                                      wall       CPU  peak RSS');
    row(`ccusage ${CCUSAGE_VERSION} daily --json --offline (baseline)`, cc, cc.runs);
    row('tce usage --json, cold (no index yet)', cold, cold.runs);
    row('tce usage --json, warm (persisted index)', warm, warm.runs);
    row('  same, usage command alone (no other commands loaded)', warmAlone, warmAlone.runs);
    row('tce usage --json, warm, one turn appended since', warmAppended, warmAppended.runs);
    row('  floor: node -e 0 (start-up of any node CLI)', bareNode, bareNode.runs);
    row('  floor: read every transcript, nothing else', readFloor, readFloor.runs);
    row('  floor: read and find every line end', newlineFloor, newlineFloor.runs);
    row('engine restart in-process on the warm index, + report', inProcess(engineStart), `runs: ${restarts.map((x) => x.toFixed(0)).join(', ')} ms (the first one compiles the engine's code)`);
    row('  floor: JSON.parse of every assistant line, nothing else', inProcess(parseFloor.ms), `${parseFloor.lines} lines, ${(parseFloor.bytes / MB).toFixed(0)} MB, one thread`);
    row('engine: refresh + report after 1 MB appended', inProcess(append), appendRuns.map((x) => `${x.refresh.toFixed(0)}+${x.report.toFixed(0)}`).join(', ') + ` ms (${appendedResponses} responses added)`);

    console.log(`\n  years of history, in-process, no baseline: ${await historyScenario(root)}`);

    console.log('\n  totals on the same files (tce, ccusage, and what the generated corpus holds):');
    const keys = ['inputTokens', 'outputTokens', 'cacheCreationTokens', 'cacheReadTokens', 'totalTokens'] as const;
    let agree = true;
    for (const k of keys) {
      const truth = corpus.truth[k] + appendTruth[k];
      const same = tceFinal.totals[k] === ccFinal.totals[k] && tceFinal.totals[k] === truth;
      agree &&= same;
      console.log(`    ${k.padEnd(20)} ${String(tceFinal.totals[k]).padStart(14)} ${String(ccFinal.totals[k]).padStart(14)} ${String(truth).padStart(14)}  ${same ? 'same' : 'DIFFERENT'}`);
    }
    const costDiff = Math.abs(tceFinal.totals.costUSD - ccFinal.totals.totalCost);
    const costSame = costDiff < 0.01;
    console.log(`    ${'cost USD'.padEnd(20)} ${tceFinal.totals.costUSD.toFixed(4).padStart(14)} ${ccFinal.totals.totalCost.toFixed(4).padStart(14)}  ${costSame ? 'same (< 1 cent apart)' : `DIFFERENT by ${costDiff.toFixed(4)}`}`);
    console.log(`    tce diagnostics: ${JSON.stringify(tceFinal.diagnostics)}`);

    console.log('\n  goals:');
    const goal = (text: string, ok: boolean, value: string) => console.log(`    ${verdict(ok)}  ${text.padEnd(40)} ${value}`);
    goal('cold <= 0.5x ccusage', cold.ms <= 0.5 * cc.ms, `${(cold.ms / cc.ms).toFixed(2)}x wall (CPU time ${(cold.cpuMs / cc.cpuMs).toFixed(2)}x; floors: read ${(readFloor.ms / cc.ms).toFixed(2)}x, line ends ${(newlineFloor.ms / cc.ms).toFixed(2)}x, JSON.parse of the assistant lines alone ${(parseFloor.ms / cc.ms).toFixed(2)}x)`);
    goal('warm <= 0.1x ccusage', warm.ms <= 0.1 * cc.ms, `${(warm.ms / cc.ms).toFixed(3)}x (one turn appended since ${(warmAppended.ms / cc.ms).toFixed(3)}x, usage command alone ${(warmAlone.ms / cc.ms).toFixed(3)}x, engine restart in-process ${(engineStart / cc.ms).toFixed(3)}x, node -e 0 alone ${(bareNode.ms / cc.ms).toFixed(3)}x)`);
    goal('1 MB appended picked up < 100 ms', append < 100, `${append.toFixed(0)} ms`);
    goal('peak memory <= ccusage', cold.rssMB <= cc.rssMB, `${cold.rssMB.toFixed(0)} MB vs ${cc.rssMB.toFixed(0)} MB`);
    goal('totals agree with ccusage and the truth', agree && costSame, agree && costSame ? 'tokens (and cost, with ccusage)' : 'see above');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
