/**
 * The "indexing transcripts" line on stderr while a first index build runs: only on a terminal, only once the build
 * has taken longer than a second (a warm start never shows it), and erased when done so stdout stays clean.
 */
import type { UsageProgress } from '../../core/usage/index.js';

export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface ProgressOptions {
  delayMs?: number;
  /** Minimum time between two redraws. */
  everyMs?: number;
  now?: () => number;
}

const MB = 1024 * 1024;

export class IndexProgress {
  private readonly start: number;
  private readonly delayMs: number;
  private readonly everyMs: number;
  private readonly now: () => number;
  private lastDraw = -Infinity;
  private shown = false;

  constructor(
    private readonly stream: ProgressStream,
    options: ProgressOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.start = this.now();
    this.delayMs = options.delayMs ?? 1000;
    this.everyMs = options.everyMs ?? 100;
  }

  /** Pass to `UsageEngineOptions.onProgress`. */
  readonly update = (p: UsageProgress): void => {
    if (!this.stream.isTTY) return;
    const t = this.now();
    if (t - this.start < this.delayMs || t - this.lastDraw < this.everyMs) return;
    this.lastDraw = t;
    this.shown = true;
    const pct = p.bytesTotal > 0 ? Math.floor((p.bytesDone / p.bytesTotal) * 100) : 100;
    const mb = (n: number): string => (n / MB).toFixed(0);
    this.stream.write(`\r\x1b[2KIndexing Claude Code transcripts: ${p.filesDone}/${p.filesTotal} files, ${mb(p.bytesDone)}/${mb(p.bytesTotal)} MB (${pct}%)`);
  };

  /** Erases the line if it was drawn. */
  done(): void {
    if (this.shown) this.stream.write('\r\x1b[2K');
    this.shown = false;
  }
}
