import { withCacheScope } from '@cachescope/instrument/config';
import type { NextConfig } from 'next';
import { resolve } from 'node:path';

// DEMO_CACHE_COMPONENTS=0 builds the pre-cacheComponents shape many apps still run
// ('use cache' then needs the deprecated experimental.useCache flag).
const cacheComponents = process.env.DEMO_CACHE_COMPONENTS !== '0';

const nextConfig: NextConfig = {
  cacheComponents,
  ...(cacheComponents ? { partialPrefetching: true } : {}),
  experimental: {
    ...(cacheComponents ? {} : { useCache: true }),
    // DEMO_SERVER_SOURCE_MAPS=0|1: a build without (Turbopack writes them by default) or with (webpack
    // writes none by default) server source maps: what cachescope's call sites resolve through.
    ...(process.env.DEMO_SERVER_SOURCE_MAPS ? { serverSourceMaps: process.env.DEMO_SERVER_SOURCE_MAPS === '1' } : {}),
  },
  distDir: process.env.DEMO_DIST_DIR || '.next',
  // A production build shows the overlay only when it opted in to cachescope (see CacheScopeOverlay).
  env: { CACHESCOPE_OVERLAY: process.env.CACHESCOPE_ENABLED === '1' ? 'always' : 'dev' },
  // DEMO_FAULTY_HANDLER=throw-get|hang-get|…: the app's own cache handler fails (safety tests only).
  ...(process.env.DEMO_FAULTY_HANDLER ? { cacheHandler: resolve('lib/faulty-cache-handler.cjs') } : {}),
  // DEMO_FAULTY_USE_CACHE_HANDLER=throw-get: the app's own 'use cache' handler fails (safety tests only).
  ...(process.env.DEMO_FAULTY_USE_CACHE_HANDLER ? { cacheHandlers: { default: resolve('lib/faulty-use-cache-handler.cjs') } } : {}),
  // DEMO_REDIS_URL: several instances share one cache through Redis (lib/redis-*.cjs, written from Next's docs).
  ...(process.env.DEMO_REDIS_URL
    ? {
        cacheHandler: resolve('lib/redis-cache-handler.cjs'),
        cacheMaxMemorySize: 0,
        cacheHandlers: { default: resolve('lib/redis-use-cache-handler.cjs') },
      }
    : {}),
};

// CACHESCOPE=off runs the same app without cachescope (the differential tests compare both).
export default process.env.CACHESCOPE === 'off' ? nextConfig : withCacheScope(nextConfig);
