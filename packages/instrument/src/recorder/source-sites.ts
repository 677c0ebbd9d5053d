// Call sites back to the app's source: the frames a shim captured (compiled chunk positions) resolved
// through the build's source maps, at flush time. Frames of node_modules, Next and cachescope are
// passed over to reach the app's own frame. Only paths inside the app's directory, made relative to
// it, ever leave this module. Each chunk's map is parsed once, each chunk position resolved once.
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';
import type { SourceSite } from '../protocol/events.js';
import {
  type ChunkMap,
  framePath,
  isWebpackInternal,
  loadChunkMap,
  loadedMap,
  projectFile,
  SERVER_SOURCE_MAPS_CONFIG,
  sourcePath,
} from '../hooks/source-maps.js';

/** One V8 frame as captured: a compiled position (1-based) and the function's name. */
export type RawFrame = { file?: string; line?: number; column?: number; fn?: string };

export const NO_SOURCE_MAPS = `no server source maps in this build: set ${SERVER_SOURCE_MAPS_CONFIG}`;

const MAX_CACHED = 2_000;
const NODE_MODULES = `${sep}node_modules${sep}`;
/** A name this close above the call's line is taken as the enclosing function's. */
const NAME_LOOKBACK_LINES = 40;
const DECLARES =
  /(?:function\*?\s*([A-Za-z_$][\w$]*)\s*\(|(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s*)?(?:function\b|\([^)]*\)\s*=>|[A-Za-z_$][\w$]*\s*=>)|^\s*(?:async\s+)?([A-Za-z_$][\w$]*)\s*\([^)]*\)\s*\{)/;

/** Statements that read like a method declaration (`if (x) {`). */
const KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'catch', 'with', 'return', 'function', 'else', 'do', 'try']);

type Resolved = SourceSite | 'skip';

export type SiteResolver = {
  /** The app's frame among `frames`, in its source where the build has maps. */
  resolve(frames: RawFrame[] | undefined): SourceSite | undefined;
};

/** `fn (file:line:col)`, V8's shape, for the text fields. */
export function siteText(site: SourceSite | undefined): string | undefined {
  if (!site?.file) return site?.fn;
  const at = `${site.file}${site.line ? `:${site.line}` : ''}${site.column ? `:${site.column}` : ''}`;
  return site.fn ? `${site.fn} (${at})` : at;
}

/**
 * V8's text for a frame (`fn (/abs/file.js:1:2)`), for a stack other code formatted first: a file inside
 * the app made relative to it, any other path left out (only the function's name stays).
 */
export function frameTextInApp(text: string, appDir: string = process.cwd()): string {
  const m = /^(.*?)\s*\((.+?)(:\d+:\d+)?\)$/.exec(text) ?? /^()(\/.+?|file:\/\/.+?)(:\d+:\d+)?$/.exec(text);
  if (!m) return text;
  const [, fn, file, position = ''] = m;
  const path = framePath(file);
  if (!path) return text; // node:internal, <anonymous>, webpack-internal:///(rsc)/./app/…: no host path in it
  const rel = relative(appDir, path);
  const inside = rel && !rel.startsWith('..') && !isAbsolute(rel);
  if (!inside) return fn || '';
  const shown = `${rel.split(sep).join('/')}${position}`;
  return fn ? `${fn} (${shown})` : shown;
}

function bounded<K, V>(map: Map<K, V>, key: K, value: V): V {
  if (map.size >= MAX_CACHED) map.clear();
  map.set(key, value);
  return value;
}

