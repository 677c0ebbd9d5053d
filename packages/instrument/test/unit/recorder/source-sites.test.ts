// The resolver on source maps shaped as each bundler writes them (generated here): Turbopack dev
// (`turbopack:///[project]/…`, an index map with sections, the project root above the app in a
// monorepo), Turbopack build (paths relative to the map), webpack (`webpack://_N_E/./…`), a chunk
// without a map, and frames of node_modules and of files outside the app, which are passed over.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callSite } from '../../../src/hooks/shims/call-site.js';
import { callFramesOf } from '../../../src/recorder/inputs.js';
import { createSiteResolver, frameTextInApp, NO_SOURCE_MAPS, type RawFrame, siteText } from '../../../src/recorder/source-sites.js';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
function vlq(n: number): string {
  let v = n < 0 ? (-n << 1) | 1 : n << 1;
  let out = '';
  do {
    let digit = v & 31;
    v >>>= 5;
    if (v) digit |= 32;
    out += B64[digit];
  } while (v);
  return out;
}

/** A one-source map: generated line i, column 0 <- source line `to[i]` (0-based), column 4. */
function mapOf(source: string, to: number[]) {
  let prev = 0;
  const mappings = to
    .map((line, i) => {
      const seg = `${vlq(0)}${vlq(0)}${vlq(line - prev)}${vlq(i === 0 ? 4 : 0)}`;
      prev = line;
      return seg;
    })
    .join(';');
  return { version: 3, sources: [source], names: [], mappings };
}

function write(file: string, text: string) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

let root: string;
let app: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cachescope-sites-'));
  app = join(root, 'apps', 'web');
  write(
    join(app, 'app', 'x', 'actions.ts'),
    "'use server';\nexport async function refreshMine() {\n  if (ok) {\n  revalidateTag('a', 'max');\n}}\n",
  );
  write(join(app, 'node_modules', 'lib', 'index.js'), 'module.exports = 1;\n');
  // Turbopack dev: an index map; the module's section starts at line 2 of the chunk
  write(join(app, '.next/dev/server/chunks/ssr/dev._.js'), 'x\nx\na\nb\nc\n//# sourceMappingURL=dev._.js.map\n');
  write(
    join(app, '.next/dev/server/chunks/ssr/dev._.js.map'),
    JSON.stringify({
      version: 3,
      sources: [],
      sections: [
        { offset: { line: 0, column: 0 }, map: mapOf('turbopack:///[project]/node_modules/lib/index.js', [0, 0]) },
        { offset: { line: 2, column: 0 }, map: mapOf('turbopack:///[project]/apps/web/app/x/actions.ts', [1, 3, 4]) },
      ],
    }),
  );
  // Turbopack build: sources relative to the map; minified names
  write(join(app, '.next/server/chunks/ssr/prod._.js'), 'a\nb\nc\n//# sourceMappingURL=prod._.js.map');
  write(join(app, '.next/server/chunks/ssr/prod._.js.map'), JSON.stringify(mapOf('../../../../app/x/actions.ts', [1, 3, 4])));
  // webpack build: webpack://_N_E/./…, the map next to the chunk
  write(join(app, '.next/server/app/x/page.js'), 'a\nb\nc\n');
  write(join(app, '.next/server/app/x/page.js.map'), JSON.stringify(mapOf('webpack://_N_E/./app/x/actions.ts?1a2b', [1, 3, 4])));
  // a build without maps
  write(join(app, '.next/server/chunks/ssr/nomap._.js'), 'a\nb\nc\n');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const frame = (file: string, line: number, fn?: string): RawFrame => ({ file, line, column: 1, fn });

describe('createSiteResolver', () => {
  it('Turbopack dev: an index map with sections, [project] the monorepo root, past a node_modules section', () => {
    const sites = createSiteResolver(app);
    const chunk = join(app, '.next/dev/server/chunks/ssr/dev._.js');
    const site = sites.resolve([frame(chunk, 1, 'libFn'), frame(`file://${chunk}`, 4, 'refreshMine')]);
    expect(site).toEqual({ file: 'app/x/actions.ts', line: 4, column: 5, fn: 'refreshMine' });
    expect(siteText(site)).toBe('refreshMine (app/x/actions.ts:4:5)');
  });

  it('Turbopack build: sources relative to the map, the name from the source (minified in the chunk)', () => {
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      const site = createSiteResolver(app).resolve([frame(join(app, '.next/server/chunks/ssr/prod._.js'), 2, 'f')]);
      expect(site).toEqual({ file: 'app/x/actions.ts', line: 4, column: 5, fn: 'refreshMine' });
    } finally {
      process.env.NODE_ENV = previous;
    }
  });

  it('webpack: webpack://_N_E/./ sources, the map beside the chunk', () => {
    const site = createSiteResolver(app).resolve([frame(join(app, '.next/server/app/x/page.js'), 2, 'refreshMine')]);
    expect(site).toMatchObject({ file: 'app/x/actions.ts', line: 4 });
  });

  it('a chunk without a map: says so, with the config line, and keeps the chunk position and the name', () => {
    const site = createSiteResolver(app).resolve([frame(join(app, '.next/server/chunks/ssr/nomap._.js'), 2, 'f')]);
    expect(site).toEqual({ file: '.next/server/chunks/ssr/nomap._.js', line: 2, column: 1, fn: 'f', unresolved: NO_SOURCE_MAPS });
    expect(NO_SOURCE_MAPS).toContain('experimental: { serverSourceMaps: true }');
  });

  it('never names a file outside the app: node_modules, node internals and other directories are passed over', () => {
    const sites = createSiteResolver(app);
    expect(
      sites.resolve([frame(join(app, 'node_modules/lib/index.js'), 1), frame('node:internal/x', 1), frame('/etc/elsewhere.js', 1)]),
    ).toBeUndefined();
    expect(sites.resolve(undefined)).toBeUndefined();
  });

  it('reads the frames a shim captured as data', () => {
    function wrapper() {
      return callSite(wrapper);
    }
    const frames = callFramesOf(wrapper());
    expect(frames?.[0]).toMatchObject({
      file: expect.stringContaining('source-sites.test.ts'),
      line: expect.any(Number),
      column: expect.any(Number),
    });
    // this test file is outside `app` (no map): passed over
    expect(createSiteResolver(app).resolve(frames)).toBeUndefined();
  });
});

describe('frameTextInApp (a stack other code formatted first)', () => {
  it('makes a file of the app relative and leaves out any other path', () => {
    expect(frameTextInApp(`refreshMine (${app}/.next/server/chunks/a.js:1:2)`, app)).toBe('refreshMine (.next/server/chunks/a.js:1:2)');
    expect(frameTextInApp(`refreshMine (file://${app}/lib/x.js:3:4)`, app)).toBe('refreshMine (lib/x.js:3:4)');
    expect(frameTextInApp('helper (/home/someone/elsewhere/x.js:3:4)', app)).toBe('helper');
    expect(frameTextInApp('/home/someone/elsewhere/x.js:3:4', app)).toBe('');
    expect(frameTextInApp('Array.map (<anonymous>)', app)).toBe('Array.map (<anonymous>)');
  });
});
