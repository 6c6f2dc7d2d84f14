// The import graph of src/, type-only imports included: no cycles, and the layers point one way. `core` imports
// nothing outside core; `shared` (the bridges' contract) imports core and itself; the dashboard bundle reaches no Node
// built-in, no Electron and nothing of main, server, cli or preload; only main and preload import Electron.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Graph {
  /** Source file (relative to the repository, `/`-separated) to the source files it imports. */
  files: Map<string, string[]>;
  /** Source file to the packages and Node built-ins it imports (`node:fs`, `react`, `electron`). */
  external: Map<string, string[]>;
}

/** The file a relative import names: compiled names (`.js`, `.cjs`) are written in the source for its `.ts`. */
function resolveImport(from: string, specifier: string): string | null {
  const base = path.posix.join(path.posix.dirname(from), specifier);
  const candidates = [base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), base.replace(/\.cjs$/, '.cts'), base, `${base}.ts`, `${base}.tsx`];
  return candidates.find((c) => fs.existsSync(path.join(ROOT, c)) && fs.statSync(path.join(ROOT, c)).isFile()) ?? null;
}

function importGraph(): Graph {
  const files = new Map<string, string[]>();
  const external = new Map<string, string[]>();
  for (const file of fs.globSync('src/**/*.{ts,tsx,cts}', { cwd: ROOT }).map((f) => f.split(path.sep).join('/'))) {
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(path.join(ROOT, file), 'utf8'), true, true);
    const local: string[] = [];
    const outside: string[] = [];
    for (const { fileName } of importedFiles) {
      if (fileName.startsWith('.')) {
        const target = resolveImport(file, fileName);
        assert.ok(target, `${file} imports ${fileName}, which is no source file`);
        local.push(target);
      } else {
        outside.push(fileName);
      }
    }
    files.set(file, local);
    external.set(file, outside);
  }
  return { files, external };
}

/** Every cycle of the graph, as the files of each strongly connected component (Tarjan), a file importing itself included. */
export function cyclesOf(files: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of files.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (files.get(v) ?? []).includes(v)) out.push(component.sort());
    }
  };
  for (const v of files.keys()) if (!index.has(v)) visit(v);
  return out;
}

function reachable(files: Map<string, string[]>, from: string): Set<string> {
  const seen = new Set<string>([from]);
  const todo = [from];
  for (let v = todo.pop(); v !== undefined; v = todo.pop()) {
    for (const w of files.get(v) ?? []) {
      if (!seen.has(w)) {
        seen.add(w);
        todo.push(w);
      }
    }
  }
  return seen;
}

const layer = (file: string) => file.split('/')[1] ?? '';
const graph = importGraph();

test('the import graph is read from every source file', () => {
  assert.ok(graph.files.size > 100, `${graph.files.size} files`);
  assert.ok(graph.files.get('src/shared/api.ts')?.includes('src/core/snapshot.ts'), 'type-only imports count');
});

test('no import cycles, type-only imports included', () => {
  assert.deepEqual(cyclesOf(graph.files), []);
});

test('core imports nothing outside core, and shared only core and itself', () => {
  const wrong: string[] = [];
  for (const [file, targets] of graph.files) {
    const allowed = layer(file) === 'core' ? ['core'] : layer(file) === 'shared' ? ['core', 'shared'] : null;
    if (!allowed) continue;
    for (const target of targets) if (!allowed.includes(layer(target))) wrong.push(`${file} -> ${target}`);
  }
  assert.deepEqual(wrong, []);
});

test('the dashboard bundle reaches no Node built-in, no Electron, nothing of main, server, cli or preload', () => {
  const bundle = reachable(graph.files, 'src/renderer/main.tsx');
  assert.ok(bundle.size > 20, `${bundle.size} files in the bundle`);
  const wrong: string[] = [];
  for (const file of bundle) {
    if (['main', 'server', 'cli', 'preload'].includes(layer(file))) wrong.push(file);
    for (const name of graph.external.get(file) ?? []) {
      if (name.startsWith('node:') || name === 'electron' || name.startsWith('electron/') || /^(fs|path|os|child_process|crypto|http|net|url|util)$/.test(name)) {
        wrong.push(`${file} -> ${name}`);
      }
    }
  }
  assert.deepEqual(wrong, []);
});

test('only the Electron layer (main, preload) imports electron', () => {
  const wrong = [...graph.external].filter(([file, names]) => !['main', 'preload'].includes(layer(file)) && names.some((n) => n === 'electron' || n.startsWith('electron/')));
  assert.deepEqual(wrong.map(([file]) => file), []);
});

test('the cycle check finds cycles, long and short', () => {
  const g = (edges: Record<string, string[]>) => new Map(Object.entries(edges));
  assert.deepEqual(cyclesOf(g({ a: ['b'], b: ['c'], c: ['a'], d: ['a'] })), [['a', 'b', 'c']]);
  assert.deepEqual(cyclesOf(g({ a: ['a'] })), [['a']]);
  assert.deepEqual(cyclesOf(g({ a: ['b'], b: [] })), []);
});
