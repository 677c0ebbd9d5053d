import { resolve } from 'node:path';
import { withCacheScope } from '@cachescope/instrument/config';

// The copy runs from apps/demo/test-artifacts/apps/<name>: the demo's Redis handlers are three folders up.
// DEMO_REDIS_URL (at build and start): the incremental cache is the demo's shared Redis handler.
const demoLib = resolve(process.cwd(), '..', '..', '..', 'lib');
export default withCacheScope({
  env: { CACHESCOPE_OVERLAY: process.env.CACHESCOPE_ENABLED === '1' ? 'always' : 'dev' },
  ...(process.env.DEMO_REDIS_URL ? { cacheHandler: resolve(demoLib, 'redis-cache-handler.cjs'), cacheMaxMemorySize: 0 } : {}),
});
