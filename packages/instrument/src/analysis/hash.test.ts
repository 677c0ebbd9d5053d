import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { scopeHash, shortHash } from './hash.js';

// The article's helper, verbatim: cachescope's scope must equal it for a cookie-only scope.
const sessionHash = (cookie: string) => createHash('sha256').update(cookie).digest('hex').slice(0, 16);

describe('shortHash / scopeHash', () => {
  it('is sha256 hex, first 16 characters (the article sessionHash)', () => {
    expect(shortHash('session=abc')).toBe(sessionHash('session=abc'));
    expect(shortHash('session=abc')).toMatch(/^[0-9a-f]{16}$/);
    expect(shortHash('a')).not.toBe(shortHash('b'));
  });

  it('names a user scope: cookie only equals sessionHash(cookie); both inputs differ from either', () => {
    expect(scopeHash({ cookie: 'session=abc' })).toBe(sessionHash('session=abc'));
    expect(scopeHash({ authorization: 'Bearer t0k3n' })).toBe(sessionHash('Bearer t0k3n'));
    const both = scopeHash({ cookie: 'session=abc', authorization: 'Bearer t0k3n' });
    expect(both).not.toBe(sessionHash('session=abc'));
    expect(both).not.toBe(sessionHash('Bearer t0k3n'));
    expect(scopeHash({})).toBeUndefined();
    expect(scopeHash({ cookie: '' })).toBeUndefined();
  });
});
