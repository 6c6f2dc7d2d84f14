// A Claude config dir with one real-looking transcript, a built-looking renderer dir, and a monitor wrapper that counts listeners.
import fs from 'node:fs';
import path from 'node:path';
import type { Monitor } from '../../src/core/monitor.js';
import type { Snapshot } from '../../src/shared/api.js';
import { reportInRange } from '../../src/shared/usage-range.js';
import { writeFile } from '../support/tmp.js';
import { assistantLine } from '../core/usage/corpus.js';

export const SESSION_ID = '6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';

/** `<claudeDir>/projects/-work-demo/<session>.jsonl` with 1000 input + 500 output tokens of Sonnet 4.5, written now. */
export function writeTranscript(claudeDir: string, project: string): string {
  const common = { model: 'claude-sonnet-4-5', ts: new Date().toISOString(), cwd: project, sessionId: SESSION_ID };
  const lines = [assistantLine({ ...common, id: 'msg_server_1', input: 600, output: 300 }), assistantLine({ ...common, id: 'msg_server_2', input: 400, output: 200 })];
  return writeFile(path.join(claudeDir, 'projects', '-work-demo', `${SESSION_ID}.jsonl`), `${lines.join('\n')}\n`);
}

/** A stand-in for dist/renderer: index.html with a </head>, and one asset. */
export function writeStaticDir(dir: string): string {
  writeFile(path.join(dir, 'index.html'), '<!doctype html>\n<html>\n  <head>\n    <title>TCE test page</title>\n  </head>\n  <body><div id="root"></div></body>\n</html>\n');
  writeFile(path.join(dir, 'assets', 'app.js'), 'console.log("tce");\n');
  fs.mkdirSync(path.join(dir, 'assets', 'folder'), { recursive: true });
  return dir;
}

/** Delegates everything to `monitor` and counts live onSnapshot subscriptions. */
export function countingMonitor(monitor: Monitor): { monitor: Monitor; listeners(): number } {
  let live = 0;
  const wrapped: Monitor = {
    start: () => monitor.start(),
    stop: () => monitor.stop(),
    current: () => monitor.current(),
    refresh: () => monitor.refresh(),
    getSnapshot: () => monitor.getSnapshot(),
    kill: (pid, force) => monitor.kill(pid, force),
    killStale: () => monitor.killStale(),
    pin: (pid) => monitor.pin(pid),
    unpin: (pid) => monitor.unpin(pid),
    getSettings: () => monitor.getSettings(),
    updateSettings: (patch) => monitor.updateSettings(patch),
    usageReport: (options) => monitor.usageReport(options),
    blocks: () => monitor.blocks(),
    onSnapshot(listener) {
      live += 1;
      const off = monitor.onSnapshot(listener);
      let done = false;
      return () => {
        if (done) return;
        done = true;
        live -= 1;
        off();
      };
    },
  };
  return { monitor: wrapped, listeners: () => live };
}

export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses Prometheus text format 0.0.4 strictly enough to catch malformed output; throws on any bad line. */
export function parseMetrics(text: string): { samples: MetricSample[]; types: Map<string, string> } {
  const types = new Map<string, string>();
  const samples: MetricSample[] = [];
  if (!text.endsWith('\n')) throw new Error('exposition must end with a newline');
  for (const line of text.slice(0, -1).split('\n')) {
    if (line.startsWith('# HELP ')) continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (gauge|counter|histogram|summary|untyped)$/.exec(line);
    if (type) {
      if (types.has(type[1] as string)) throw new Error(`TYPE twice for ${type[1]}`);
      types.set(type[1] as string, type[2] as string);
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$/.exec(line);
    if (!sample) throw new Error(`malformed line: ${line}`);
    const name = sample[1] as string;
    if (!types.has(name)) throw new Error(`sample before its TYPE: ${line}`);
    const labels: Record<string, string> = {};
    const body = sample[2] ?? '';
    const labelPattern = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/y;
    let at = 0;
    while (at < body.length) {
      labelPattern.lastIndex = at;
      const m = labelPattern.exec(body);
      if (!m) throw new Error(`malformed labels: ${line}`);
      labels[m[1] as string] = (m[2] as string).replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
      at = labelPattern.lastIndex;
    }
    samples.push({ name, labels, value: Number(sample[3]) });
  }
  return { samples, types };
}

/** A monitor that serves `initial` and pushes whatever the test hands to `push`; for behaviour of the stream itself. */
export function pushingMonitor(initial: Snapshot): Monitor & { push(snapshot: Snapshot): void } {
  let latest = initial;
  const listeners = new Set<(s: Snapshot) => void>();
  const refused = async (pid: number) => ({ ok: false, pid, outcome: 'refused' as const, message: 'not in this test' });
  return {
    start: () => undefined,
    stop: async () => undefined,
    current: () => latest,
    refresh: async () => latest,
    getSnapshot: async () => latest,
    onSnapshot(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    kill: ({ pid }) => refused(pid),
    killStale: async () => [],
    pin: ({ pid }) => refused(pid),
    unpin: ({ pid }) => refused(pid),
    getSettings: async () => {
      throw new Error('not in this test');
    },
    updateSettings: async () => {
      throw new Error('not in this test');
    },
    usageReport: ({ since, until }) => {
      if (!latest.usage) throw new Error('no usage in this test');
      return reportInRange(latest.usage, since, until);
    },
    blocks: () => (latest.activeBlock ? [latest.activeBlock] : []),
    push(snapshot) {
      latest = snapshot;
      for (const l of listeners) l(snapshot);
    },
  };
}