export function createSiteResolver(appDir: string = process.cwd()): SiteResolver {
  // production chunks do not change under a running server; dev rewrites them on every edit
  const changes = process.env.NODE_ENV !== 'production';
  const maps = new Map<string, { version: number; map: ChunkMap | undefined }>();
  const positions = new Map<string, Resolved>();
  const sourceLines = new Map<string, { version: number; lines: string[] }>();

  const versionOf = (file: string): number => (changes ? (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0) : 0);

  function inApp(file: string): string | undefined {
    const rel = relative(appDir, file);
    if (!rel || rel.startsWith('..') || isAbsolute(rel) || file.includes(NODE_MODULES)) return undefined;
    return rel.split(sep).join('/');
  }

  function mapOf(chunk: string, version: number): ChunkMap | undefined {
    const known = maps.get(chunk);
    if (known && known.version === version) return known.map;
    let map: ChunkMap | undefined;
    try {
      map = loadChunkMap(chunk, (source) => source.includes('/node_modules/'));
    } catch {
      map = undefined;
    }
    return bounded(maps, chunk, { version, map }).map;
  }

  /** The function declared nearest above `line` (1-based) in the source: names minified away in a build. */
  function enclosingName(file: string, line: number): string | undefined {
    const version = versionOf(file);
    let known = sourceLines.get(file);
    if (!known || known.version !== version) {
      let lines: string[] = [];
      try {
        lines = readFileSync(file, 'utf8').split('\n');
      } catch {}
      known = bounded(sourceLines, file, { version, lines });
    }
    for (let i = line - 1; i >= 0 && i >= line - NAME_LOOKBACK_LINES; i--) {
      const m = DECLARES.exec(known.lines[i] ?? '');
      const name = m && (m[1] ?? m[2] ?? m[3]);
      if (name && !KEYWORDS.has(name)) return name;
    }
    return undefined;
  }

  /** A module webpack dev evaluated: mapped through the map Node holds for it (re-evaluated on every edit: not cached here). */
  function resolveEvaluated(frame: RawFrame, url: string): Resolved {
    let map: ChunkMap | undefined;
    try {
      map = loadedMap(url, appDir);
    } catch {}
    const mapped = map && frame.line ? resolveMapped(frame, map) : 'skip';
    if (mapped !== 'skip' || map) return mapped;
    const file = projectFile(sourcePath(url.replace(/^webpack-internal:/, 'webpack:'), appDir), appDir);
    const rel = file && inApp(file);
    return rel
      ? { file: rel, fn: frame.fn, unresolved: 'Node holds no source map for this webpack module (next dev --disable-source-maps?)' }
      : 'skip';
  }

  function resolveMapped(frame: RawFrame, map: ChunkMap): Resolved {
    const entry = map.find(frame.line! - 1, (frame.column ?? 1) - 1);
    const source = entry && projectFile(entry.source, appDir);
    const rel = source && inApp(source);
    if (!entry || !source || !rel || rel.startsWith('.next')) return 'skip';
    const line = entry.line + 1;
    // a build minifies names: there the source's own declaration names the function
    const fn = changes ? frame.fn || enclosingName(source, line) : (enclosingName(source, line) ?? frame.fn);
    return { file: rel, line, column: entry.column + 1, fn };
  }

  function resolveFrame(frame: RawFrame, chunk: string): Resolved {
    const version = versionOf(chunk);
    const key = `${chunk}:${frame.line}:${frame.column}:${version}`;
    const cached = positions.get(key);
    if (cached) return cached;
    const chunkRel = inApp(chunk);
    let out: Resolved = 'skip';
    const map = mapOf(chunk, version);
    if (map && frame.line) {
      out = resolveMapped(frame, map);
    } else if (chunkRel && !map) {
      // a chunk the build wrote no map for (Next runs the app's code only from its build's chunks)
      out = { file: chunkRel, line: frame.line, column: frame.column, fn: frame.fn, unresolved: NO_SOURCE_MAPS };
    }
    return bounded(positions, key, out);
  }

  return {
    resolve(frames) {
      if (!frames) return undefined;
      for (const frame of frames) {
        if (isWebpackInternal(frame.file)) {
          const site = resolveEvaluated(frame, frame.file);
          if (site !== 'skip') return site;
          continue;
        }
        const chunk = framePath(frame.file);
        if (!chunk || chunk.includes(NODE_MODULES)) continue;
        const site = resolveFrame(frame, chunk);
        if (site !== 'skip') return site;
      }
      return undefined;
    },
  };
}
