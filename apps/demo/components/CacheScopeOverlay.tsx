'use client';
import { CacheScope as DevOnlyOverlay } from '@cachescope/overlay';
import { CacheScope as AlwaysOverlay } from '@cachescope/overlay/production';

// next.config inlines CACHESCOPE_OVERLAY: 'always' when the build opted in (CACHESCOPE_ENABLED=1), so a
// plain production build keeps only the dev entry, which renders nothing there and carries no overlay code.
export const CacheScopeOverlay = process.env.CACHESCOPE_OVERLAY === 'always' ? AlwaysOverlay : DevOnlyOverlay;
