// The analysis and the protocol stay framework-free: no next, react or Node I/O; node:crypto only in hash.ts.
// The protocol imports only itself; the analysis imports itself and the protocol (the event model).
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const analysisDir = dirname(fileURLToPath(import.meta.url));
const protocolDir = join(analysisDir, '..', 'protocol');
const sourcesIn = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
const analysis = sourcesIn(analysisDir);
const protocol = sourcesIn(protocolDir);

function importsOf(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

describe('analysis and protocol import boundaries', () => {
  it('has the expected files', () => {
    expect(analysis).toEqual(expect.arrayContaining(['hash.ts', 'redact.ts', 'analyzer.ts']));
    expect(protocol).toEqual(expect.arrayContaining(['events.ts', 'stream-ports.ts']));
  });

  it.each(analysis)(
    'analysis/%s imports only relative .js modules of the analysis or the protocol (plus node:crypto in hash.ts)',
    (file) => {
      for (const spec of importsOf(join(analysisDir, file))) {
        if (file === 'hash.ts' && spec === 'node:crypto') continue;
        expect(spec, `${file} imports ${spec}`).toMatch(/^(\.\/|\.\.\/protocol\/)[a-z-]+\.js$/);
      }
    },
  );

  it.each(protocol)('protocol/%s imports only relative .js modules of the protocol', (file) => {
    for (const spec of importsOf(join(protocolDir, file))) {
      expect(spec, `${file} imports ${spec}`).toMatch(/^\.\/[a-z-]+\.js$/);
    }
  });

  it('events.ts is types only (plus SCHEMA_VERSION), so the overlay can import it', () => {
    const path = join(protocolDir, 'events.ts');
    const text = readFileSync(path, 'utf8');
    const runtime = text.split('\n').filter((l) => /^export (const|function|class|let|var) /.test(l));
    expect(runtime).toEqual(['export const SCHEMA_VERSION = 1 as const;']);
    expect(importsOf(path)).toEqual([]);
  });
});
