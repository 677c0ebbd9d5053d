/** React access to the overlay: the store, its memoised selectors, and the I/O the views can trigger. */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand/react';
import { derivedFor, type Derived } from '../store/derived.js';
import type { OverlayState, OverlayStore } from '../store/store.js';
import type { InvalidateTarget } from '../stream/invalidate.js';

/** What the views may ask of the outside world (the live feed, in the real component). */
export interface OverlayControls {
  /** `POST /clear` on the stream server and empty the view. */
  clearServer(): Promise<void>;
  /** Base URL of the stream (shown in the status bar and written into exports). */
  streamUrl?: string;
  /**
   * `POST /invalidate` (next dev only, with the app's token): revalidate or expire a tag, or revalidate a path.
   * Absent when the overlay has no token or runs in production: the views then offer no such buttons.
   */
  invalidate?(target: InvalidateTarget): Promise<void>;
  /** Open the standalone UI (served by the stream server at `/`) in a new window; absent in that window itself. */
  openWindow?(): void;
}

export interface OverlayContextValue {
  store: OverlayStore;
  derived: Derived;
  controls: OverlayControls;
}

export const OverlayContext = createContext<OverlayContextValue | null>(null);

export function createOverlayContext(store: OverlayStore, controls: OverlayControls): OverlayContextValue {
  return { store, derived: derivedFor(store), controls };
}

export function useOverlay(): OverlayContextValue {
  const value = useContext(OverlayContext);
  if (!value) throw new Error('cachescope: overlay views must render inside <OverlayContext.Provider>');
  return value;
}

/** Subscribe to one slice of the store; the component re-renders only when that slice changes. */
export function useOverlayState<T>(selector: (state: OverlayState) => T): T {
  return useStore(useOverlay().store, selector);
}

/** Subscribe to a memoised derived list. */
export function useDerived<K extends keyof Derived>(name: K): ReturnType<Derived[K]> {
  const { store, derived } = useOverlay();
  return useStore(store, derived[name] as (state: OverlayState) => ReturnType<Derived[K]>);
}

export function useActions(): OverlayState['actions'] {
  return useStore(useOverlay().store, (s) => s.actions);
}
