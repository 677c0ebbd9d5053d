// A running demo with cachescope enabled on its own stream port, and helpers that read cachescope's
// snapshot next to the backend's hit counters (the ground truth).
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { CacheScopeEvent, FetchEvent, Finding, Revalidation, Snapshot } from '../../src/protocol/events.js';
import {
  DEMO_DIR,
  freePort,
  freshSession,
  getPage,
  postActionById,
  postFormById,
  resolveActionId,
  startDemo,
  waitFor,
  type Bundler,
  type DemoMode,
  type DemoServer,
  type PageResult,
} from '@cachescope/harness';

export const PAGES = { broken: '/broken', p1: '/pattern-1', p2: '/pattern-2', p3: '/pattern-3', sh: '/sledgehammer' } as const;
export type Pattern = keyof typeof PAGES;
export type User = 'alice' | 'bob' | 'carol';

/** The demo's per-user tag suffix (lib/session.ts sessionHash) for a `session=<value>` cookie. */
export function userTagSuffix(cookie: string): string {
  return createHash('sha256')
    .update(cookie.replace(/^session=/, ''))
    .digest('hex')
    .slice(0, 16);
}

export type Scenario = {
  demo: DemoServer;
  streamUrl: string;
  sessions(): Record<User, string>;
  hits(pattern: Pattern, user: User): number;
  get(pattern: Pattern, cookie: string): Promise<PageResult>;
  act(pattern: Pattern, action: string, cookie: string): ReturnType<typeof postActionById>;
  /** The same action submitted as a browser without JavaScript does (multipart form POST). */
  submit(pattern: Pattern, action: string, cookie: string): ReturnType<typeof postFormById>;
  snapshot(): Promise<Snapshot>;
  /** Id of the newest event so far: events after it belong to the calling test. */
  mark(): Promise<number>;
  /** Polls the snapshot until `pick` returns something (events flush every 20 ms). */
  until<T>(what: string, pick: (s: Snapshot) => T | undefined | false): Promise<T>;
};

export function eventsAfter(s: Snapshot, mark: number): CacheScopeEvent[] {
  return s.events.filter((e) => e.id > mark);
}

/**
 * The fetches of `route` since `mark` that really went somewhere (not answered by Next's dedupe), once
 * there are at least `atLeast` of them: what the backend's hit counter must equal.
 */
export function realFetchesAfter(s: Snapshot, mark: number, route: string, atLeast: number): FetchEvent[] | undefined {
  const found = eventsAfter(s, mark).filter((e): e is FetchEvent => e.type === 'fetch' && e.route === route && e.decision !== 'deduped');
  return found.length >= atLeast ? found : undefined;
}

export function revalidationOf(s: Snapshot, mark: number, firstArg: string): Revalidation | undefined {
  return s.revalidations.find((r) => (r.callEventId ?? r.id) > mark && r.args[0] === firstArg && r.status !== 'pending');
}

export function findingOf(s: Snapshot, kind: Finding['kind'], tag: string): Finding | undefined {
  return s.findings.find((f) => f.kind === kind && f.tags.includes(tag));
}

export type ScenarioOptions = {
  /** Start from an empty data cache (golden captures). */
  freshCache?: boolean;
  /** Default true; false builds the demo the pre-cacheComponents way. */
  cacheComponents?: boolean;
  bundler?: Bundler;
  /** Prod: build against the running backend, so prerendered pages write fetch entries at build time. */
  backendAtBuild?: boolean;
  /** Prod: `experimental.serverSourceMaps` of the build (unset: the bundler's default). */
  serverSourceMaps?: boolean;
};

/** A prod build with cachescope compiled in (withCacheScope only wraps with CACHESCOPE_ENABLED=1). */
function distDirFor(mode: DemoMode, cacheComponents: boolean, bundler: Bundler, backendAtBuild: boolean): string {
  const base = mode === 'prod' ? '.next-cachescope' : '.next';
  return `${base}${cacheComponents ? '' : '-nocc'}${bundler === 'webpack' ? '-webpack' : ''}${backendAtBuild ? '-backend-at-build' : ''}`;
}

export function useScenario(mode: DemoMode, options: ScenarioOptions = {}): () => Scenario {
  let scenario: Scenario | undefined;
  const cacheComponents = options.cacheComponents ?? true;
  const bundler = options.bundler ?? 'turbopack';
  const maps = options.serverSourceMaps;
  const distDir = `${distDirFor(mode, cacheComponents, bundler, options.backendAtBuild ?? false)}${maps === undefined ? '' : maps ? '-maps' : '-nomaps'}`;
  beforeAll(async () => {
    if (options.freshCache) {
      // next dev keeps its own output (and data cache) under <distDir>/dev
      const cacheDir = mode === 'dev' ? join(distDir, 'dev') : distDir;
      rmSync(join(DEMO_DIR, cacheDir, 'cache', 'fetch-cache'), { recursive: true, force: true });
    }
    const port = await freePort();
    const demo = await startDemo({
      mode,
      cacheComponents,
      distDir,
      bundler,
      backendAtBuild: options.backendAtBuild,
      env: {
        CACHESCOPE_ENABLED: '1',
        CACHESCOPE_PORT: String(port),
        ...(maps === undefined ? {} : { DEMO_SERVER_SOURCE_MAPS: maps ? '1' : '0' }),
      },
    });
    const streamUrl = `http://127.0.0.1:${port}`;
    const ids = new Map<string, string>();
    const warm = freshSession('carol');
    for (const [pattern, path] of Object.entries(PAGES)) {
      for (const action of ['refresh-mine', 'refresh-everyone', 'update-mine', 'sledgehammer-tag', 'sledgehammer-path']) {
        const id = await resolveActionId(demo.baseUrl, path, action, warm).catch(() => undefined);
        if (id) ids.set(`${pattern} ${action}`, id);
      }
    }
    const actionId = (pattern: Pattern, action: string) => {
      const id = ids.get(`${pattern} ${action}`);
      if (!id) throw new Error(`no action ${action} on ${pattern}`);
      return id;
    };
    const snapshot = async (): Promise<Snapshot> => (await fetch(`${streamUrl}/snapshot`)).json() as Promise<Snapshot>;
    scenario = {
      demo,
      streamUrl,
      sessions: () => ({ alice: freshSession('alice'), bob: freshSession('bob'), carol: freshSession('carol') }),
      hits: (pattern, user) => demo.backend.stats().hits[pattern]?.[user] ?? 0,
      get: (pattern, cookie) => getPage(demo.baseUrl, PAGES[pattern], cookie),
      act: (pattern, action, cookie) => postActionById(demo.baseUrl, PAGES[pattern], actionId(pattern, action), cookie),
      submit: (pattern, action, cookie) => postFormById(demo.baseUrl, PAGES[pattern], actionId(pattern, action), cookie),
      snapshot,
      mark: async () => {
        await new Promise((r) => setTimeout(r, 100)); // let in-flight calls flush first
        const s = await snapshot();
        return s.events.at(-1)?.id ?? 0;
      },
      until: async (what, pick) =>
        waitFor(
          async () => {
            const value = pick(await snapshot());
            return value === false || value === undefined ? undefined : value;
          },
          { timeoutMs: 5_000, what },
        ),
    };
  }, 600_000);
  afterAll(async () => {
    await scenario?.demo.stop();
  });
  return () => {
    if (!scenario) throw new Error('demo not started (beforeAll failed?)');
    return scenario;
  };
}
