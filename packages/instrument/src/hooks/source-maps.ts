// What the bundlers put in a compiled server chunk's source map, read back: where a chunk's map is
// (`//# sourceMappingURL=`, inline or a file, or `<chunk>.map`), and what its `sources` mean
// (Turbopack dev `turbopack:///[project]/…`, Turbopack build paths relative to the map, webpack
// `webpack://_N_E/./…` and `webpack-internal:///(rsc)/./…`). Parsing (index maps with `sections`
// included) is Node's own `SourceMap` class. Runs at flush time, never on the app's request path.
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { findSourceMap, SourceMap } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** How a chunk's position maps back (0-based, as Node's `findEntry`). */
export type MappedPosition = { source: string; line: number; column: number; name?: string };

export type ChunkMap = { find(line0: number, column0: number): MappedPosition | undefined };

/** The config line that makes `next build` write server source maps (Next 16.5's schema: experimental.serverSourceMaps). */
export const SERVER_SOURCE_MAPS_CONFIG = 'experimental: { serverSourceMaps: true } in next.config';

/** A frame's file as a path on disk (`file:///…` URLs included), or undefined for `node:`/anonymous/eval frames. */
export function framePath(file: string | undefined): string | undefined {
  if (!file) return undefined;
  if (file.startsWith('file://')) {
    try {
      return fileURLToPath(file);
    } catch {
      return undefined;
    }
  }
  return isAbsolute(file) ? file : undefined;
}

const TAIL_BYTES = 8192;

/** The last `sourceMappingURL` of a chunk: read from its tail (chunks run to megabytes; the comment ends them). */
function mappingUrl(chunk: string): string | undefined {
  const fd = openSync(chunk, 'r');
  try {
    const size = statSync(chunk).size;
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    const text = buffer.toString('utf8');
    const at = text.lastIndexOf('sourceMappingURL=');
    if (at === -1) return undefined;
    return text.slice(at + 'sourceMappingURL='.length).split(/\s/)[0] || undefined;
  } finally {
    closeSync(fd);
  }
}

function decodeDataUrl(url: string): string | undefined {
  const comma = url.indexOf(',');
  if (comma === -1) return undefined;
  const meta = url.slice(0, comma);
  const data = url.slice(comma + 1);
  return meta.endsWith(';base64') ? Buffer.from(data, 'base64').toString('utf8') : decodeURIComponent(data);
}

/** The chunk's source map payload and the directory its relative `sources` start from, or undefined. */
function loadPayload(chunk: string): { payload: string; base: string } | undefined {
  const url = mappingUrl(chunk);
  if (url?.startsWith('data:')) {
    const payload = decodeDataUrl(url);
    return payload ? { payload, base: dirname(chunk) } : undefined;
  }
  const candidates = url ? [resolve(dirname(chunk), decodeURIComponent(url))] : [];
  candidates.push(`${chunk}.map`);
  for (const file of candidates) {
    if (existsSync(file)) return { payload: readFileSync(file, 'utf8'), base: dirname(file) };
  }
  return undefined;
}

