// The one "is cachescope on" rule, for withCacheScope() (by the Next phase) and register() (by NODE_ENV).

/** `enabled` when given; else off with CACHESCOPE_ENABLED=0; else on in `next dev`, and elsewhere only with CACHESCOPE_ENABLED=1. */
export function isEnabled(inDev: boolean, enabled?: boolean): boolean {
  if (enabled !== undefined) return enabled;
  if (process.env.CACHESCOPE_ENABLED === '0') return false;
  return inDev || process.env.CACHESCOPE_ENABLED === '1';
}
