// Fact 1: the article's broken pattern. Nothing is cached, so revalidateTag has nothing to do.
import { describe, expect, it } from 'vitest';
import { mainBlock, sleep, QUIET_MS, type Ctx } from '../support';

export function brokenFacts(ctx: () => Ctx) {
  describe('broken: cookies() + fetch next.tags', () => {
    it('hits the backend on every request, once per GET per user', async () => {
      const c = ctx();
      const s = c.sessions();
      const a0 = c.hits('broken', 'alice');
      const b0 = c.hits('broken', 'bob');
      const first = await c.get('broken', s.alice);
      const second = await c.get('broken', s.alice);
      const bob = await c.get('broken', s.bob);
      await sleep(QUIET_MS);
      expect(c.hits('broken', 'alice') - a0).toBe(2);
      expect(c.hits('broken', 'bob') - b0).toBe(1);
      expect(mainBlock(first)).toEqual({ testid: 'dashboard', user: 'alice', fetchNo: a0 + 1 });
      expect(mainBlock(second)).toEqual({ testid: 'dashboard', user: 'alice', fetchNo: a0 + 2 });
      expect(mainBlock(bob)).toEqual({ testid: 'dashboard', user: 'bob', fetchNo: b0 + 1 });
    });

    it.each(['refresh-mine', 'refresh-everyone'])(
      "%s (revalidateTag('dashboard-data','max')) changes nothing: no re-render, no hit, next GETs one fresh hit each as before",
      async (action) => {
        const c = ctx();
        const s = c.sessions();
        await c.get('broken', s.alice);
        const a0 = c.hits('broken', 'alice');
        const res = await c.act('broken', action, s.alice);
        await sleep(QUIET_MS);
        expect(res.status).toBe(200);
        expect(res.revalidated).toBeNull();
        expect(res.dashboards).toEqual([]);
        expect(c.hits('broken', 'alice')).toBe(a0);
        const next = await c.get('broken', s.alice);
        const again = await c.get('broken', s.alice);
        await sleep(QUIET_MS);
        expect(mainBlock(next).fetchNo).toBe(a0 + 1);
        expect(mainBlock(again).fetchNo).toBe(a0 + 2);
        expect(c.hits('broken', 'alice')).toBe(a0 + 2);
      },
    );

    it("update-mine (updateTag('dashboard-data')) re-renders in the action response (one hit) and still caches nothing", async () => {
      const c = ctx();
      const s = c.sessions();
      await c.get('broken', s.alice);
      const a0 = c.hits('broken', 'alice');
      const res = await c.act('broken', 'update-mine', s.alice);
      expect(res.revalidated).toBe('1');
      expect(mainBlock(res)).toEqual({ testid: 'dashboard', user: 'alice', fetchNo: a0 + 1 });
      const next = await c.get('broken', s.alice);
      await sleep(QUIET_MS);
      expect(mainBlock(next).fetchNo).toBe(a0 + 2);
      expect(c.hits('broken', 'alice')).toBe(a0 + 2);
    });
  });
}
