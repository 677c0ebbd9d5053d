// Fact 4: pattern 3, React.cache dedupe within a request and revalidatePath re-render.
import { describe, expect, it } from 'vitest';
import { sleep, QUIET_MS, type Ctx } from '../support';

export function reactCacheFacts(ctx: () => Ctx) {
  describe('p3: React.cache + revalidatePath', () => {
    it('one backend hit per request although two components call fetchAPI; both blocks show the same fetch-no', async () => {
      const c = ctx();
      const s = c.sessions();
      const a0 = c.hits('p3', 'alice');
      const first = await c.get('p3', s.alice);
      const second = await c.get('p3', s.alice);
      await sleep(QUIET_MS);
      expect(c.hits('p3', 'alice') - a0).toBe(2);
      for (const [page, n] of [
        [first, a0 + 1],
        [second, a0 + 2],
      ] as const) {
        expect(page.dashboards).toEqual([
          { testid: 'dashboard', user: 'alice', fetchNo: n },
          { testid: 'dashboard-summary', user: 'alice', fetchNo: n },
        ]);
      }
    });

    it.each(['refresh-mine', 'refresh-everyone'])(
      "%s (revalidatePath('/pattern-3')) re-renders in the action response with one fresh hit; nothing is cached afterwards either",
      async (action) => {
        const c = ctx();
        const s = c.sessions();
        await c.get('p3', s.alice);
        const a0 = c.hits('p3', 'alice');
        const b0 = c.hits('p3', 'bob');
        const res = await c.act('p3', action, s.alice);
        expect(res.revalidated).toBe('1');
        expect(res.dashboards.map((d) => d.fetchNo)).toEqual([a0 + 1, a0 + 1]);
        expect(c.hits('p3', 'alice')).toBe(a0 + 1);
        const next = await c.get('p3', s.alice);
        await sleep(QUIET_MS);
        expect(next.dashboards.map((d) => d.fetchNo)).toEqual([a0 + 2, a0 + 2]);
        expect(c.hits('p3', 'alice')).toBe(a0 + 2);
        expect(c.hits('p3', 'bob')).toBe(b0);
      },
    );
  });
}
