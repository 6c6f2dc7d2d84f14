/** The JSON text of a snapshot, made once per snapshot however many requests and event streams send it. */
import type { Snapshot } from '../shared/api.js';

const cache = new WeakMap<Snapshot, string>();

export function snapshotJson(snapshot: Snapshot): string {
  let text = cache.get(snapshot);
  if (text === undefined) {
    text = JSON.stringify(snapshot);
    cache.set(snapshot, text);
  }
  return text;
}
