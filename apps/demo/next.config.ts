import { withCacheScope } from '@cachescope/instrument/config';
import type { NextConfig } from 'next';

// DEMO_CACHE_COMPONENTS=0 builds the pre-cacheComponents shape many apps still run
// ('use cache' then needs the deprecated experimental.useCache flag).
const cacheComponents = process.env.DEMO_CACHE_COMPONENTS !== '0';

const nextConfig: NextConfig = {
  cacheComponents,
  ...(cacheComponents ? { partialPrefetching: true } : { experimental: { useCache: true } }),
  distDir: process.env.DEMO_DIST_DIR || '.next',
};

// CACHESCOPE=off runs the same app without cachescope (the differential tests compare both).
export default process.env.CACHESCOPE === 'off' ? nextConfig : withCacheScope(nextConfig);
