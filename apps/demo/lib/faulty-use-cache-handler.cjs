// A user's own 'use cache' handler (next.config `cacheHandlers.default`) that misbehaves on purpose
// (safety tests): next.config uses it only when DEMO_FAULTY_USE_CACHE_HANDLER is set. It is Next's
// built-in default handler, except that get() fails the way DEMO_FAULTY_USE_CACHE_HANDLER says:
//   throw-get (rejects)
const { createDefaultCacheHandler } = require('next/dist/server/lib/cache-handlers/default.js');

const MODE = process.env.DEMO_FAULTY_USE_CACHE_HANDLER ?? '';
const inner = createDefaultCacheHandler(50 * 1024 * 1024);

module.exports = {
  ...inner,
  async get(cacheKey, softTags) {
    if (MODE === 'throw-get') throw new Error(`demo faulty 'use cache' handler: get failed (DEMO_FAULTY_USE_CACHE_HANDLER=${MODE})`);
    return inner.get(cacheKey, softTags);
  },
};
