import { describe, expect, it } from 'vitest';
import { scopeHash, shortHash } from './hash.js';
import { cachedCallScope } from './user-scope.js';

const alice = { cookie: 'theme=dark; session=alice.5f0c2a9be1d34a7f90c1' };

describe('cachedCallScope', () => {
  it('argument values are not users: no credentials, no scope', () => {
    for (const arg of ['a', 'b', 'c', 'd']) expect(cachedCallScope([`["fn-id",["${arg}"]]`, 'c'], undefined)).toBeUndefined();
  });

  it('a signed-in requester calling with plain arguments is no user scope either', () => {
    expect(cachedCallScope(['["fn-id",["a"]]', 'c'], alice)).toBeUndefined();
    expect(cachedCallScope(['dark', 'c'], alice)).toBeUndefined(); // a short cookie value turns up by chance
  });

  it("the session as a key part or argument makes the call the requester's", () => {
    expect(cachedCallScope(['p1:fetchAPI', 'alice.5f0c2a9be1d34a7f90c1'], alice)).toBe(scopeHash(alice));
    expect(cachedCallScope(['["fn-id",["alice.5f0c2a9be1d34a7f90c1"]]'], alice)).toBe(scopeHash(alice));
  });

  it('a hashed session in a tag (the article sessionHash) does too', () => {
    expect(cachedCallScope(['p2:dashboard-data', `p2:dashboard-data:${shortHash('alice.5f0c2a9be1d34a7f90c1')}`], alice)).toBe(
      scopeHash(alice),
    );
  });

  it('an Authorization token in a key part does too', () => {
    const bearer = { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.payload' };
    expect(cachedCallScope(['user', 'eyJhbGciOiJIUzI1NiJ9.payload'], bearer)).toBe(scopeHash(bearer));
    expect(cachedCallScope(['user', 'someone-else-token'], bearer)).toBeUndefined();
  });

  it("another user's session is not the requester's", () => {
    expect(cachedCallScope(['alice.5f0c2a9be1d34a7f90c1'], { cookie: 'session=bob.77aa0c2a9be1d34a7f90' })).toBeUndefined();
  });
});
