// One "is cachescope on" rule for withCacheScope() (by phase) and register() (by NODE_ENV).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isEnabled } from '../../../src/hooks/config/enabled.js';
import { isCacheScopeEnabled } from '../../../src/hooks/config/with-cache-scope.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('isEnabled', () => {
  it('is on in dev and off elsewhere by default', () => {
    vi.stubEnv('CACHESCOPE_ENABLED', '');
    expect(isEnabled(true)).toBe(true);
    expect(isEnabled(false)).toBe(false);
  });

  it('CACHESCOPE_ENABLED=1 turns it on outside dev, =0 turns it off in dev', () => {
    vi.stubEnv('CACHESCOPE_ENABLED', '1');
    expect(isEnabled(false)).toBe(true);
    vi.stubEnv('CACHESCOPE_ENABLED', '0');
    expect(isEnabled(true)).toBe(false);
  });

  it('the option wins over the environment', () => {
    vi.stubEnv('CACHESCOPE_ENABLED', '0');
    expect(isEnabled(false, true)).toBe(true);
    vi.stubEnv('CACHESCOPE_ENABLED', '1');
    expect(isEnabled(true, false)).toBe(false);
  });

  it('withCacheScope reads dev from the Next phase', () => {
    vi.stubEnv('CACHESCOPE_ENABLED', '');
    expect(isCacheScopeEnabled('phase-development-server')).toBe(true);
    expect(isCacheScopeEnabled('phase-production-build')).toBe(false);
    expect(isCacheScopeEnabled('phase-production-build', { enabled: true })).toBe(true);
  });
});
