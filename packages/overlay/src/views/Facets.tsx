/** Facet filters with counts (kind, decision, route, tag): OR within a facet, AND across facets. */
import { useDeferredValue, useState } from 'react';
import { hasActiveFilters } from '../store/filters.js';
import { CALL_KIND_LABEL, DECISION_LABEL } from '../store/format.js';
import type { CallDecision, CallKind, FacetName, FacetOption } from '../store/types.js';
import { useActions, useDerived, useOverlay, useOverlayState } from './context.js';

const FACET_LABEL: Record<FacetName, string> = { kind: 'Kind', decision: 'Decision', route: 'Route', tag: 'Tag' };
const COLLAPSED = 8;

function optionLabel(facet: FacetName, value: string): string {
  if (facet === 'kind') return CALL_KIND_LABEL[value as CallKind] ?? value;
  if (facet === 'decision') return DECISION_LABEL[value as CallDecision] ?? value;
  return value;
}

function Facet({ facet, options }: { facet: FacetName; options: FacetOption[] }) {
  const { toggleFacet } = useActions();
  const [expanded, setExpanded] = useState(false);
  if (options.length === 0) return null;
  const shown = expanded ? options : options.filter((o, i) => i < COLLAPSED || o.selected);
  return (
    <div className="cs-facet" role="group" aria-label={`Filter by ${FACET_LABEL[facet].toLowerCase()}`}>
      <span className="cs-facet-name" aria-hidden="true">
        {FACET_LABEL[facet]}
      </span>
      {shown.map((o) => {
        const label = optionLabel(facet, o.value);
        return (
          <button
            key={o.value}
            type="button"
            className="cs-chip"
            aria-pressed={o.selected}
            aria-label={`${FACET_LABEL[facet]} ${label}: ${o.count}`}
            onClick={() => toggleFacet(facet, o.value)}
            data-facet={facet}
            data-value={o.value}
          >
            {label}
            <span className="cs-chip-count">{o.count}</span>
          </button>
        );
      })}
      {options.length > COLLAPSED ? (
        <button type="button" className="cs-link" onClick={() => setExpanded(!expanded)}>
          {expanded ? 'fewer' : `+${options.length - shown.length} more`}
        </button>
      ) : null}
    </div>
  );
}

export function Facets() {
  const { derived } = useOverlay();
  // counted at low priority: a burst paints the timeline first, the counts a moment later
  const groups = useDeferredValue(useDerived('groups'));
  const filters = useOverlayState((s) => s.filters);
  const counts = derived.facetsFor(groups, filters);
  const active = useOverlayState((s) => hasActiveFilters(s.filters));
  const { clearFilters } = useActions();
  return (
    <div className="cs-facets" data-testid="cachescope-facets">
      <Facet facet="kind" options={counts.kind} />
      <Facet facet="decision" options={counts.decision} />
      <Facet facet="route" options={counts.route} />
      <Facet facet="tag" options={counts.tag} />
      {active ? (
        <button type="button" className="cs-link" onClick={clearFilters}>
          Clear filters
        </button>
      ) : null}
    </div>
  );
}
