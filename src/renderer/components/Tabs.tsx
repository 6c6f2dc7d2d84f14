import { useRef, type KeyboardEvent } from 'react';
import { formatCount } from '../model/format.js';
import type { Tab } from '../state/store.js';

const TABS: Array<{ id: Tab; label: string }> = [
  { id: 'processes', label: 'Processes' },
  { id: 'usage', label: 'Usage' },
  { id: 'sessions', label: 'Sessions' },
  { id: 'settings', label: 'Settings' },
];

export function tabId(tab: Tab): string {
  return `tab-${tab}`;
}

export function panelId(tab: Tab): string {
  return `panel-${tab}`;
}

/** WAI-ARIA tabs: one tab stop, arrow keys (and Home/End) move between tabs and select them. */
export function Tabs({
  selected,
  onSelect,
  counts,
  waiting = 0,
}: {
  selected: Tab;
  onSelect: (tab: Tab) => void;
  counts: Partial<Record<Tab, number>>;
  /** Sessions waiting for their user: marked on the Processes tab, whichever tab is open. */
  waiting?: number;
}) {
  const refs = useRef<Array<HTMLButtonElement | null>>([]);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = TABS.findIndex((t) => t.id === selected);
    let next = -1;
    if (event.key === 'ArrowRight') next = (index + 1) % TABS.length;
    else if (event.key === 'ArrowLeft') next = (index - 1 + TABS.length) % TABS.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = TABS.length - 1;
    if (next < 0) return;
    event.preventDefault();
    onSelect((TABS[next] as (typeof TABS)[number]).id);
    refs.current[next]?.focus();
  };
  return (
    <div role="tablist" aria-label="Dashboard sections" className="tabs" onKeyDown={onKeyDown}>
      {TABS.map((tab, i) => (
        <button
          key={tab.id}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          role="tab"
          id={tabId(tab.id)}
          aria-selected={selected === tab.id}
          aria-controls={panelId(tab.id)}
          tabIndex={selected === tab.id ? 0 : -1}
          className="tab"
          onClick={() => onSelect(tab.id)}
        >
          {tab.label}
          {counts[tab.id] !== undefined ? <span className="tab-count">{formatCount(counts[tab.id] as number)}</span> : null}
          {tab.id === 'processes' && waiting > 0 ? (
            <span className="tab-attention" data-testid="tab-waiting" title={`${waiting} session${waiting === 1 ? '' : 's'} waiting for you`}>
              {formatCount(waiting)} waiting
            </span>
          ) : null}
        </button>
      ))}
    </div>
  );
}
