/** The four views as an ARIA tablist (arrow keys move between tabs). */
import { useRef, type KeyboardEvent } from 'react';
import { TABS } from '../store/constants.js';
import type { TabId } from '../store/types.js';
import { useActions, useDerived, useOverlayState } from './context.js';

export const TAB_LABEL: Record<TabId, string> = {
  requests: 'Requests',
  tags: 'Tags',
  revalidations: 'Revalidations',
  findings: 'Findings',
};

export const tabId = (tab: TabId) => `cachescope-tab-${tab}`;
export const tabPanelId = (tab: TabId) => `cachescope-tabpanel-${tab}`;

function useTabCounts(): Record<TabId, number> {
  const groups = useDerived('groups');
  const tags = useDerived('allTags');
  const revalidations = useOverlayState((s) => s.analysis.revalidations.length);
  const findings = useOverlayState((s) => s.analysis.findings.length);
  return { requests: groups.length, tags: tags.length, revalidations, findings };
}

export function Tabs() {
  const current = useOverlayState((s) => s.tab);
  const openFindings = useDerived('openFindings');
  const counts = useTabCounts();
  const { setTab } = useActions();
  const refs = useRef<Partial<Record<TabId, HTMLButtonElement | null>>>({});

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const at = TABS.indexOf(current);
    let next: number | null = null;
    if (event.key === 'ArrowRight') next = (at + 1) % TABS.length;
    else if (event.key === 'ArrowLeft') next = (at - 1 + TABS.length) % TABS.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = TABS.length - 1;
    if (next === null) return;
    event.preventDefault();
    const tab = TABS[next]!;
    setTab(tab);
    refs.current[tab]?.focus();
  };

  return (
    <div className="cs-tabs" role="tablist" aria-label="cachescope views" onKeyDown={onKeyDown}>
      {TABS.map((tab) => (
        <button
          key={tab}
          ref={(el) => {
            refs.current[tab] = el;
          }}
          type="button"
          role="tab"
          id={tabId(tab)}
          aria-selected={tab === current}
          aria-controls={tabPanelId(tab)}
          aria-label={TAB_LABEL[tab]}
          tabIndex={tab === current ? 0 : -1}
          className="cs-tab"
          onClick={() => setTab(tab)}
          title={`${TAB_LABEL[tab]}: ${counts[tab]}`}
        >
          {TAB_LABEL[tab]}
          <span className={`cs-count${tab === 'findings' && openFindings > 0 ? ' cs-count-danger' : ''}`} aria-hidden="true">
            {counts[tab]}
          </span>
        </button>
      ))}
    </div>
  );
}
