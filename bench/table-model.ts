// The dashboard's process table model, hand-written (renderer/model/process-view.ts: filter and sort; row-window.ts:
// row windowing) against the kept libraries that would replace it: @tanstack/table-core (the engine of
// @tanstack/react-table) with its sorted and globally filtered row models, and @tanstack/virtual-core (of
// @tanstack/react-virtual). Two questions: the work per poll (a new process list every poll, sorted by CPU and
// filtered by text, as the Processes tab does) for 200 and 2,000 processes, and what each adds to the renderer
// bundle (minified and gzipped, React left out). The libraries come from npm into a temp prefix (not dependencies).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import { build } from 'vite';
import type { ClaudeProcess } from '../src/shared/api.js';
import { visibleProcesses } from '../src/renderer/model/process-view.js';
import type { ProcessFilter, ProcessSort } from '../src/renderer/model/view-state.js';
import { largeSnapshot } from '../e2e/support/snapshots.js';

const TABLE_CORE = process.env.TCE_BENCH_TABLE_CORE_VERSION ?? '9.3.1';
const VIRTUAL_CORE = process.env.TCE_BENCH_VIRTUAL_CORE_VERSION ?? '3.19.11';
const POLLS = 300;
const SIZES = [200, 2000];
const FRAME_BUDGET_MS = 16;

function libraryPrefix(): string {
  const prefix = path.join(os.tmpdir(), `tce-bench-tanstack-${TABLE_CORE}-${VIRTUAL_CORE}`);
  const installed = (name: string, version: string) => {
    const pkg = path.join(prefix, 'node_modules', name, 'package.json');
    return fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version: string }).version === version;
  };
  if (!installed('@tanstack/table-core', TABLE_CORE) || !installed('@tanstack/virtual-core', VIRTUAL_CORE)) {
    console.log(`installing @tanstack/table-core@${TABLE_CORE} and @tanstack/virtual-core@${VIRTUAL_CORE} into ${prefix} ...`);
    execFileSync(
      'npm',
      ['install', '--prefix', prefix, '--ignore-scripts', '--no-audit', '--no-fund', '--no-save', `@tanstack/table-core@${TABLE_CORE}`, `@tanstack/virtual-core@${VIRTUAL_CORE}`],
      { stdio: 'inherit' },
    );
  }
  return prefix;
}

interface Timing {
  median: number;
  p95: number;
}

function timeEach(inputs: ClaudeProcess[][], work: (processes: ClaudeProcess[]) => number): Timing {
  const times: number[] = [];
  for (const input of inputs) {
    const t0 = performance.now();
    work(input);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: times[times.length >> 1] as number, p95: times[Math.floor(times.length * 0.95)] as number };
}

/** One poll's process list after another: CPU changes everywhere, as it does between real polls. */
function polls(count: number): ClaudeProcess[][] {
  const base = largeSnapshot(count, 1).processes.processes;
  return Array.from({ length: POLLS }, (_, n) => base.map((p, k) => ({ ...p, cpuPercent: ((k * 7 + n * 13) % 1000) / 10 })));
}

// The parts of table-core's API this bench uses (loaded at run time from the temp prefix).
interface TanstackTable {
  setOptions(updater: (old: Record<string, unknown>) => Record<string, unknown>): void;
  getRowModel(): { rows: Array<{ original: ClaudeProcess }> };
}
type TableCore = Record<string, (...args: never[]) => unknown> & {
  constructTable(options: Record<string, unknown>): TanstackTable;
  tableFeatures(features: Record<string, unknown>): unknown;
};

async function tanstackTable(prefix: string, data: ClaudeProcess[], text: string): Promise<TanstackTable> {
  const dir = path.join(prefix, 'node_modules', '@tanstack', 'table-core', 'dist');
  const core = (await import(pathToFileURL(path.join(dir, 'index.js')).href)) as TableCore;
  const bindings = (await import(pathToFileURL(path.join(dir, 'store-reactivity-bindings.js')).href)) as { storeReactivityBindings(): unknown };
  const features = core.tableFeatures({
    coreReactivityFeature: bindings.storeReactivityBindings(),
    rowSortingFeature: core.rowSortingFeature,
    sortedRowModel: (core.createSortedRowModel as () => unknown)(),
    columnFilteringFeature: core.columnFilteringFeature,
    globalFilteringFeature: core.globalFilteringFeature,
    filteredRowModel: (core.createFilteredRowModel as () => unknown)(),
    filterFns: { includesString: core.filterFn_includesString },
  });
  type RowOf = { original: ClaudeProcess };
  // The fields the Processes tab's text filter looks in, and its CPU sort with the PID as tie-break.
  const columns = [
    { id: 'pid', accessorFn: (p: ClaudeProcess) => String(p.pid) },
    { id: 'cpu', accessorFn: (p: ClaudeProcess) => p.cpuPercent, sortFn: (a: RowOf, b: RowOf) => a.original.cpuPercent - b.original.cpuPercent || b.original.pid - a.original.pid },
    { id: 'project', accessorFn: (p: ClaudeProcess) => p.project ?? '' },
    { id: 'cwd', accessorFn: (p: ClaudeProcess) => p.cwd ?? '' },
    { id: 'session', accessorFn: (p: ClaudeProcess) => `${p.sessionId ?? ''} ${p.sessionName ?? ''}` },
    { id: 'command', accessorFn: (p: ClaudeProcess) => `${p.name} ${p.command.join(' ')}` },
  ];
  return core.constructTable({
    features,
    columns,
    data,
    getRowId: (p: ClaudeProcess) => String(p.pid),
    state: { sorting: [{ id: 'cpu', desc: true }], globalFilter: text },
    globalFilterFn: 'includesString',
    getColumnCanGlobalFilter: () => true,
  });
}

