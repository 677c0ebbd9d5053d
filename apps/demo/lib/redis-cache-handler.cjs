// The demo's shared incremental cache handler (next.config `cacheHandler`, only with DEMO_REDIS_URL), written
// from Next's docs (incrementalCacheHandlerPath.md): get / set / revalidateTag / resetRequestCache, entries and
// tag revalidation times in Redis, so every instance of the app sees one cache. An entry whose tag (or soft
// tag) was revalidated after it was written is a miss.
const { PREFIX, ready, encode, decode } = require('./redis-shared.cjs');

const entryKey = (key) => `${PREFIX}:entry:${key}`;
const TAGS = `${PREFIX}:tags`;

class RedisCacheHandler {
  constructor(options) {
    this.options = options;
  }

  async get(key, ctx) {
    const client = await ready();
    if (!client) return null;
    try {
      const text = await client.get(entryKey(key));
      if (!text) return null;
      const entry = decode(text);
      const tags = [...new Set([...(entry.tags ?? []), ...(ctx?.tags ?? []), ...(ctx?.softTags ?? [])])];
      if (tags.length) {
        const times = await client.hmGet(TAGS, tags);
        if (times.some((t) => t !== null && Number(t) >= entry.lastModified)) return null;
      }
      return { lastModified: entry.lastModified, value: entry.value };
    } catch {
      return null;
    }
  }

  async set(key, data, ctx) {
    const client = await ready();
    if (!client) return;
    try {
      const tags = ctx?.tags ?? data?.tags ?? [];
      // Evicted by Redis after a day: Next never deletes from a handler's store.
      await client.set(entryKey(key), encode({ value: data, lastModified: Date.now(), tags }), { EX: 86_400 });
    } catch {
      /* a cache write that fails is a miss later, never an error for the app */
    }
  }

  async revalidateTag(tags) {
    const client = await ready();
    if (!client) return;
    const list = Array.isArray(tags) ? tags : [tags];
    if (!list.length) return;
    const now = String(Date.now());
    try {
      await client.hSet(TAGS, Object.fromEntries(list.map((t) => [t, now])));
    } catch {
      /* Redis lost: other instances will not see this revalidation */
    }
  }

  resetRequestCache() {}
}

module.exports = RedisCacheHandler;
