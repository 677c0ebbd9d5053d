// Fact 5: the sledgehammers. revalidatePath('/', 'layout') throws away every user's entries (on every
// page); the article's revalidateTag('') matches no entry at all in Next 16.
import { describe, expect, it } from 'vitest';
import { mainBlock, sleep, QUIET_MS, type Ctx } from '../support';

export function sledgehammerFacts(ctx: () => Ctx) {
  describe('sledgehammer', () => {
    it("alice's sledgehammer-path (revalidatePath('/', 'layout')) makes bob's next read refetch, blocking, on every page", async () => {
      const c = ctx();
      const s = c.sessions();
      const alice = mainBlock(await c.get('sh', s.alice)).fetchNo;
      const bob = mainBlock(await c.get('sh', s.bob)).fetchNo;
      const bobP1 = mainBlock(await c.get('p1', s.bob)).fetchNo;
      expect(mainBlock(await c.get('sh', s.bob)).fetchNo).toBe(bob); // cached before the hammer

      const res = await c.act('sh', 'sledgehammer-path', s.alice);
      expect(res.revalidated).toBe('1');
      expect(mainBlock(res)).toEqual({ testid: 'dashboard', user: 'alice', fetchNo: alice + 1 }); // re-rendered, refetched
      expect(c.hits('sh', 'bob')).toBe(bob);

      expect(mainBlock(await c.get('sh', s.bob)).fetchNo).toBe(bob + 1); // fresh on the first read: not stale-while-revalidate
      expect(mainBlock(await c.get('p1', s.bob)).fetchNo).toBe(bobP1 + 1); // another page's entry went too
      await sleep(QUIET_MS);
      expect(c.hits('sh', 'bob')).toBe(bob + 1);
      expect(c.hits('p1', 'bob')).toBe(bobP1 + 1);
    });

    it("alice's sledgehammer-tag (revalidateTag('')) re-renders her page but matches no entry: nobody refetches", async () => {
      const c = ctx();
      const s = c.sessions();
      const alice = mainBlock(await c.get('sh', s.alice)).fetchNo;
      const bob = mainBlock(await c.get('sh', s.bob)).fetchNo;

      const res = await c.act('sh', 'sledgehammer-tag', s.alice);
      expect(res.revalidated).toBe('1');
      expect(mainBlock(res)).toEqual({ testid: 'dashboard', user: 'alice', fetchNo: alice }); // re-rendered from cache

      const bobNext = mainBlock(await c.get('sh', s.bob));
      const aliceNext = mainBlock(await c.get('sh', s.alice));
      await sleep(QUIET_MS);
      expect(bobNext.fetchNo).toBe(bob);
      expect(aliceNext.fetchNo).toBe(alice);
      expect(c.hits('sh', 'bob')).toBe(bob);
      expect(c.hits('sh', 'alice')).toBe(alice);
    });
  });
}
