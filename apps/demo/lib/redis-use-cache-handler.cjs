// The demo's shared 'use cache' handler (next.config `cacheHandlers.default`, only with DEMO_REDIS_URL), written
// from Next's docs (cacheHandlers.md, 16.5): get / set / refreshTags / getExpiration / updateTags. Entries (the
// stream read into bytes) and tag timestamps live in Redis; refreshTags() syncs the timestamps once per request.
const { PREFIX, ready, encode, decode } = require('./redis-shared.cjs');

const entryKey = (key) => `${PREFIX}:uc:${key}`;
const TAGS = `${PREFIX}:uc-tags`;
/** tag -> { stale?, expired? } (ms), as of the last refreshTags(). */
const local = new Map();

function invalidated(tags, timestamp) {
  let stale = false;
  for (const tag of tags) {
    const t = local.get(tag);
    if (!t) continue;
    if (t.expired !== undefined && t.expired >= timestamp && t.expired <= Date.now()) return 'expired';
    if (t.stale !== undefined && t.stale >= timestamp) stale = true;
  }
  return stale ? 'stale' : 'fresh';
}

module.exports = {
  async get(key, softTags) {
    const client = await ready();
    if (!client) return undefined;
    try {
      const text = await client.get(entryKey(key));
      if (!text) return undefined;
      const stored = decode(text);
      const state = invalidated([...stored.tags, ...(softTags ?? [])], stored.timestamp);
      if (state === 'expired') return undefined;
      const bytes = Buffer.from(stored.value, 'base64');
      return {
        ...stored,
        revalidate: state === 'stale' ? -1 : stored.revalidate,
        value: new ReadableStream({
          start(controller) {
            controller.enqueue(new Uint8Array(bytes));
            controller.close();
          },
        }),
      };
    } catch {
      return undefined;
    }
  },

  async set(key, pendingEntry) {
    const entry = await pendingEntry;
    const chunks = [];
    const reader = entry.value.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(Buffer.from(value));
    }
    const client = await ready();
    if (!client) return;
    try {
      const stored = { ...entry, value: Buffer.concat(chunks).toString('base64') };
      await client.set(entryKey(key), encode(stored), { EX: Math.max(60, Math.min(entry.expire, 86_400 * 30)) });
    } catch {
      /* a failed write is a miss later */
    }
  },

  async refreshTags() {
    const client = await ready();
    if (!client) return;
    try {
      const all = await client.hGetAll(TAGS);
      for (const [tag, text] of Object.entries(all)) local.set(tag, JSON.parse(text));
    } catch {
      /* keep what we had */
    }
  },

  async getExpiration(tags) {
    let max = 0;
    for (const tag of tags) {
      const t = local.get(tag);
      if (t?.expired !== undefined && t.expired <= Date.now()) max = Math.max(max, t.expired);
    }
    return max;
  },

  async updateTags(tags, durations) {
    const now = Date.now();
    const updates = {};
    for (const tag of tags) {
      const t = durations
        ? { stale: now, ...(durations.expire !== undefined ? { expired: now + durations.expire * 1000 } : {}) }
        : { expired: now };
      local.set(tag, t);
      updates[tag] = JSON.stringify(t);
    }
    const client = await ready();
    if (!client || !tags.length) return;
    try {
      await client.hSet(TAGS, updates);
    } catch {
      /* Redis lost: other instances will not see this revalidation */
    }
  },
};