/** Minified and gzipped bytes of a module graph, bundled by vite as the renderer is (React left out). */
async function bundleBytes(entry: string, root: string): Promise<{ min: number; gzip: number }> {
  const out = (await build({
    root,
    logLevel: 'silent',
    configFile: false,
    build: { write: false, minify: true, lib: { entry, formats: ['es'], fileName: 'bench' }, rollupOptions: { external: ['react', 'react-dom'] } },
  })) as Array<{ output: Array<{ type: string; code?: string }> }> | { output: Array<{ type: string; code?: string }> };
  const outputs = Array.isArray(out) ? out : [out];
  const code = outputs.flatMap((o) => o.output).map((c) => (c.type === 'chunk' ? (c.code ?? '') : '')).join('');
  return { min: Buffer.byteLength(code), gzip: zlib.gzipSync(code).length };
}

const ms = (n: number) => `${n.toFixed(3)} ms`;
const kb = (b: { min: number; gzip: number }) => `${(b.min / 1024).toFixed(1)} KB min, ${(b.gzip / 1024).toFixed(1)} KB gzip`;

export async function run(): Promise<void> {
  const prefix = libraryPrefix();
  for (const count of SIZES) {
    const inputs = polls(count);
    for (const text of ['', 'project-3']) {
      const filter: ProcessFilter = { text, health: 'all' };
      const sort: ProcessSort = { key: 'cpu', direction: 'desc' };
      const table = await tanstackTable(prefix, inputs[0] as ClaudeProcess[], text);
      const viaLibrary = (processes: ClaudeProcess[]) => {
        table.setOptions((old) => ({ ...old, data: processes }));
        return table.getRowModel().rows.length;
      };
      const handWritten = (processes: ClaudeProcess[]) => visibleProcesses(processes, filter, sort).length;
      // Same rows in the same order, or the comparison means nothing.
      const probe = inputs[7] as ClaudeProcess[];
      const ours = visibleProcesses(probe, filter, sort).map((p) => p.pid);
      table.setOptions((old) => ({ ...old, data: probe }));
      const theirs = table.getRowModel().rows.map((r) => r.original.pid);
      if (ours.join() !== theirs.join()) throw new Error(`the two models disagree for ${count} processes, filter '${text}'`);
      // Warm both, then time both on the same polls.
      timeEach(inputs.slice(0, 50), handWritten);
      timeEach(inputs.slice(0, 50), viaLibrary);
      const hand = timeEach(inputs, handWritten);
      const lib = timeEach(inputs, viaLibrary);
      console.log(
        `${count} processes, filter '${text || '(none)'}' (${ours.length} rows): hand-written median ${ms(hand.median)} p95 ${ms(hand.p95)}; ` +
          `table-core median ${ms(lib.median)} p95 ${ms(lib.p95)} (${(lib.median / hand.median).toFixed(1)}x; frame budget ${FRAME_BUDGET_MS} ms)`,
      );
    }
  }

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tce-bench-table-'));
  try {
    const src = path.resolve(import.meta.dirname, '../../src/renderer');
    const entries = {
      'hand-written model (process-view.ts + row-window.ts)': `export { visibleProcesses } from ${JSON.stringify(path.join(src, 'model/process-view.ts'))};\nexport { useRowWindow } from ${JSON.stringify(path.join(src, 'row-window.ts'))};\n`,
      '@tanstack/table-core (sort + global filter)': `export { constructTable, tableFeatures, rowSortingFeature, createSortedRowModel, columnFilteringFeature, globalFilteringFeature, createFilteredRowModel, filterFn_includesString } from '@tanstack/table-core';\nexport { storeReactivityBindings } from '@tanstack/table-core/store-reactivity-bindings';\n`,
      '@tanstack/virtual-core (windowing)': `export { Virtualizer, observeElementOffset, observeElementRect, elementScroll } from '@tanstack/virtual-core';\n`,
    };
    fs.symlinkSync(path.join(prefix, 'node_modules'), path.join(work, 'node_modules'));
    for (const [name, code] of Object.entries(entries)) {
      const entry = path.join(work, `${name.replace(/\W+/g, '-')}.js`);
      fs.writeFileSync(entry, code);
      console.log(`bundle: ${name}: ${kb(await bundleBytes(entry, work))}`);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
