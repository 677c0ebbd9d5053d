/** Search, sort, pause, clear, export, import, open in a window and the button position. */
import { useRef, useState, type ChangeEvent } from 'react';
import { buildSessionFile, parseSessionFile, sessionFileName } from '../store/session-file.js';
import type { OverlayLayout, Position, SortState, TabId } from '../store/types.js';
import { useActions, useOverlay, useOverlayState } from './context.js';
import { downloadJson, readFileText } from './file-io.js';

const SORT_OPTIONS: { [K in TabId]: { value: SortState[K]; label: string }[] } = {
  requests: [
    { value: 'newest', label: 'Newest first' },
    { value: 'oldest', label: 'Oldest first' },
    { value: 'slowest', label: 'Slowest first' },
  ],
  tags: [
    { value: 'status', label: 'Problems first' },
    { value: 'name', label: 'Name' },
    { value: 'entries', label: 'Most entries' },
  ],
  revalidations: [
    { value: 'newest', label: 'Newest first' },
    { value: 'oldest', label: 'Oldest first' },
    { value: 'matched', label: 'Fewest matches first' },
  ],
  findings: [
    { value: 'severity', label: 'Severity' },
    { value: 'newest', label: 'Newest first' },
  ],
};

const POSITIONS: { value: Position; label: string }[] = [
  { value: 'bottom-right', label: 'Bottom right' },
  { value: 'bottom-left', label: 'Bottom left' },
  { value: 'top-right', label: 'Top right' },
  { value: 'top-left', label: 'Top left' },
];

export function Toolbar({ onError, layout = 'overlay' }: { onError(message: string | null): void; layout?: OverlayLayout }) {
  const { store, controls } = useOverlay();
  const tab = useOverlayState((s) => s.tab);
  const search = useOverlayState((s) => s.filters.search);
  const sort = useOverlayState((s) => s.sort[s.tab]);
  const paused = useOverlayState((s) => s.paused);
  const position = useOverlayState((s) => s.position);
  const live = useOverlayState((s) => s.source.kind === 'live');
  const actions = useActions();
  const fileInput = useRef<HTMLInputElement>(null);
  const [clearing, setClearing] = useState(false);

  const clear = async () => {
    onError(null);
    if (!live) {
      actions.reset();
      return;
    }
    setClearing(true);
    try {
      await controls.clearServer();
    } catch (error) {
      onError(`Could not clear the server: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setClearing(false);
    }
  };

  const exportSession = () => {
    const now = Date.now();
    downloadJson(sessionFileName(now), buildSessionFile(store.getState(), controls.streamUrl, now));
  };

  const importSession = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.currentTarget.files?.[0];
    event.currentTarget.value = '';
    if (!file) return;
    onError(null);
    try {
      actions.loadSession(parseSessionFile(await readFileText(file)), file.name);
    } catch (error) {
      onError(`Could not import ${file.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  return (
    <div className="cs-toolbar" role="group" aria-label="cachescope actions">
      <input
        type="search"
        className="cs-input"
        placeholder="Search…"
        aria-label="Search calls, tags, revalidations and findings"
        value={search}
        onChange={(e) => actions.setSearch(e.currentTarget.value)}
      />
      <select className="cs-select" aria-label="Sort" value={sort} onChange={(e) => actions.setSort(tab, e.currentTarget.value as never)}>
        {SORT_OPTIONS[tab].map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="cs-btn"
        aria-pressed={paused}
        aria-label={paused ? 'Resume live updates' : 'Pause live updates'}
        onClick={() => actions.setPaused(!paused)}
        disabled={!live}
      >
        {paused ? 'Resume' : 'Pause'}
      </button>
      <button
        type="button"
        className="cs-btn"
        aria-label={live ? 'Clear session (also clears the server)' : 'Clear the imported session'}
        onClick={() => void clear()}
        disabled={clearing}
      >
        Clear
      </button>
      <button type="button" className="cs-btn" aria-label="Export session as JSON" onClick={exportSession}>
        Export
      </button>
      <button type="button" className="cs-btn" aria-label="Import session JSON" onClick={() => fileInput.current?.click()}>
        Import
      </button>
      <input
        ref={fileInput}
        type="file"
        accept="application/json,.json"
        aria-label="Session file to import"
        hidden
        onChange={(e) => void importSession(e)}
        data-testid="cachescope-import-input"
      />
      {controls.openWindow ? (
        <button
          type="button"
          className="cs-btn"
          aria-label="Open in a window"
          title="Open this UI in its own window (served by the stream server)"
          onClick={() => controls.openWindow?.()}
        >
          Window ↗
        </button>
      ) : null}
      {layout === 'window' ? null : (
        <select
          className="cs-select"
          aria-label="Button position"
          value={position}
          onChange={(e) => actions.setPosition(e.currentTarget.value as Position)}
        >
          {POSITIONS.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </select>
      )}
    </div>
  );
}
