// The one Redis connection the demo's shared cache handlers use (DEMO_REDIS_URL), as a user would write it:
// connect once per process, never queue commands while Redis is down (the handlers then answer "miss" and
// skip writes), reconnect by itself. Entries and tag timestamps live under DEMO_REDIS_PREFIX (default `demo`).
const { createClient } = require('redis');

const PREFIX = process.env.DEMO_REDIS_PREFIX || 'demo';
const SLOT = Symbol.for('cachescope-demo.redis');

function redis() {
  const g = globalThis;
  if (!g[SLOT]) {
    const client = createClient({
      url: process.env.DEMO_REDIS_URL,
      disableOfflineQueue: true,
      socket: { connectTimeout: 1000, reconnectStrategy: (n) => Math.min(200 * (n + 1), 2000) },
    });
    client.on('error', () => {});
    g[SLOT] = { client, ready: client.connect().catch(() => {}) };
  }
  return g[SLOT];
}

/** The client once connected, or null while Redis is away (callers treat that as a miss / a skipped write). */
async function ready() {
  const { client, ready } = redis();
  await Promise.race([ready, new Promise((r) => setTimeout(r, 1000))]);
  return client.isReady ? client : null;
}

// Buffers and Maps (page and route entries carry them) survive JSON this way.
const replacer = (_k, v) =>
  v && v.type === 'Buffer' && Array.isArray(v.data)
    ? { $b: Buffer.from(v.data).toString('base64') }
    : v instanceof Map
      ? { $m: [...v] }
      : v;
const reviver = (_k, v) => (v && typeof v === 'object' ? ('$b' in v ? Buffer.from(v.$b, 'base64') : '$m' in v ? new Map(v.$m) : v) : v);

module.exports = { PREFIX, ready, encode: (v) => JSON.stringify(v, replacer), decode: (t) => JSON.parse(t, reviver) };
