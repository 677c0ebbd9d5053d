/** Render the overlay UI (without the shadow root) around a store, as the views see it in the page. */
import { render, type RenderResult } from '@testing-library/react';
import { vi, type Mock } from 'vitest';
import { createOverlayStore, type OverlayStore, type OverlayStoreOptions } from '../../src/store/store.js';
import type { Snapshot } from '../../src/store/types.js';
import { OverlayContext, createOverlayContext } from '../../src/views/context.js';
import { OverlayApp } from '../../src/views/OverlayApp.js';

export interface RenderedOverlay extends RenderResult {
  store: OverlayStore;
  clearServer: Mock<() => Promise<void>>;
}

export function renderOverlay(options: OverlayStoreOptions & { snapshot?: Partial<Snapshot> } = {}): RenderedOverlay {
  const store = createOverlayStore(options);
  if (options.snapshot) store.getState().actions.applySnapshot(options.snapshot);
  const clearServer = vi.fn(async () => store.getState().actions.reset());
  const context = createOverlayContext(store, { clearServer, streamUrl: 'http://127.0.0.1:7340' });
  const result = render(
    <OverlayContext.Provider value={context}>
      <OverlayApp theme="dark" />
    </OverlayContext.Provider>,
  );
  return { ...result, store, clearServer };
}
