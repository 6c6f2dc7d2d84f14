/**
 * Tells a long-lived engine which project folders changed since it last asked, so a poll in which nothing was written
 * lists and stats nothing. Linux has no recursive watch (Node emulates one there): every folder gets its own watch
 * (inotify); macOS and Windows watch each `projects` folder recursively. Anything it cannot vouch for (a watch that
 * failed or errored, an event without a file name) makes the next refresh a full one, and the engine rescans fully
 * every few minutes whatever the watches say, in case an event was lost.
 */
import { type FSWatcher, watch } from 'node:fs';
import path from 'node:path';
import { type Steps, runSteps } from './pacer.js';

/** What changed since the last `take`: `all` asks for a full refresh; else the project folders to list again. */
export interface WatchChanges {
  all: boolean;
  /** `<root>/projects/<name>` folders whose transcripts (or sub-folders) changed, or that appeared or went away. */
  projects: Set<string>;
  /** Whether the files beside the transcripts (registry, session-meta, stats-cache) changed. */
  extras: boolean;
}

const RECURSIVE = process.platform === 'darwin' || process.platform === 'win32';
/** Watches added, and folders looked at, between two steps of `syncSteps`. */
const WATCHES_PER_STEP = 16;
const FOLDERS_PER_STEP = 256;

export class TranscriptWatch {
  private readonly watchers = new Map<string, FSWatcher>();
  private changes: WatchChanges = { all: true, projects: new Set(), extras: true };
  private closed = false;

  constructor(private readonly roots: readonly string[]) {}

  /** What changed since the last call; the next call reports only what happens after this one. */
  take(): WatchChanges {
    const out = this.changes;
    this.changes = { all: false, projects: new Set(), extras: false };
    return out;
  }

  /**
   * Watches the given folders (and each root's own, `projects`, `sessions` and `usage-data/session-meta` folders),
   * drops watches on folders no longer listed. A folder watched for the first time is reported changed at the next
   * `take`: something may have been written to it between its listing and its watch.
   */
  sync(projectFolders: Iterable<string>): void {
    runSteps(this.syncSteps(projectFolders));
  }

  /** `sync` in steps (see pacer.ts): a big history has thousands of folders to watch. */
  *syncSteps(projectFolders: Iterable<string>): Steps<void> {
    if (this.closed) return;
    const wanted = new Map<string, { project: string | null; recursive: boolean }>();
    for (const root of this.roots) {
      wanted.set(root, { project: null, recursive: false });
      wanted.set(path.join(root, 'sessions'), { project: null, recursive: false });
      wanted.set(path.join(root, 'usage-data'), { project: null, recursive: false });
      wanted.set(path.join(root, 'usage-data', 'session-meta'), { project: null, recursive: false });
      wanted.set(path.join(root, 'projects'), { project: null, recursive: RECURSIVE });
    }
    let looked = 0;
    if (!RECURSIVE) {
      for (const folder of projectFolders) {
        if (++looked % FOLDERS_PER_STEP === 0) yield;
        wanted.set(folder, { project: projectOf(folder, this.roots), recursive: false });
      }
    }
    for (const [dir, watcher] of this.watchers) {
      if (++looked % FOLDERS_PER_STEP === 0) yield;
      if (!wanted.has(dir)) {
        watcher.close();
        this.watchers.delete(dir);
      }
    }
    if (this.closed) return;
    let added = 0;
    for (const [dir, how] of wanted) {
      if (this.watchers.has(dir)) continue;
      if (++added % WATCHES_PER_STEP === 0) yield;
      // Closed during a turn: no more watches.
      if (this.closed) return;
      try {
        const watcher = watch(dir, { persistent: false, recursive: how.recursive }, (_event, name) => this.changed(dir, how.project, name));
        watcher.on('error', () => this.lost(dir));
        this.watchers.set(dir, watcher);
        if (how.project) this.changes.projects.add(how.project);
        else this.changes.all = true;
      } catch (error) {
        // A folder that does not exist yet is seen by the watch on its parent when it appears; anything else
        // (no watches left: ENOSPC) means the watches cannot be trusted.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.changes.all = true;
      }
    }
  }

  /** How many folders are watched (for tests and the benchmark). */
  get size(): number {
    return this.watchers.size;
  }

  close(): void {
    this.closed = true;
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  private lost(dir: string): void {
    this.watchers.get(dir)?.close();
    this.watchers.delete(dir);
    this.changes.all = true;
  }

  private changed(dir: string, project: string | null, name: string | Buffer | null): void {
    if (project) {
      this.changes.projects.add(project);
      return;
    }
    const entry = name === null ? null : name.toString();
    const root = this.roots.find((r) => dir === r || dir.startsWith(`${r}${path.sep}`));
    if (entry === null || root === undefined) {
      this.changes.all = true;
      return;
    }
    if (dir === path.join(root, 'projects')) {
      // Recursive watches name the path below `projects`; its first part is the project folder. A transcript lying
      // directly in `projects` (no project folder) is only found by a full listing.
      const first = entry.split(/[\\/]/)[0]!;
      if (first.endsWith('.jsonl')) this.changes.all = true;
      else this.changes.projects.add(path.join(dir, first));
      return;
    }
    if (dir === root) {
      // Claude Code writes much else in its folder (history, todos, shell snapshots): only these matter here.
      if (entry === 'projects') this.changes.all = true;
      else if (entry === 'stats-cache.json' || entry === 'sessions' || entry === 'usage-data') this.changes.extras = true;
      return;
    }
    // `sessions`, `usage-data` or `session-meta`.
    this.changes.extras = true;
  }
}

/** `<root>/projects/<name>` for a folder at or below it, or null. */
function projectOf(folder: string, roots: readonly string[]): string | null {
  for (const root of roots) {
    const projects = path.join(root, 'projects') + path.sep;
    if (!folder.startsWith(projects)) continue;
    const name = folder.slice(projects.length).split(path.sep)[0];
    return name ? projects + name : null;
  }
  return null;
}
