// Entries that exist before this process wrote anything: the data cache on disk and the pages
// `next build` prerendered. Without them the tag index would call revalidations of build-time
// entries no-ops (research §3.7).
import type { Dirent } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { SeedFacts } from '../recorder/facts.js';
import { now } from '../recorder/global.js';
import { readBuildReads } from './build-reads.js';

const MAX_FILES = 5_000;

type SeedOptions = { distDir: string; now?: number };

async function listFiles(dir: string, accept: (name: string) => boolean, limit: number): Promise<string[]> {
  const found: string[] = [];
  const walk = async (current: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (found.length >= limit) return;
      const path = join(current, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (accept(entry.name)) found.push(path);
    }
  };
  await walk(dir);
  return found;
}

async function readJson(path: string): Promise<any> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}

function seed(entryKind: string, key: string, tags: string[], extra: Partial<SeedFacts>): SeedFacts {
  return { kind: 'seed-entry', entryKind, key, tags, t: now(), ctx: { requestKind: 'unknown' }, ...extra };
}

/**
 * Data-cache entries (`<distDir>/cache/fetch-cache/<key>`): FETCH and unstable_cache, with their own
 * tags from the file and, as soft tags, the implicit tags of the routes that read them at build.
 */
async function seedFetchCache(distDir: string): Promise<SeedFacts[]> {
  const dir = join(distDir, 'cache', 'fetch-cache');
  const [files, buildReads] = await Promise.all([
    listFiles(dir, (name) => name !== 'tags-manifest.json', MAX_FILES),
    readBuildReads(distDir),
  ]);
  const seeds: SeedFacts[] = [];
  for (const file of files) {
    const data = await readJson(file);
    if (data?.kind !== 'FETCH') continue;
    const key = relative(dir, file);
    // unstable_cache writes its entries with an empty url; fetch entries carry the request URL.
    const url: string | undefined = data.data?.url || undefined;
    const softTags = buildReads.get(key);
    seeds.push(
      seed(url ? 'FETCH' : 'UNSTABLE_CACHE', key, Array.isArray(data.tags) ? data.tags : [], { url, ...(softTags ? { softTags } : {}) }),
    );
  }
  return seeds;
}

/** Prerendered pages and route handlers (`<distDir>/server/app/**\/*.meta`, tags in x-next-cache-tags). */
async function seedPrerenders(distDir: string): Promise<SeedFacts[]> {
  const dir = join(distDir, 'server', 'app');
  const files = await listFiles(dir, (name) => name.endsWith('.meta') || name.endsWith('.body'), MAX_FILES);
  const routeBodies = new Set(files.filter((f) => f.endsWith('.body')).map((f) => f.replace(/\.body$/, '.meta')));
  const seeds: SeedFacts[] = [];
  for (const file of files.filter((f) => f.endsWith('.meta'))) {
    const meta = await readJson(file);
    const header = meta?.headers?.['x-next-cache-tags'];
    if (typeof header !== 'string') continue;
    const path = `/${relative(dir, file).replace(/\.meta$/, '')}`;
    seeds.push(
      seed(routeBodies.has(file) ? 'APP_ROUTE' : 'APP_PAGE', `prerender:${path}`, header.split(','), {
        url: path,
        ctx: { requestKind: 'unknown', route: path },
      }),
    );
  }
  return seeds;
}

export async function seedFromDisk({ distDir }: SeedOptions): Promise<SeedFacts[]> {
  const [fetches, prerenders] = await Promise.all([seedFetchCache(distDir), seedPrerenders(distDir)]);
  return [...fetches, ...prerenders];
}
