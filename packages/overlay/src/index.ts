'use client';
/**
 * `@cachescope/overlay`: the development entry. `<CacheScope />` renders nothing when
 * `process.env.NODE_ENV === 'production'` (import `@cachescope/overlay/production` to show it there on purpose).
 */
import type { ReactNode } from 'react';
import { CacheScope as CacheScopeOverlay, type CacheScopeProps } from './CacheScope.js';

function CacheScopeDisabled(_props: CacheScopeProps): null {
  return null;
}

export const CacheScope: (props: CacheScopeProps) => ReactNode =
  process.env.NODE_ENV === 'production' ? CacheScopeDisabled : CacheScopeOverlay;

export type { CacheScopeProps } from './CacheScope.js';
export type { Position, Theme } from './store/types.js';
