// A revalidation call's span carries its call site under OpenTelemetry's semantic-convention names.
import { describe, expect, it } from 'vitest';
import type { RevalidateCallEvent } from '../../../src/protocol/events.js';
import { ATTR } from '../../../src/otel/attributes.js';
import { describeSpan } from '../../../src/otel/spans.js';
import { loadFixture } from '../../support/fixtures.js';

const call = loadFixture('handmade-broken-pattern').events.find((e): e is RevalidateCallEvent => e.type === 'revalidate-call')!;

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

  it('none without a call site', () => {
    const attrs = describeSpan({ ...call, site: undefined })!.attributes;
    expect(attrs[ATTR.codeFilePath]).toBeUndefined();
    expect(attrs[ATTR.codeLineNumber]).toBeUndefined();
  });
});
