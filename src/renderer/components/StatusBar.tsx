import type { IndexingProgress } from '../../shared/api.js';
import { formatBytes, formatCount, formatDuration, formatTime } from '../model/format.js';
import { isStale, snapshotAgeMs } from '../model/freshness.js';
import { useNow } from '../hooks.js';
import { useDashboard } from '../state/context.js';

const CONNECTION_LABEL = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', error: 'Disconnected' } as const;

/** A first index over a big history: files and bytes done, and the time left once the rate is known. */
function IndexingLine({ progress }: { progress: IndexingProgress }) {
  const percent = progress.bytesTotal > 0 ? Math.min(100, Math.floor((progress.bytesDone / progress.bytesTotal) * 100)) : 0;
  const left = progress.etaSeconds === null ? '' : ` · about ${formatDuration(progress.etaSeconds)} left`;
  return (
    <span className="indexing" data-testid="indexing" role="status" title="Reading Claude Code's transcripts into TCE's usage index for the first time">
      <progress max={100} value={percent} aria-label="Indexing transcripts" />
      {`Indexing transcripts: ${formatCount(progress.filesDone)} of ${formatCount(progress.filesTotal)} files, ${formatBytes(progress.bytesDone)} of ${formatBytes(progress.bytesTotal)}${left}`}
    </span>
  );
}

/** The feed's state and the data's age; data older than one poll is flagged stale. */
export function StatusBar() {
  const connection = useDashboard((s) => s.connection);
  const detail = useDashboard((s) => s.connectionDetail);
  const snapshot = useDashboard((s) => s.snapshot);
  const now = useNow(1000);
  const stale = snapshot ? isStale(snapshot, now) : false;
  const age = snapshot ? Math.round(snapshotAgeMs(snapshot, now) / 1000) : 0;
  return (
    <div className="status" data-testid="status">
      <span className={`connection connection-${connection}`} data-testid="connection" data-state={connection} title={detail ?? undefined}>
        <span className="connection-dot" aria-hidden="true" />
        {CONNECTION_LABEL[connection]}
      </span>
      {snapshot?.indexing ? <IndexingLine progress={snapshot.indexing} /> : null}
      {snapshot ? (
        <span className={stale ? 'freshness stale' : 'freshness'} data-testid="freshness" data-stale={stale ? 'true' : 'false'}>
          {stale ? `Stale: last update ${Number.isFinite(age) ? `${age} s ago` : 'unknown'}` : `Updated ${formatTime(snapshot.generatedAt)}`}
        </span>
      ) : null}
    </div>
  );
}
