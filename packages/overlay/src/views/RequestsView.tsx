/** Requests / timeline: calls grouped by request (virtualised), facets with counts, and the selected call's detail. */
import { useCallback, useMemo } from 'react';
import { ROW_HEIGHT } from '../store/constants.js';
import { hasActiveFilters } from '../store/filters.js';
import { rowIndexOfEvent } from '../store/timeline.js';
import { CallDetail } from './CallDetail.js';
import { useDerived, useOverlay, useOverlayState } from './context.js';
import { Facets } from './Facets.js';
import { MemoTimelineRow } from './TimelineRow.js';
import { VirtualList } from './VirtualList.js';

export function RequestsView() {
  const rows = useDerived('timeline');
  const selected = useOverlayState((s) => s.selectedCall);
  const highlight = useOverlayState((s) => (s.highlight?.tab === 'requests' ? s.highlight : null));
  const filtered = useOverlayState((s) => hasActiveFilters(s.filters));
  const held = useOverlayState((s) => s.events.length);
  const highlightedId = highlight ? Number(highlight.key) : null;
  const { derived } = useOverlay();
  const requestOfHighlight = useOverlayState((s) =>
    highlightedId === null ? undefined : derived.eventsById(s).get(highlightedId)?.requestId,
  );

  const scrollToIndex = useMemo(
    () => (highlightedId === null ? undefined : rowIndexOfEvent(rows, highlightedId, requestOfHighlight)),
    [rows, highlightedId, requestOfHighlight],
  );

  const rowKey = useCallback((index: number) => rows[index]!.key, [rows]);
  const renderRow = useCallback(
    (index: number) => {
      const row = rows[index]!;
      return (
        <MemoTimelineRow
          row={row}
          selected={row.type === 'call' && row.call.id === selected}
          highlighted={highlightedId !== null && index === scrollToIndex}
        />
      );
    },
    [rows, selected, highlightedId, scrollToIndex],
  );

  const empty = (
    <p className="cs-empty">
      {filtered
        ? 'No call matches the filters.'
        : held > 0
          ? 'No requests with calls yet.'
          : 'No events yet: load a page of your app, and its cache calls show up here.'}
    </p>
  );

  return (
    <div style={{ display: 'flex', flexDirection: 'column', flex: 1, minWidth: 0 }}>
      <Facets />
      <div style={{ display: 'flex', flex: 1, minHeight: 0 }}>
        <VirtualList
          count={rows.length}
          rowKey={rowKey}
          rowHeight={ROW_HEIGHT}
          label="Calls grouped by request"
          renderRow={renderRow}
          scrollToIndex={scrollToIndex}
          scrollKey={highlight?.seq}
          empty={empty}
        />
        {selected !== null ? <CallDetail id={selected} /> : null}
      </div>
    </div>
  );
}
