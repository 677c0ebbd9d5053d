// The disk seed: a data-cache entry next build wrote carries, as soft tags, the implicit tags of every
// route that read it during the build (the build-read log), and only during `next build` is it written.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildReadLog } from '../../../src/hooks/build-reads.js';
import { seedFromDisk } from '../../../src/hooks/disk-seed.js';

function distDirWithEntry(key: string, tags: string[]): string {
  const distDir = mkdtempSync(join(tmpdir(), 'cachescope-seed-'));
  mkdirSync(join(distDir, 'cache', 'fetch-cache'), { recursive: true });
  mkdirSync(join(distDir, 'server'), { recursive: true });
  writeFileSync(join(distDir, 'cache', 'fetch-cache', key), JSON.stringify({ kind: 'FETCH', data: { url: 'http://origin/x' }, tags }));
  return distDir;
}

describe('seedFromDisk', () => {
  const phase = process.env.NEXT_PHASE;
  afterEach(() => {
    if (phase === undefined) delete process.env.NEXT_PHASE;
    else process.env.NEXT_PHASE = phase;
  });

  it('gives a build-written entry the soft tags of every route that read it at build, besides its own tags', async () => {
    const distDir = distDirWithEntry('k1', ['posts']);
    process.env.NEXT_PHASE = 'phase-production-build';
    const note = buildReadLog(join(distDir, 'server'))!;
    note('k1', ['_N_T_/layout', '_N_T_/page', '_N_T_/']);
    note('k1', ['_N_T_/layout', '_N_T_/about/page', '_N_T_/about']);
    note('other', ['_N_T_/gone']);
    const [entry] = await seedFromDisk({ distDir });
    expect(entry).toMatchObject({ kind: 'seed-entry', entryKind: 'FETCH', key: 'k1', tags: ['posts'] });
    expect(new Set(entry!.softTags)).toEqual(new Set(['_N_T_/layout', '_N_T_/page', '_N_T_/', '_N_T_/about/page', '_N_T_/about']));
  });

  it('notes nothing outside next build, and seeds without soft tags then', async () => {
    const distDir = distDirWithEntry('k1', []);
    delete process.env.NEXT_PHASE;
    expect(buildReadLog(join(distDir, 'server'))).toBeUndefined();
    const [entry] = await seedFromDisk({ distDir });
    expect(entry).toMatchObject({ key: 'k1', tags: [] });
    expect(entry!.softTags).toBeUndefined();
  });
});
