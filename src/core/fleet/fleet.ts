/**
 * The remote machines of the settings, polled concurrently, each with its own deadline, beside the local poll and
 * never in its way: the monitor starts a round and takes whatever is known at that moment; each answer (or failure)
 * that comes in later is announced on its own, so one slow or dead machine delays nothing but itself.
 *
 * Kill, pin and unpin of a remote process go to that machine's own server, with its token and the process's startId,
 * which that server checks right before it acts; the page and the tray only ever talk to this TCE.
 */
import type { ActionResult, ProcessRef } from '../process/types.js';
import type { RemoteMachine } from '../settings/types.js';
import { answerProblem, RemoteError, requestRemote, type RequestLimits } from './client.js';
import { parseActionResult, parseMachineSummary, SummaryError } from './parse-summary.js';
import { readTokenFile, TokenFileError } from './token-file.js';
import type { MachineState } from './types.js';

/** How long one remote may take to answer a poll or an action. */
export const REMOTE_TIMEOUT_MS = 5000;
/** A summary larger than this is refused (a machine with ten thousand processes stays well under). */
export const REMOTE_MAX_BYTES = 16 * 1024 * 1024;

export type RemoteAction = 'kill' | 'pin' | 'unpin';

export interface FleetOptions {
  timeoutMs?: number;
  maxBytes?: number;
}

interface Entry {
  remote: RemoteMachine;
  /** The remote as configured: a change of any of its fields starts it afresh. */
  key: string;
  state: MachineState;
  polling: Promise<void> | null;
  /** An action came while a poll ran: poll once more after it, so its result is seen. */
  pollAgain: boolean;
}

function unknownState(remote: RemoteMachine): MachineState {
  return { name: remote.name, url: remote.url, reachable: false, lastSeen: null, checkedAt: null, error: null, summary: null };
}

function messageOf(error: unknown): string {
  if (error instanceof RemoteError || error instanceof SummaryError || error instanceof TokenFileError) return error.message;
  return `unexpected failure: ${(error as Error).message}`;
}

export class Fleet {
  private entries: Entry[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly limits: RequestLimits;
  private readonly stopping = new AbortController();

  constructor(options: FleetOptions = {}) {
    this.limits = { timeoutMs: options.timeoutMs ?? REMOTE_TIMEOUT_MS, maxBytes: options.maxBytes ?? REMOTE_MAX_BYTES, signal: this.stopping.signal };
  }

  /** Ends every request under way and asks nothing more: nothing keeps a stopping app or server waiting on a remote. */
  stop(): void {
    this.stopping.abort();
    this.listeners.clear();
  }

  /** Takes the settings' remotes: machines kept as they were keep their state; new or changed ones start unknown. */
  configure(remotes: readonly RemoteMachine[]): void {
    const next = remotes.map((remote) => {
      const key = JSON.stringify([remote.name, remote.url, remote.tokenFile, remote.trustedLink]);
      return this.entries.find((e) => e.key === key) ?? { remote, key, state: unknownState(remote), polling: null, pollAgain: false };
    });
    const changed = next.length !== this.entries.length || next.some((e, i) => e !== this.entries[i]);
    this.entries = next;
    if (changed) this.emit();
  }

  /** Every remote machine as last reached, in the settings' order. */
  machines(): MachineState[] {
    return this.entries.map((e) => e.state);
  }

  /** Calls `listener` whenever a machine's state changed (an answer, a failure, the list itself). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Polls every machine not already being polled; resolves when this round is over (each machine has answered,
   * failed or run out of time). The monitor does not wait for it; `tce status --machines` does.
   */
  pollAll(): Promise<void> {
    if (this.stopping.signal.aborted) return Promise.resolve();
    return Promise.all(this.entries.map((e) => this.poll(e))).then(() => undefined);
  }

  /** Kill (SIGTERM, or SIGKILL with `force`), pin or unpin a process of a remote machine, on that machine's server. */
  async act(action: RemoteAction, target: ProcessRef, force = false): Promise<ActionResult> {
    const name = target.machine ?? '';
    const entry = this.entries.find((e) => e.remote.name === name);
    const refused = (message: string): ActionResult => ({ ok: false, pid: target.pid, outcome: 'refused', message });
    if (!entry) return refused(`No remote machine named '${name}' in TCE's settings.`);
    const query = `?start=${encodeURIComponent(target.startId)}${action === 'kill' ? `&force=${force ? 'true' : 'false'}` : ''}`;
    let result: ActionResult;
    try {
      const token = readTokenFile(entry.remote.tokenFile, `the token file of ${name} (${entry.remote.tokenFile})`);
      const answer = await requestRemote(entry.remote, token, 'POST', `api/${action}/${target.pid}${query}`, this.limits);
      // 200: done; 409: that server refused it or the process is gone (a normal answer, with its reason).
      if (answer.status !== 200 && answer.status !== 409) throw new RemoteError(answerProblem(answer, entry.remote.tokenFile), answer.status);
      const remote = parseActionResult(answer.body);
      result = { ...remote, message: `${name}: ${remote.message}` };
    } catch (error) {
      result = refused(`${name}: ${messageOf(error)}`);
    }
    this.pollAfterAction(entry);
    return result;
  }

  private pollAfterAction(entry: Entry): void {
    if (entry.polling) entry.pollAgain = true;
    else this.poll(entry).catch(() => undefined);
  }

  /** Never rejects: a failure is the machine's state. */
  private poll(entry: Entry): Promise<void> {
    entry.polling ??= this.fetch(entry).finally(() => {
      entry.polling = null;
      if (entry.pollAgain) {
        entry.pollAgain = false;
        this.poll(entry).catch(() => undefined);
      }
    });
    return entry.polling;
  }

  private async fetch(entry: Entry): Promise<void> {
    const { remote } = entry;
    const checkedAt = new Date().toISOString();
    try {
      const token = readTokenFile(remote.tokenFile, `the token file of ${remote.name} (${remote.tokenFile})`);
      const answer = await requestRemote(remote, token, 'GET', 'api/machine', this.limits);
      if (answer.status === 404) throw new RemoteError('it has no /api/machine: it runs an older TCE; update TCE there', 404);
      if (answer.status !== 200) throw new RemoteError(answerProblem(answer, remote.tokenFile), answer.status);
      const summary = parseMachineSummary(answer.body, remote.name);
      this.update(entry, { name: remote.name, url: remote.url, reachable: true, lastSeen: new Date().toISOString(), checkedAt, error: null, summary });
    } catch (error) {
      this.update(entry, { ...entry.state, reachable: false, checkedAt, error: messageOf(error) });
    }
  }

  private update(entry: Entry, state: MachineState): void {
    // A machine removed from the settings meanwhile is not brought back by its late answer.
    if (!this.entries.includes(entry)) return;
    entry.state = state;
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch {
        // One failing listener must not keep the others from hearing.
      }
    }
  }
}
