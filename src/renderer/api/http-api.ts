/**
 * The dashboard's bridge to `tce dashboard`: snapshots over GET + server-sent events, actions as POSTs carrying
 * the per-run token that the server put into the page's <meta name="tce-token">.
 */
import type { ActionResult, ProcessRef, Settings, SettingsPatch, Snapshot, UsageReport } from '../../shared/api.js';
import type { ConnectionState, DashboardApi, UsageRange } from './dashboard-api.js';

/** Wait before a new event stream when the browser gave up on the last one. */
const REOPEN_AFTER_MS = 5000;

export class HttpError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

function pageToken(doc: Document): string {
  return doc.querySelector('meta[name="tce-token"]')?.getAttribute('content') ?? '';
}

async function readJson<T>(response: Response): Promise<T> {
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    throw new HttpError(`The server answered ${response.status} with something that is not JSON.`, response.status);
  }
  // 409 carries a refused ActionResult: a normal answer, shown like any other result.
  if (response.ok || (body && typeof body === 'object' && 'outcome' in body && 'message' in body)) return body as T;
  const message = body && typeof body === 'object' && 'error' in body ? String((body as { error: unknown }).error) : `HTTP ${response.status}`;
  throw new HttpError(message, response.status);
}

export class HttpApi implements DashboardApi {
  private readonly token: string;
  private source: EventSource | null = null;
  private readonly snapshotListeners = new Set<(snapshot: Snapshot) => void>();
  private readonly connectionListeners = new Set<(state: ConnectionState, detail?: string) => void>();
  private state: ConnectionState = 'connecting';
  private reopenTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly base = '',
    doc: Document = document,
  ) {
    this.token = pageToken(doc);
  }

  private async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (method === 'POST') headers['X-TCE-Token'] = this.token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch (error) {
      throw new HttpError(`The dashboard server cannot be reached (${(error as Error).message}).`, 0);
    }
    return readJson<T>(response);
  }

  private setState(state: ConnectionState, detail?: string): void {
    this.state = state;
    for (const listener of this.connectionListeners) listener(state, detail);
  }

  private openEvents(): void {
    if (this.source) return;
    const source = new EventSource(`${this.base}/api/events`);
    this.source = source;
    source.addEventListener('open', () => this.setState('live'));
    source.addEventListener('error', () => {
      // EventSource retries by itself while CONNECTING; CLOSED means it gave up (the server answered with an error,
      // e.g. while it restarts): then start a new one a little later.
      if (source.readyState === EventSource.CLOSED) {
        this.setState('error', 'The dashboard server refused the live feed; trying again.');
        this.source = null;
        if (!this.reopenTimer) {
          this.reopenTimer = setTimeout(() => {
            this.reopenTimer = null;
            if (this.snapshotListeners.size > 0) this.openEvents();
          }, REOPEN_AFTER_MS);
        }
      } else {
        this.setState('reconnecting', 'The live feed from the dashboard server was interrupted.');
      }
    });
    source.addEventListener('snapshot', (event) => {
      let snapshot: Snapshot;
      try {
        snapshot = JSON.parse((event as MessageEvent<string>).data) as Snapshot;
      } catch {
        return;
      }
      if (this.state !== 'live') this.setState('live');
      for (const listener of this.snapshotListeners) listener(snapshot);
    });
  }

  private closeEventsIfUnused(): void {
    if (this.snapshotListeners.size > 0) return;
    if (this.reopenTimer) clearTimeout(this.reopenTimer);
    this.reopenTimer = null;
    this.source?.close();
    this.source = null;
  }

  getSnapshot(): Promise<Snapshot> {
    return this.request<Snapshot>('GET', '/api/snapshot');
  }

  onSnapshot(listener: (snapshot: Snapshot) => void): () => void {
    this.snapshotListeners.add(listener);
    this.openEvents();
    return () => {
      this.snapshotListeners.delete(listener);
      this.closeEventsIfUnused();
    };
  }

  onConnection(listener: (state: ConnectionState, detail?: string) => void): () => void {
    this.connectionListeners.add(listener);
    listener(this.state);
    return () => this.connectionListeners.delete(listener);
  }

  /**
   * `/api/<action>/{pid}?start={startId}`: the server acts only on the very process the page listed; `&machine=` sends
   * it on to a remote machine's server (the page never talks to another machine itself).
   */
  private static target(target: ProcessRef): string {
    const machine = target.machine ? `&machine=${encodeURIComponent(target.machine)}` : '';
    return `${encodeURIComponent(target.pid)}?start=${encodeURIComponent(target.startId)}${machine}`;
  }

  kill(target: ProcessRef, force: boolean): Promise<ActionResult> {
    return this.request<ActionResult>('POST', `/api/kill/${HttpApi.target(target)}&force=${force ? 'true' : 'false'}`);
  }

  killStale(): Promise<ActionResult[]> {
    return this.request<ActionResult[]>('POST', '/api/kill-stale');
  }

  pin(target: ProcessRef): Promise<ActionResult> {
    return this.request<ActionResult>('POST', `/api/pin/${HttpApi.target(target)}`);
  }

  unpin(target: ProcessRef): Promise<ActionResult> {
    return this.request<ActionResult>('POST', `/api/unpin/${HttpApi.target(target)}`);
  }

  getSettings(): Promise<Settings> {
    return this.request<Settings>('GET', '/api/settings');
  }

  updateSettings(patch: SettingsPatch): Promise<Settings> {
    return this.request<Settings>('POST', '/api/settings', patch);
  }

  usageReport(range: UsageRange): Promise<UsageReport> {
    const query = new URLSearchParams();
    if (range.since) query.set('since', range.since);
    if (range.until) query.set('until', range.until);
    if (range.timezone) query.set('timezone', range.timezone);
    const qs = query.toString();
    return this.request<UsageReport>('GET', `/api/usage${qs ? `?${qs}` : ''}`);
  }
}
