// A minimal incremental cache handler for the hot-path bench: answers every get with one live FETCH
// entry and accepts every set, both asynchronously like Next's FileSystemCache. Loaded through
// __CACHESCOPE_USER_CACHE_HANDLER by cachescope's recording handler, and used bare as the baseline.
export default class StubCacheHandler {
  constructor() {
    this.entry = {
      lastModified: Date.now(),
      value: {
        kind: 'FETCH',
        data: {
          headers: { 'content-type': 'application/json' },
          body: 'eyJvayI6dHJ1ZX0=',
          status: 200,
          url: 'https://api.example.test/dashboard',
        },
        revalidate: 3600,
        tags: ['dashboard-data', 'p1:dashboard-data'],
      },
    };
  }

  async get(_key, _ctx) {
    return this.entry;
  }

  async set(_key, _data, _ctx) {}

  async revalidateTag(_tags, _durations) {}

  resetRequestCache() {}
}