/** Parses the map of `chunk` (a path); undefined when the build wrote none. Throws on unreadable input. */
export function loadChunkMap(chunk: string): ChunkMap | undefined {
  const loaded = loadPayload(chunk);
  if (!loaded) return undefined;
  const payload = JSON.parse(loaded.payload) as { sections?: Section[] };
  const found = (entry: Entry): MappedPosition | undefined => {
    if (!entry || typeof entry.originalSource !== 'string' || typeof entry.originalLine !== 'number') return undefined;
    return {
      source: sourcePath(entry.originalSource, loaded.base),
      line: entry.originalLine,
      column: entry.originalColumn ?? 0,
      name: entry.name,
    };
  };
  if (!Array.isArray(payload.sections)) {
    const map = new SourceMap(payload as never);
    return { find: (line0, column0) => found(map.findEntry(line0, column0) as Entry) };
  }
  // An index map (Turbopack: one section per module, megabytes in all): only the sections a position
  // falls in are parsed, each once.
  const sections = payload.sections
    .filter((s) => s?.offset && s.map)
    .sort((a, b) => a.offset.line - b.offset.line || a.offset.column - b.offset.column);
  const parsed = new Map<Section, SourceMap | null>();
  return {
    find(line0, column0) {
      let lo = 0;
      let hi = sections.length - 1;
      let at = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const o = sections[mid]!.offset;
        if (o.line < line0 || (o.line === line0 && o.column <= column0)) {
          at = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      const section = sections[at];
      if (!section) return undefined;
      let map = parsed.get(section);
      if (map === undefined) {
        try {
          map = new SourceMap(section.map as never);
        } catch {
          map = null;
        }
        parsed.set(section, map);
      }
      if (!map) return undefined;
      const line = line0 - section.offset.line;
      const column = line === 0 ? column0 - section.offset.column : column0;
      return found(map.findEntry(line, column) as Entry);
    },
  };
}

type Section = { offset: { line: number; column: number }; map: unknown };
type Entry = Partial<{ originalSource: string; originalLine: number; originalColumn: number; name: string }>;

/**
 * The map Node itself holds for a frame's file: webpack dev evaluates each module with a
 * `sourceURL=webpack-internal:///…` and an inline map, which only Node has (next dev runs with
 * --enable-source-maps). Undefined when Node has none.
 */
export function loadedMap(url: string, appDir: string): ChunkMap | undefined {
  const map = findSourceMap(url);
  if (!map) return undefined;
  return {
    find(line0, column0) {
      const entry = map.findEntry(line0, column0) as Partial<{
        originalSource: string;
        originalLine: number;
        originalColumn: number;
        name: string;
      }>;
      if (!entry || typeof entry.originalSource !== 'string' || typeof entry.originalLine !== 'number') return undefined;
      return {
        source: sourcePath(entry.originalSource, appDir),
        line: entry.originalLine,
        column: entry.originalColumn ?? 0,
        name: entry.name,
      };
    },
  };
}

/** Frames of code webpack evaluated in dev: `webpack-internal:///(rsc)/./app/x.ts`. */
export const isWebpackInternal = (file: string | undefined): file is string => !!file?.startsWith('webpack-internal:');

const PROJECT = '[project]/';

/**
 * A map's `sources` entry as an absolute path where the bundler said where, or as a `[project]/…`
 * path (Turbopack's root: the workspace root, found by `projectFile`).
 */
export function sourcePath(source: string, base: string): string {
  let s = source;
  if (s.startsWith('turbopack://')) s = s.slice('turbopack://'.length).replace(/^\/+/, '');
  if (s.startsWith(PROJECT)) return s;
  if (s.startsWith('webpack-internal://') || s.startsWith('webpack://')) {
    s = s.replace(/^webpack(-internal)?:\/\/\/?/, '');
    // `_N_E/./app/x.ts` (namespace), `(rsc)/./app/x.ts` (layer): both relative to the app's directory
    s = s.replace(/^[^/]*\/(?=\.\/|\.\.\/)/, '').replace(/^\([^)]*\)\//, '');
    return `${PROJECT_APP}${s.replace(/^\.\//, '').replace(/\?.*$/, '')}`;
  }
  if (s.startsWith('file://')) return framePath(s) ?? s;
  if (isAbsolute(s)) return s;
  return resolve(base, decodeURIComponent(s));
}

/** Marks webpack sources: relative to the app's directory (Next runs webpack with the app as context). */
export const PROJECT_APP = '[app]/';

/**
 * The absolute path of a mapped source, given the app's directory. `[project]/x` is relative to
 * Turbopack's root, the app's directory or one of its ancestors (a monorepo): the nearest one holding x.
 */
export function projectFile(source: string, appDir: string): string | undefined {
  if (source.startsWith(PROJECT_APP)) return join(appDir, source.slice(PROJECT_APP.length));
  if (!source.startsWith(PROJECT)) return source;
  const rest = source.slice(PROJECT.length);
  for (let dir = appDir; ; dir = dirname(dir)) {
    const file = join(dir, rest);
    if (existsSync(file)) return file;
    if (dirname(dir) === dir) return undefined;
  }
}
