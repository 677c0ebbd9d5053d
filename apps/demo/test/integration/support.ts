// Shared plumbing for the ground-truth tests: one demo server per describe block, per-test fresh
// sessions, backend-hit deltas, and action invocation that measures only the POST.
import { afterAll, beforeAll } from 'vitest';
import {
  freshSession,
  getPage,
  postActionById,
  resolveActionId,
  sleep,
  startDemo,
  waitFor,
  type ActionResult,
  type DemoMode,
  type DemoServer,
  type PageResult,
} from '@cachescope/harness';

export type Pattern = 'broken' | 'p1' | 'p2' | 'p3' | 'sh';
export type User = 'alice' | 'bob' | 'carol';

export const PAGES: Record<Pattern, string> = {
  broken: '/broken',
  p1: '/pattern-1',
  p2: '/pattern-2',
  p3: '/pattern-3',
  sh: '/sledgehammer',
};

/** How long "nothing else happens" is watched before asserting a zero delta. */
export const QUIET_MS = 300;

export interface Ctx {
  demo: DemoServer;
  /** Fresh sessions (new cache keys) for the calling test. */
  sessions(): Record<User, string>;
  /** Backend hits for (pattern, user) so far. */
  hits(pattern: Pattern, user: User): number;
  get(pattern: Pattern, cookie: string): Promise<PageResult>;
  /** POSTs the action (id resolved and cached during warm-up, so only the POST touches the server). */
  act(pattern: Pattern, action: string, cookie: string): Promise<ActionResult>;
  /** Waits until (pattern,user) reaches `n` backend hits. */
  untilHits(pattern: Pattern, user: User, n: number): Promise<void>;
}

const ACTIONS: Record<Pattern, string[]> = {
  broken: ['refresh-mine', 'refresh-everyone', 'update-mine'],
  p1: ['refresh-mine', 'refresh-everyone', 'update-mine'],
  p2: ['refresh-mine', 'refresh-everyone', 'update-mine'],
  p3: ['refresh-mine', 'refresh-everyone'],
  sh: ['refresh-mine', 'refresh-everyone', 'update-mine', 'sledgehammer-tag', 'sledgehammer-path'],
};

/**
 * Registers beforeAll/afterAll that start the demo once for the enclosing describe, warm every
 * page (in dev the first request compiles it) and resolve every action id.
 */
export function useDemo(mode: DemoMode, cacheComponents = true): () => Ctx {
  let ctx: Ctx | undefined;
  let demo: DemoServer | undefined;

  beforeAll(async () => {
    demo = await startDemo({ mode, cacheComponents });
    const d = demo;
    const ids = new Map<string, string>();
    const warm = freshSession('carol');
    for (const [pattern, path] of Object.entries(PAGES) as [Pattern, string][]) {
      for (const action of ACTIONS[pattern]) ids.set(`${pattern} ${action}`, await resolveActionId(d.baseUrl, path, action, warm));
    }
    ctx = {
      demo: d,
      sessions: () => ({ alice: freshSession('alice'), bob: freshSession('bob'), carol: freshSession('carol') }),
      hits: (pattern, user) => d.backend.stats().hits[pattern]?.[user] ?? 0,
      get: (pattern, cookie) => getPage(d.baseUrl, PAGES[pattern], cookie),
      act: (pattern, action, cookie) => {
        const id = ids.get(`${pattern} ${action}`);
        if (!id) throw new Error(`unknown action ${pattern} ${action}`);
        return postActionById(d.baseUrl, PAGES[pattern], id, cookie);
      },
      untilHits: async (pattern, user, n) => {
        await waitFor(() => ((d.backend.stats().hits[pattern]?.[user] ?? 0) >= n ? true : undefined), {
          timeoutMs: 10_000,
          what: `${n} backend hits for ${pattern}/${user} (have ${JSON.stringify(d.backend.stats().hits[pattern])})`,
        });
        await sleep(QUIET_MS); // let the background write land in the cache
      },
    };
  });

  afterAll(async () => {
    await demo?.stop();
  });

  return () => {
    if (!ctx) throw new Error('demo not started (beforeAll failed?)');
    return ctx;
  };
}

/** The single main dashboard block of a page or action response. */
export function mainBlock(result: { dashboards: { testid: string; user: string; fetchNo: number }[] }) {
  const blocks = result.dashboards.filter((b) => b.testid === 'dashboard');
  if (blocks.length !== 1) throw new Error(`expected one dashboard block, got ${JSON.stringify(result.dashboards)}`);
  return blocks[0];
}

export { sleep };
