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
function loadPayload(chunk: string): { payload: string | Buffer; base: string } | undefined {
  const url = mappingUrl(chunk);
  if (url?.startsWith('data:')) {
    const payload = decodeDataUrl(url);
    return payload ? { payload, base: dirname(chunk) } : undefined;
  }
  const candidates = url ? [resolve(dirname(chunk), decodeURIComponent(url))] : [];
  candidates.push(`${chunk}.map`);
  for (const file of candidates) {
    if (existsSync(file)) return { payload: readFileSync(file), base: dirname(file) };
  }
  return undefined;
}

/** A section's head, read from its `{`: `{"offset": {"line": L, "column": C}, "map": …`. */
const SECTION_HEAD = /^\{\s*"offset"\s*:\s*\{\s*"line"\s*:\s*(\d+)\s*,\s*"column"\s*:\s*(\d+)\s*\}\s*,\s*"map"\s*:/;
const OPEN_BRACE = 0x7b;
const isSpace = (byte: number | undefined) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

const SOURCES_PEEK_BYTES = 4096;

/** The `sources` of a section, read from the start of its text; undefined when they are not all there. */
function sourcesOf(head: string): string[] | undefined {
  const m = /"sources"\s*:\s*(\[[^\]]*\])/.exec(head);
  if (!m) return undefined;
  try {
    const sources = JSON.parse(m[1]!) as unknown;
    return Array.isArray(sources) && sources.every((x) => typeof x === 'string') ? sources : undefined;
  } catch {
    return undefined;
  }
}

/**
 * An index map's sections found in its bytes, each decoded and parsed only when a position falls in it:
 * decoding and parsing the whole map (megabytes) would block the event loop for tens of milliseconds.
 * Inside JSON strings quotes are escaped, so `"offset"` only matches real keys. Undefined when the map
 * is not laid out as Turbopack writes it (the caller parses it whole then).
 */
function sectionsOfBytes(bytes: Buffer, passOver?: (source: string) => boolean): Section[] | undefined {
  const head = bytes.indexOf('"sections"');
  if (head === -1) return undefined;
  const starts: { at: number; line: number; column: number }[] = [];
  for (let key = bytes.indexOf('"offset"', head); key !== -1; key = bytes.indexOf('"offset"', key + 8)) {
    let open = key - 1;
    while (open > head && isSpace(bytes[open])) open--;
    if (bytes[open] !== OPEN_BRACE) continue;
    const m = SECTION_HEAD.exec(bytes.toString('latin1', open, open + 160));
    if (m) starts.push({ at: open, line: Number(m[1]), column: Number(m[2]) });
  }
  if (starts.length === 0) return undefined;
  const end = bytes.lastIndexOf(']');
  return starts.map((s, i) => {
    let map: unknown;
    return {
      offset: { line: s.line, column: s.column },
      get map() {
        if (map === undefined) {
          const until = i + 1 < starts.length ? starts[i + 1]!.at : end;
          const sources = passOver && sourcesOf(bytes.toString('utf8', s.at, Math.min(until, s.at + SOURCES_PEEK_BYTES)));
          if (sources?.length && sources.every(passOver!)) map = null;
          else map = (JSON.parse(bytes.toString('utf8', s.at, until).replace(/[\s,]+$/, '')) as { map?: unknown }).map ?? null;
        }
        return map;
      },
    };
  });
}

/**
 * Parses the map of `chunk` (a path); undefined when the build wrote none. Throws on unreadable input.
 * `passOver`: index-map sections whose every source it accepts are never decoded (their positions find
 * nothing), e.g. the megabytes of Next's own modules when only the app's frames matter.
 */
export function loadChunkMap(chunk: string, passOver?: (source: string) => boolean): ChunkMap | undefined {
  const loaded = loadPayload(chunk);
  if (!loaded) return undefined;
  const lazy = typeof loaded.payload === 'string' ? undefined : sectionsOfBytes(loaded.payload, passOver);
  const payload = lazy ? { sections: lazy } : (JSON.parse(loaded.payload.toString()) as { sections?: Section[] });
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
    .filter((s) => s?.offset && (lazy || s.map))
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
          map = section.map ? new SourceMap(section.map as never) : null;
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
