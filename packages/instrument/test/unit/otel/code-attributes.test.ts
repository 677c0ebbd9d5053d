// Revalidation calls', fetches' and cached calls' spans carry their call site under OpenTelemetry's semantic-convention names.
import { describe, expect, it } from 'vitest';
import type { FetchEvent, RevalidateCallEvent, UnstableCacheEvent, UseCacheEvent } from '../../../src/protocol/events.js';
import { ATTR } from '../../../src/otel/attributes.js';
import { describeSpan } from '../../../src/otel/spans.js';
import { loadFixture } from '../../support/fixtures.js';

const events = loadFixture('handmade-broken-pattern').events;
const call = events.find((e): e is RevalidateCallEvent => e.type === 'revalidate-call')!;
const fetchCall = events.find((e): e is FetchEvent => e.type === 'fetch')!;

describe('code.* attributes', () => {
  it('a resolved call site: code.file.path (project-relative), code.line.number, code.column.number, code.function.name', () => {
    const site = { file: 'app/broken/actions.ts', line: 6, column: 3, fn: 'refreshMine' };
    const attrs = describeSpan({ ...call, site, callSite: 'refreshMine (app/broken/actions.ts:6:3)' })!.attributes;
    expect(attrs).toMatchObject({
      [ATTR.codeFilePath]: 'app/broken/actions.ts',
      [ATTR.codeLineNumber]: 6,
      [ATTR.codeColumnNumber]: 3,
      [ATTR.codeFunctionName]: 'refreshMine',
      [ATTR.callSite]: 'refreshMine (app/broken/actions.ts:6:3)',
    });
    expect(ATTR.codeFilePath).toBe('code.file.path');
    expect(ATTR.codeFunctionName).toBe('code.function.name');
  });

  it('a fetch: where the app called it', () => {
    const site = { file: 'lib/patterns/broken.ts', line: 9, column: 21, fn: 'fetchAPI' };
    const attrs = describeSpan({ ...fetchCall, site, callSite: 'fetchAPI (lib/patterns/broken.ts:9:21)' })!.attributes;
    expect(attrs).toMatchObject({
      [ATTR.codeFilePath]: 'lib/patterns/broken.ts',
      [ATTR.codeLineNumber]: 9,
      [ATTR.codeColumnNumber]: 21,
      [ATTR.codeFunctionName]: 'fetchAPI',
      [ATTR.callSite]: 'fetchAPI (lib/patterns/broken.ts:9:21)',
    });
  });

  it.each([
    ['unstable_cache', 'unstable-cache'],
    ["'use cache'", 'use-cache'],
  ] as const)('a cached call (%s): where the app called it', (_name, type) => {
    const base =
      type === 'unstable-cache'
        ? ({ type, id: 1, ts: 1, pid: 1, keyHash: 'k', tags: [] as string[], decision: 'hit' } as UnstableCacheEvent)
        : ({ type, id: 1, ts: 1, pid: 1, functionId: 'f1', tags: [] as string[], decision: 'miss' } as UseCacheEvent);
    const site = { file: 'components/PatternPage.tsx', line: 21, column: 16, fn: 'Blocks' };
    const attrs = describeSpan({ ...base, site, callSite: 'Blocks (components/PatternPage.tsx:21:16)' })!.attributes;
    expect(attrs).toMatchObject({
      [ATTR.codeFilePath]: 'components/PatternPage.tsx',
      [ATTR.codeLineNumber]: 21,
      [ATTR.codeFunctionName]: 'Blocks',
      [ATTR.callSite]: 'Blocks (components/PatternPage.tsx:21:16)',
    });
  });

  it('none without a call site', () => {
    const attrs = describeSpan({ ...call, site: undefined })!.attributes;
    expect(attrs[ATTR.codeFilePath]).toBeUndefined();
    expect(attrs[ATTR.codeLineNumber]).toBeUndefined();
  });
});
