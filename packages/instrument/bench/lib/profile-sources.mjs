// Which profile frames are cachescope's. In a `next build` cachescope is bundled into Next's server
// chunks, so a frame's URL names a chunk, not a package: each frame is mapped back through the chunk's
// `.map` file (node:module SourceMap) to its original source. Frames of files loaded unbundled
// (dist/ of the workspace package or of an installed copy) are cachescope's by path, mapped through
// tsc's own maps so both read as `src/...`.
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

const OURS = /(?:packages\/instrument|@cachescope\/instrument)\/(?:src|dist)\/(.*)$/;

export function createSourceMapper() {
  const maps = new Map();
  const frames = new Map();

  function mapOf(url) {
    if (maps.has(url)) return maps.get(url);
    let map;
    try {
      const path = url.startsWith('file:') ? fileURLToPath(url) : url;
      if (path && existsSync(`${path}.map`)) map = new SourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8')));
    } catch {
      map = undefined; // unreadable map: the frame stays unattributed
    }
    maps.set(url, map);
    return map;
  }

  /** `src/<file>` of a cachescope frame (with the original function name when the map has one), else undefined. */
  function cachescopeSource(callFrame) {
    const key = `${callFrame.url}:${callFrame.lineNumber}:${callFrame.columnNumber}`;
    if (frames.has(key)) return frames.get(key);
    let found;
    const entry = callFrame.url ? mapOf(callFrame.url)?.findEntry(callFrame.lineNumber, callFrame.columnNumber) : undefined;
    const original = entry?.originalSource ?? callFrame.url;
    const match = OURS.exec(original ?? '');
    if (match)
      found = {
        file: `src/${match[1].replace(/\.js$/, '.ts')}`,
        line: (entry?.originalLine ?? callFrame.lineNumber) + 1,
        fn: callFrame.functionName || entry?.name || '(anonymous)',
      };
    frames.set(key, found);
    return found;
  }

  return { cachescopeSource };
}

/**
 * Frames that act for whoever called them: V8 builtins and natives (no URL) and Node's own modules, but
 * not its bundled fetch (undici) and web streams: below a pass-through wrapper those do the app's work.
 */
const isNeutral = ({ url }) =>
  url === '' || (url.startsWith('node:') && !url.startsWith('node:internal/deps/') && !url.includes('webstreams'));

/**
 * What a sample's time is charged to. A sample is cachescope's when the nearest frame above it that is
 * not a builtin or a Node module is cachescope's (so a `JSON.stringify` or a hash our code called counts
 * as ours, while the app's code running below one of our pass-through wrappers does not). It is
 * charged to the outermost cachescope frame of that stretch (`entry`: a shim, a hook, the flush) and,
 * for a closer look, to the innermost one (`inner`: the helper that was running).
 */
export function createStackAttributor(profile) {
  const mapper = createSourceMapper();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map();
  for (const n of profile.nodes) for (const child of n.children ?? []) parentOf.set(child, n.id);
  const charged = new Map();

  function chargedTo(leafId) {
    if (charged.has(leafId)) return charged.get(leafId);
    let id = leafId;
    while (id !== undefined && isNeutral(byId.get(id).callFrame)) id = parentOf.get(id);
    let entry;
    let inner;
    for (; id !== undefined; id = parentOf.get(id)) {
      const frame = byId.get(id).callFrame;
      const ours = mapper.cachescopeSource(frame);
      if (ours) {
        entry = ours;
        inner ??= ours;
      } else if (!isNeutral(frame)) break;
    }
    const result = entry && { entry, inner };
    charged.set(leafId, result);
    return result;
  }

  return { node: (id) => byId.get(id), chargedTo };
}
