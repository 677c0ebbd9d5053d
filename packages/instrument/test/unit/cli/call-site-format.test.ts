// `cachescope tail` prints a call site as the app's source, and says when a build had no source maps.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventFormatter } from '../../../src/cli/format.js';
import { runReport } from '../../../src/cli/report.js';
import { NO_SOURCE_MAPS } from '../../../src/recorder/source-sites.js';
import { fetchSkipDropped, revalidateCall } from './fixtures.js';

describe('call sites in tail lines', () => {
  it('a resolved site: fn (file:line:col)', () => {
    const line = new EventFormatter().format({
      ...revalidateCall,
      id: 1,
      callSite: 'refreshMine (app/broken/actions.ts:6:3)',
      site: { file: 'app/broken/actions.ts', line: 6, column: 3, fn: 'refreshMine' },
    });
    expect(line).toMatch(/requested {2}at refreshMine \(app\/broken\/actions\.ts:6:3\)$/);
  });

  it('an unresolved site says why, with the config line', () => {
    const line = new EventFormatter().format({
      ...revalidateCall,
      id: 2,
      callSite: 'f (.next/server/chunks/ssr/a.js:1:400)',
      site: { file: '.next/server/chunks/ssr/a.js', line: 1, column: 400, fn: 'f', unresolved: NO_SOURCE_MAPS },
    });
    expect(line).toContain('at f (.next/server/chunks/ssr/a.js:1:400)');
    expect(line).toContain('experimental: { serverSourceMaps: true }');
  });

  it('a fetch and a cached call: where the app made them', () => {
    const fetchLine = new EventFormatter().format({
      ...fetchSkipDropped,
      id: 3,
      callSite: 'fetchAPI (lib/patterns/broken.ts:9:21)',
      site: { file: 'lib/patterns/broken.ts', line: 9, column: 21, fn: 'fetchAPI' },
    });
    expect(fetchLine).toMatch(/dropped tags: .*at fetchAPI \(lib\/patterns\/broken\.ts:9:21\)$/);
    const cachedLine = new EventFormatter().format({
      type: 'use-cache',
      id: 4,
      ts: 1,
      pid: 1,
      functionId: 'f1',
      tags: ['p2:dashboard-data'],
      decision: 'miss',
      callSite: 'Blocks (components/PatternPage.tsx:21:16)',
      site: { file: 'components/PatternPage.tsx', line: 21, column: 16, fn: 'Blocks' },
    });
    expect(cachedLine).toContain('tags: p2:dashboard-data');
    expect(cachedLine).toMatch(/at Blocks \(components\/PatternPage\.tsx:21:16\)$/);
  });
});

describe('call sites in cachescope report', () => {
  it("prints where each finding's evidence happened in the app's source", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cachescope-report-'));
    try {
      const file = join(dir, 'snap.json');
      const callSite = 'refreshMine (app/broken/actions.ts:6:3)';
      const snapshot = {
        schemaVersion: 1,
        generatedAt: 1,
        events: [{ ...revalidateCall, id: 5, callSite, site: { file: 'app/broken/actions.ts', line: 6, column: 3, fn: 'refreshMine' } }],
        tags: [],
        revalidations: [],
        findings: [
          {
            id: 'noop',
            kind: 'noop-revalidation',
            severity: 'error',
            tags: ['dashboard-data'],
            message: 'matched nothing',
            evidence: [5, 6],
            count: 1,
            firstTs: 1,
            lastTs: 1,
          },
        ],
        dropped: 0,
        index: { liveEntries: 0, evicted: 0 },
        internalErrors: [],
      };
      writeFileSync(file, JSON.stringify(snapshot));
      const out: string[] = [];
      const code = await runReport({ file, write: (line) => out.push(line), error: () => {} });
      expect(code).toBe(1);
      expect(out.join('\n')).toContain(`  ✗ matched nothing\n      at ${callSite}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
