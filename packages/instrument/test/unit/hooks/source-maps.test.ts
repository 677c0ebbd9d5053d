// A Turbopack index map is read section by section from its text: a position parses only the section it
// falls in (the whole map, megabytes, would block the event loop in JSON.parse). A section's text that
// does not parse leaves its positions unmapped, never placed in another module.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadChunkMap } from '../../../src/hooks/source-maps.js';

const dir = mkdtempSync(join(tmpdir(), 'cachescope-maps-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Generated line 0 of the section, column 0 <- source line `line` (0-based), column 2. */
const oneLine = (source: string, line: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ version: 3, sources: [source], names: [], mappings: `AA${line === 0 ? 'A' : line === 1 ? 'C' : 'E'}E`, ...extra });

/** Laid out as Turbopack writes it: one section per line, spaces after colons. */
function indexMap(sections: string[]): string {
  return `{\n  "version": 3,\n  "sources": [],\n  "sections": [\n${sections.join(',\n')}]\n}`;
}

const section = (line: number, map: string) => `    {"offset": {"line": ${line}, "column": 0}, "map": ${map}}`;

function chunkWith(name: string, map: string): string {
  const chunk = join(dir, `${name}.js`);
  writeFileSync(chunk, `a\nb\nc\nd\n//# sourceMappingURL=${name}.js.map\n`);
  writeFileSync(`${chunk}.map`, map);
  return chunk;
}

describe('loadChunkMap on an index map', () => {
  it('finds each section from the text and parses only the one asked for', () => {
    const chunk = chunkWith(
      'lazy',
      indexMap([
        section(0, oneLine('app/a.ts', 1)),
        section(1, '{"version":3, "this section": is not JSON'),
        section(2, oneLine('app/c.ts', 2)),
      ]),
    );
    const map = loadChunkMap(chunk)!;
    expect(map.find(0, 0)).toMatchObject({ line: 1, column: 2 });
    expect(map.find(0, 0)!.source).toMatch(/app\/a\.ts$/);
    expect(map.find(2, 0)!.source).toMatch(/app\/c\.ts$/);
    expect(map.find(1, 0)).toBeUndefined();
  });

  it("a source whose text holds a section's pattern does not cut its section (JSON escapes the quotes)", () => {
    const trap = '{"offset": {"line": 9, "column": 0}, "map": ';
    const chunk = chunkWith(
      'trap',
      indexMap([
        section(0, oneLine('app/a.ts', 0)),
        section(1, oneLine('app/b.ts', 1, { sourcesContent: [trap] })),
        section(3, oneLine('app/d.ts', 2)),
      ]),
    );
    const map = loadChunkMap(chunk)!;
    expect(map.find(0, 0)!.source).toMatch(/app\/a\.ts$/);
    expect(map.find(1, 0)!.source).toMatch(/app\/b\.ts$/);
    expect(map.find(3, 0)!.source).toMatch(/app\/d\.ts$/);
  });

  it('sections of passed-over sources (node_modules) are never decoded: their positions find nothing', () => {
    const chunk = chunkWith(
      'libs',
      indexMap([section(0, oneLine('../node_modules/next/dist/x.js', 1)), section(1, oneLine('app/b.ts', 1))]),
    );
    const passOver = (source: string) => source.includes('/node_modules/');
    expect(loadChunkMap(chunk, passOver)!.find(0, 0)).toBeUndefined();
    expect(loadChunkMap(chunk, passOver)!.find(1, 0)!.source).toMatch(/app\/b\.ts$/);
    expect(loadChunkMap(chunk)!.find(0, 0)!.source).toMatch(/node_modules\/next\/dist\/x\.js$/);
  });

  it('a map laid out otherwise is parsed whole', () => {
    const chunk = chunkWith(
      'plain',
      JSON.stringify({ version: 3, sections: [{ map: JSON.parse(oneLine('app/a.ts', 1)), offset: { column: 0, line: 0 } }] }),
    );
    expect(loadChunkMap(chunk)!.find(0, 0)!.source).toMatch(/app\/a\.ts$/);
  });
});
