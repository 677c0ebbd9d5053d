/** What a failed cachescope expectation throws; test runners show its message (the evidence, quoted). */
export class CacheScopeAssertionError extends Error {
  override name = 'CacheScopeAssertionError';
}
