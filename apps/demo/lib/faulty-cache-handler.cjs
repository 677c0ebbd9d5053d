// A user's own incremental cache handler that misbehaves on purpose (safety tests): next.config
// uses it only when DEMO_FAULTY_HANDLER is set. It is Next's FileSystemCache, except that the data
// cache (FETCH entries: fetch and unstable_cache) fails the way DEMO_FAULTY_HANDLER says:
//   throw-get | hang-get | throw-set | hang-set | throw-revalidate | hang-revalidate
// Pages and route entries pass through, so the app still renders what does not use the data cache.
const FileSystemCache = require('next/dist/server/lib/incremental-cache/file-system-cache.js').default;

const MODE = process.env.DEMO_FAULTY_HANDLER ?? '';
const never = () => new Promise(() => {});
const fail = (what) => {
  throw new Error(`demo faulty cache handler: ${what} failed (DEMO_FAULTY_HANDLER=${MODE})`);
};

class FaultyCacheHandler extends FileSystemCache {
  async get(key, ctx) {
    if (ctx?.kind === 'FETCH') {
      if (MODE === 'throw-get') fail('get');
      if (MODE === 'hang-get') return never();
    }
    return super.get(key, ctx);
  }

  async set(key, data, ctx) {
    if (data?.kind === 'FETCH') {
      if (MODE === 'throw-set') fail('set');
      if (MODE === 'hang-set') return never();
    }
    return super.set(key, data, ctx);
  }

  async revalidateTag(tags, durations) {
    if (MODE === 'throw-revalidate') fail('revalidateTag');
    if (MODE === 'hang-revalidate') return never();
    return super.revalidateTag(tags, durations);
  }
}

module.exports = FaultyCacheHandler;
