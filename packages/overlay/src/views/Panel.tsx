/** The open panel: resize handle, tabs and toolbar, notices, the current view, the status bar. */
import { useState, type JSX, type KeyboardEvent } from 'react';
import type { OverlayLayout, TabId } from '../store/types.js';
import { Banners } from './Banners.js';
import { useActions, useOverlayState } from './context.js';
import { FindingsView } from './FindingsView.js';
import { RequestsView } from './RequestsView.js';
import { ResizeHandle } from './ResizeHandle.js';
import { RevalidationsView } from './RevalidationsView.js';
import { StatusBar } from './StatusBar.js';
import { Tabs, tabId, tabPanelId } from './Tabs.js';
import { TagsView } from './TagsView.js';
import { Toolbar } from './Toolbar.js';

const VIEWS: Record<TabId, () => JSX.Element> = {
  requests: RequestsView,
  tags: TagsView,
  revalidations: RevalidationsView,
  findings: FindingsView,
};

export function Panel({ layout = 'overlay', placement }: { layout?: OverlayLayout; placement?: { offset: number; height: number } }) {
  const size = useOverlayState((s) => s.size);
  const tab = useOverlayState((s) => s.tab);
  const dock = useOverlayState((s) => (s.position.startsWith('top') ? 'top' : 'bottom'));
  const { setOpen } = useActions();
  const [error, setError] = useState<string | null>(null);
  const View = VIEWS[tab];
  const windowed = layout === 'window';

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    // Escape in a field clears or leaves the field; anywhere else in the panel it closes the panel
    const inField = event.target instanceof HTMLElement && /^(INPUT|SELECT|TEXTAREA)$/.test(event.target.tagName);
    if (event.key === 'Escape' && !event.defaultPrevented && !inField && !windowed) {
      event.preventDefault();
      setOpen(false);
    }
  };

  return (
    <section
      id="cachescope-panel"
      className="cs-panel"
      data-dock={windowed ? undefined : dock}
      data-layout={layout}
      style={windowed ? undefined : { height: placement?.height ?? size, [dock]: placement?.offset ?? 0 }}
      aria-label="cachescope panel"
      onKeyDown={onKeyDown}
      data-testid="cachescope-panel"
    >
      {windowed ? null : <ResizeHandle dock={dock} />}
      <div className="cs-panel-inner">
        <header className="cs-header">
          <Tabs />
          <Toolbar onError={setError} layout={layout} />
        </header>
        <Banners error={error} onDismiss={() => setError(null)} />
        <div className="cs-body" role="tabpanel" id={tabPanelId(tab)} aria-labelledby={tabId(tab)}>
          <View />
        </div>
        <StatusBar />
      </div>
    </section>
  );
}
