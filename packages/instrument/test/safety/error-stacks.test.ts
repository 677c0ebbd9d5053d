// Differential error stacks: an error thrown inside an unstable_cache callback, inside a 'use cache'
// function, and by a failing fetch (apps/demo/app/shapes/cache-errors) must reach the server log with
// the same frames with cachescope as without it (cookies() inside 'use cache' too: cachescope wraps
// cookies()). A lost `at async <Component>` frame is the line a developer needs to find the caller.
// In next start and next dev.
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPage, waitFor } from '@cachescope/harness';
import { errorStack } from './stacks.js';
import { startPair, type Pair } from './support.js';

const CONFIGS = [
  { name: 'next start', mode: 'prod', distDir: '.next-safety' },
  { name: 'next dev', mode: 'dev', distDir: '.next-safety-dev' },
] as const;

// `caller`: the app function the stack names in dev (source-mapped; next start minifies names);
// `awaited`: the error passes an await in the app, so the stack must show an `at async …` frame.
const PROBES = [
  {
    name: 'unstable_cache callback',
    path: '/shapes/cache-errors/unstable-cache',
    message: '`revalidateTag("cache-errors")` can\'t be called inside a cached function',
    caller: 'Thrower',
    awaited: true,
  },
  {
    name: "'use cache' function",
    path: '/shapes/cache-errors/use-cache',
    message: "cache-errors: 'use cache' threw",
    caller: 'failing',
    awaited: false,
  },
  {
    name: "cookies() in 'use cache'",
    path: '/shapes/cache-errors/cookies-in-use-cache',
    message: '`cookies()` can\'t be read inside `"use cache"`',
    caller: 'readsCookies',
    awaited: false,
  },
  { name: 'failing fetch', path: '/shapes/cache-errors/fetch', message: 'fetch failed', caller: 'Thrower', awaited: true },
] as const;

describe.each(CONFIGS)('error stacks with and without cachescope, $name', (config) => {
  let pair: Pair | undefined;

  beforeAll(async () => {
    pair = await startPair({ mode: config.mode, distDir: config.distDir });
  });
  afterAll(async () => {
    // Both logs, for a human diff when this fails.
    mkdirSync('test-artifacts', { recursive: true });
    for (const side of pair?.both ?? []) writeFileSync(`test-artifacts/error-stacks-${config.mode}-${side.label}.log`, side.demo.logs());
    await pair?.stop();
  });

  it.each(PROBES)('an error from a $name keeps every frame', async (probe) => {
    const p = pair!;
    const stacks = await Promise.all(
      p.both.map(async (side) => {
        const before = side.demo.logs().length;
        const page = await getPage(side.demo.baseUrl, probe.path);
        const stack = await waitFor(() => errorStack(side.demo.logs().slice(before), probe.message), {
          timeoutMs: 30_000,
          what: `the ${probe.name} error in the ${side.label} server's log`,
        });
        return { status: page.status, stack };
      }),
    );
    const [withCs, plain] = stacks as [(typeof stacks)[0], (typeof stacks)[0]];
    // The comparison means something: the plain stack names the app function the error went through.
    if (config.mode === 'dev')
      expect(
        plain.stack.some((f) => f.includes(probe.caller)),
        plain.stack.join('\n'),
      ).toBe(true);
    if (probe.awaited)
      expect(
        plain.stack.some((f) => f.startsWith('async ')),
        plain.stack.join('\n'),
      ).toBe(true);
    expect(withCs.stack).toEqual(plain.stack);
    expect(withCs.status).toBe(plain.status);
  });
});
