// Facts 2 and 3: per-user cached data (pattern 1 unstable_cache, pattern 2 'use cache').
// revalidateTag(tag,'max') = exactly one stale read, then fresh; updateTag = read-your-writes.
import { describe, expect, it } from 'vitest';
import { mainBlock, sleep, QUIET_MS, type Ctx, type Pattern, type User } from '../support';

export function perUserCacheFacts(ctx: () => Ctx, p: Extract<Pattern, 'p1' | 'p2' | 'sh'>) {
  /** Primes alice's and bob's entries; returns their cached fetch-nos. */
  async function prime(c: Ctx, s: Record<User, string>) {
    const alice = mainBlock(await c.get(p, s.alice)).fetchNo;
    const bob = mainBlock(await c.get(p, s.bob)).fetchNo;
    expect(alice).toBe(c.hits(p, 'alice'));
    expect(bob).toBe(c.hits(p, 'bob'));
    return { alice, bob };
  }

  describe(`${p}: per-user cache entries`, () => {
    it('serves the second GET by the same user from cache; another user gets their own entry', async () => {
      const c = ctx();
      const s = c.sessions();
      const a0 = c.hits(p, 'alice');
      const b0 = c.hits(p, 'bob');
      const first = mainBlock(await c.get(p, s.alice));
      const second = mainBlock(await c.get(p, s.alice));
      const bob = mainBlock(await c.get(p, s.bob));
      const bobAgain = mainBlock(await c.get(p, s.bob));
      await sleep(QUIET_MS);
      expect(first).toEqual({ testid: 'dashboard', user: 'alice', fetchNo: a0 + 1 });
      expect(second).toEqual(first);
      expect(bob).toEqual({ testid: 'dashboard', user: 'bob', fetchNo: b0 + 1 });
      expect(bobAgain).toEqual(bob);
      expect(c.hits(p, 'alice') - a0).toBe(1);
      expect(c.hits(p, 'bob') - b0).toBe(1);
    });

    it("refresh-mine (revalidateTag(userTag,'max')): no re-render, alice gets exactly one stale read then fresh data; bob untouched", async () => {
      const c = ctx();
      const s = c.sessions();
      const cached = await prime(c, s);
      const res = await c.act(p, 'refresh-mine', s.alice);
      await sleep(QUIET_MS);
      expect(res.status).toBe(200);
      expect(res.revalidated).toBeNull();
      expect(res.dashboards).toEqual([]);
      expect(c.hits(p, 'alice')).toBe(cached.alice); // nothing refetches until someone reads

      const stale = mainBlock(await c.get(p, s.alice));
      expect(stale.fetchNo).toBe(cached.alice); // the one stale read
      await c.untilHits(p, 'alice', cached.alice + 1); // its background refetch
      const fresh = mainBlock(await c.get(p, s.alice));
      const bob = mainBlock(await c.get(p, s.bob));
      await sleep(QUIET_MS);
      expect(fresh.fetchNo).toBe(cached.alice + 1);
      expect(c.hits(p, 'alice')).toBe(cached.alice + 1);
      expect(bob.fetchNo).toBe(cached.bob);
      expect(c.hits(p, 'bob')).toBe(cached.bob);
    });

    it("refresh-everyone (revalidateTag(globalTag,'max')): alice and bob each get one stale read, then fresh data", async () => {
      const c = ctx();
      const s = c.sessions();
      const cached = await prime(c, s);
      const res = await c.act(p, 'refresh-everyone', s.alice);
      expect(res.revalidated).toBeNull();
      for (const user of ['alice', 'bob'] as const) {
        expect(mainBlock(await c.get(p, s[user])).fetchNo).toBe(cached[user]);
        await c.untilHits(p, user, cached[user] + 1);
        expect(mainBlock(await c.get(p, s[user])).fetchNo).toBe(cached[user] + 1);
      }
      await sleep(QUIET_MS);
      expect(c.hits(p, 'alice')).toBe(cached.alice + 1);
      expect(c.hits(p, 'bob')).toBe(cached.bob + 1);
    });

    it('update-mine (updateTag(userTag)): read-your-writes — the action response itself refetched; the next GET is a hit on it', async () => {
      const c = ctx();
      const s = c.sessions();
      const cached = await prime(c, s);
      const res = await c.act(p, 'update-mine', s.alice);
      expect(res.revalidated).toBe('1');
      expect(mainBlock(res)).toEqual({ testid: 'dashboard', user: 'alice', fetchNo: cached.alice + 1 });
      expect(c.hits(p, 'alice')).toBe(cached.alice + 1); // the hit happened during the action
      const next = mainBlock(await c.get(p, s.alice));
      const bob = mainBlock(await c.get(p, s.bob));
      await sleep(QUIET_MS);
      expect(next.fetchNo).toBe(cached.alice + 1);
      expect(c.hits(p, 'alice')).toBe(cached.alice + 1);
      expect(bob.fetchNo).toBe(cached.bob);
      expect(c.hits(p, 'bob')).toBe(cached.bob);
    });
  });
}
