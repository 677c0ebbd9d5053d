import { describe, expect, it } from 'vitest';
import type { ReasonCode } from '../protocol/events.js';
import { HARD_REFRESH_REASON, INFINITE_CACHE, deriveNextReason, explainReason, type ReasonInputs } from './reasons.js';

// Every cacheReason string Next 16.0–16.4 can produce (research §2.1.1), from the inputs that produce it.
const TABLE: Array<[label: string, inputs: ReasonInputs, nextReason: string, cacheable: boolean]> = [
  ['cache: no-store', { declared: { cache: 'no-store' }, workUnit: 'request' }, 'cache: no-store', false],
  ['cache: no-cache', { declared: { cache: 'no-cache' }, workUnit: 'request' }, 'cache: no-cache', false],
  ['revalidate: 0', { declared: { revalidate: 0 }, workUnit: 'request' }, 'revalidate: 0', false],
  ['revalidate: 60', { declared: { revalidate: 60 }, workUnit: 'request' }, 'revalidate: 60', true],
  ['force-cache', { declared: { cache: 'force-cache' }, workUnit: 'request' }, `revalidate: ${INFINITE_CACHE}`, true],
  ['revalidate: false', { declared: { revalidate: false }, workUnit: 'request' }, 'revalidate: 4294967294', true],
  ['no config in a request render', { declared: {}, workUnit: 'request' }, 'auto no cache', false],
  ["cache: 'default' counts as no config", { declared: { cache: 'default' }, workUnit: 'request' }, 'auto no cache', false],
  ['no config + Cookie forwarded', { declared: {}, workUnit: 'request', forwarded: ['cookie'] }, 'auto no cache', false],
  ['conflict no-store + revalidate 60', { declared: { cache: 'no-store', revalidate: 60 }, workUnit: 'request' }, 'auto no cache', false],
  [
    'conflict force-cache + revalidate 0',
    { declared: { cache: 'force-cache', revalidate: 0 }, workUnit: 'request' },
    'auto no cache',
    false,
  ],
  ['POST, no config', { declared: {}, method: 'POST', workUnit: 'request' }, 'auto no cache', false],
  ['build-time prerender, no config', { declared: {}, workUnit: 'prerender', buildTimePrerender: true }, 'auto cache', true],
  [
    'uncacheable header under a revalidate-0 store',
    { declared: {}, workUnit: 'prerender-legacy', buildTimePrerender: true, forwarded: ['authorization'], enclosingRevalidate: 0 },
    'auto no cache',
    false,
  ],
  ['unstable_noStore()', { declared: {}, workUnit: 'request', noStoreCall: true }, 'noStore call', false],
  ['inside unstable_cache', { declared: {}, workUnit: 'unstable-cache' }, 'fetchCache = force-no-store', false],
  [
    'inside unstable_cache, cache: no-store',
    { declared: { cache: 'no-store' }, workUnit: 'unstable-cache' },
    'fetchCache = force-no-store',
    false,
  ],
  [
    'segment force-no-store',
    { declared: { revalidate: 60 }, workUnit: 'request', segmentFetchCache: 'force-no-store' },
    'fetchCache = force-no-store',
    false,
  ],
  ['segment only-no-store', { declared: {}, workUnit: 'request', segmentFetchCache: 'only-no-store' }, 'fetchCache = only-no-store', false],
  ['segment force-cache', { declared: {}, workUnit: 'request', segmentFetchCache: 'force-cache' }, 'fetchCache = force-cache', true],
  ['segment default-cache', { declared: {}, workUnit: 'request', segmentFetchCache: 'default-cache' }, 'fetchCache = default-cache', true],
  [
    'segment default-no-store',
    { declared: {}, workUnit: 'request', segmentFetchCache: 'default-no-store' },
    'fetchCache = default-no-store',
    false,
  ],
  ['Server Action request', { declared: {}, workUnit: 'request', inAction: true }, 'fetchCache = default-no-store', false],
  [
    'Server Action request, force-cache still caches',
    { declared: { cache: 'force-cache' }, workUnit: 'request', inAction: true },
    'revalidate: 4294967294',
    true,
  ],
  ["dynamic = 'force-dynamic', no config", { declared: {}, workUnit: 'request', forceDynamic: true }, 'revalidate: 0', false],
];

describe('deriveNextReason (mirror of patch-fetch 343–525)', () => {
  it.each(TABLE)('%s', (_label, inputs, nextReason, cacheable) => {
    const derived = deriveNextReason(inputs);
    expect(derived.nextReason).toBe(nextReason);
    expect(derived.cacheable).toBe(cacheable);
  });
});

describe('explainReason', () => {
  const cases: Array<[string, Parameters<typeof explainReason>[1], ReasonCode, RegExp]> = [
    [
      'auto no cache',
      { workUnit: 'request' },
      'auto-no-cache',
      /no cache option in a request render \(Next 15\+\/16 default: not cached\)/,
    ],
    ['auto no cache', { workUnit: 'request', forwarded: ['cookie'] }, 'auto-no-cache', /forwarded the Cookie header/],
    ['auto no cache', { workUnit: 'request', forwarded: ['cookie', 'authorization'] }, 'auto-no-cache', /Cookie and Authorization headers/],
    ['auto no cache', { workUnit: 'request', method: 'POST' }, 'auto-no-cache', /method POST/],
    ['auto no cache', { workUnit: 'cache' }, 'auto-no-cache', /enclosing 'use cache' entry stores its result/],
    ['auto no cache', { declared: { cache: 'no-store', revalidate: 60 } }, 'auto-no-cache', /conflicting options/],
    ['auto cache', {}, 'auto-cache', /build-time prerender/],
    ['cache: no-store', {}, 'cache-no-store', /cache: 'no-store'/],
    ['cache: no-cache', {}, 'cache-no-cache', /cache: 'no-cache'/],
    ['revalidate: 0', {}, 'revalidate-0', /revalidate: 0/],
    ['revalidate: 0', { forceDynamic: true }, 'revalidate-0', /force-dynamic/],
    ['revalidate: 60', {}, 'revalidate', /revalidate: 60s/],
    ['revalidate: 4294967294', {}, 'force-cache', /force-cache/],
    ['noStore call', {}, 'no-store-call', /unstable_noStore/],
    ['fetchCache = force-no-store', { workUnit: 'unstable-cache' }, 'unstable-cache-force-no-store', /inside unstable_cache/],
    ['fetchCache = force-no-store', { workUnit: 'request' }, 'segment-force-no-store', /route segment config/],
    ['fetchCache = only-no-store', {}, 'segment-only-no-store', /only-no-store/],
    ['fetchCache = force-cache', {}, 'segment-force-cache', /force-cache/],
    ['fetchCache = default-cache', {}, 'segment-default-cache', /default-cache/],
    ['fetchCache = default-no-store', { inAction: true }, 'action-default-no-store', /Server Action request/],
    ['fetchCache = default-no-store', {}, 'segment-default-no-store', /route segment config/],
    [HARD_REFRESH_REASON, {}, 'hard-refresh', /no usable entry/],
    ['something new in 16.5', {}, 'unknown', /^Next: something new in 16\.5$/],
  ];
  it.each(cases)('%s %o', (reason, ctx, code, text) => {
    const why = explainReason(reason, ctx);
    expect(why.code).toBe(code);
    expect(why.text).toMatch(text);
  });
});
