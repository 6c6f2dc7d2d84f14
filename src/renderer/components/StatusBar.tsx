import { formatTime } from '../model/format.js';
import { isStale, snapshotAgeMs } from '../model/freshness.js';
import { useNow } from '../hooks.js';
import { useDashboard } from '../state/context.js';

const CONNECTION_LABEL = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', error: 'Disconnected' } as const;

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
      {snapshot ? (
        <span className={stale ? 'freshness stale' : 'freshness'} data-testid="freshness" data-stale={stale ? 'true' : 'false'}>
          {stale ? `Stale: last update ${Number.isFinite(age) ? `${age} s ago` : 'unknown'}` : `Updated ${formatTime(snapshot.generatedAt)}`}
        </span>
      ) : null}
    </div>
  );
}
