// Which routes read each data-cache entry during `next build`. Next stores a fetch / unstable_cache
// entry with its own tags only; a route's implicit `_N_T_` tags reach it as soft tags, passed on
// every read. So a revalidatePath right after `next start` invalidates a build-written entry through
// the route that read it at build, and only the build knows which route that was. The recording
// handler notes each build-time read (key + soft tags) here; the disk seed reads them back.
import { appendFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** In `<distDir>/server`, which `next build` empties, so reads of an earlier build never linger. */
export const BUILD_READS_FILE = 'cachescope-build-reads.jsonl';
const PHASE_PRODUCTION_BUILD = 'phase-production-build';

type BuildRead = { key: string; softTags: string[] };

/** A note-taker for this build worker, or undefined outside `next build`. */
export function buildReadLog(serverDistDir: unknown): ((key: string, softTags: unknown) => void) | undefined {
  if (process.env.NEXT_PHASE !== PHASE_PRODUCTION_BUILD || typeof serverDistDir !== 'string') return undefined;
  const file = join(serverDistDir, BUILD_READS_FILE);
  const noted = new Set<string>();
  return (key, softTags) => {
    if (!Array.isArray(softTags) || softTags.length === 0) return;
    const line = JSON.stringify({ key, softTags: softTags.filter((t): t is string => typeof t === 'string') } satisfies BuildRead);
    if (noted.has(line)) return;
    noted.add(line);
    // One small append per line: build workers write concurrently, each line stays whole.
    appendFileSync(file, `${line}\n`);
  };
}

/** Soft tags per entry key, over every route that read it during the build (empty without a log). */
export async function readBuildReads(distDir: string): Promise<Map<string, string[]>> {
  const byKey = new Map<string, Set<string>>();
  let text = '';
  try {
    text = await readFile(join(distDir, 'server', BUILD_READS_FILE), 'utf8');
  } catch {
    return new Map();
  }
  for (const line of text.split('\n')) {
    let read: Partial<BuildRead> | undefined;
    try {
      read = line ? (JSON.parse(line) as Partial<BuildRead>) : undefined;
    } catch {
      continue; // a line cut short by a killed build
    }
    if (typeof read?.key !== 'string' || !Array.isArray(read.softTags)) continue;
    const tags = byKey.get(read.key) ?? new Set<string>();
    for (const t of read.softTags) if (typeof t === 'string') tags.add(t);
    byKey.set(read.key, tags);
  }
  return new Map([...byKey].map(([key, tags]) => [key, [...tags]]));
}
