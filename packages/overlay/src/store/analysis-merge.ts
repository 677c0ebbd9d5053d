/**
 * Replacing the server's analysis without re-rendering what did not change: items equal to the ones held
 * keep their identity (memoised rows skip), and a list where nothing changed keeps its identity too.
 */
import type { Analysis, Finding, Snapshot } from './types.js';

/** Structural equality for JSON data. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/** `next`, with every item equal to the held item of the same key replaced by the held one. */
export function reuseItems<T>(prev: readonly T[], next: readonly T[], key: (item: T) => string | number): T[] {
  const held = new Map<string | number, T>();
  for (const item of prev) held.set(key(item), item);
  let changed = prev.length !== next.length;
  const out = next.map((item, i) => {
    const old = held.get(key(item));
    const kept = old !== undefined && jsonEqual(old, item) ? old : item;
    if (kept !== prev[i]) changed = true;
    return kept;
  });
  return changed ? out : (prev as T[]);
}

export const EMPTY_ANALYSIS: Analysis = { tags: [], revalidations: [], findings: [] };

/** The analysis part of a snapshot, sharing structure with `prev`. Returns `prev` when nothing changed. */
export function mergeAnalysis(prev: Analysis, snapshot: Partial<Snapshot>): Analysis {
  const next: Analysis = {
    tags: reuseItems(prev.tags, arrayOr(snapshot.tags), (t) => t.tag),
    revalidations: reuseItems(prev.revalidations, arrayOr(snapshot.revalidations), (r) => r.id),
    findings: reuseItems(prev.findings, arrayOr(snapshot.findings), (f) => f.id),
    index: jsonEqual(prev.index, snapshot.index) ? prev.index : snapshot.index,
    internalErrors: jsonEqual(prev.internalErrors, snapshot.internalErrors) ? prev.internalErrors : snapshot.internalErrors,
    generatedAt: prev.generatedAt,
  };
  const same =
    next.tags === prev.tags &&
    next.revalidations === prev.revalidations &&
    next.findings === prev.findings &&
    next.index === prev.index &&
    next.internalErrors === prev.internalErrors;
  if (same) return prev;
  next.generatedAt = snapshot.generatedAt;
  return next;
}

/** Findings pushed live (`event: findings`): new or changed ones replace the held ones with the same id. */
export function upsertFindings(prev: readonly Finding[], incoming: readonly Finding[]): Finding[] {
  const out = [...prev];
  const index = new Map(out.map((f, i) => [f.id, i]));
  let changed = false;
  for (const finding of incoming) {
    if (!finding || typeof finding.id !== 'string') continue;
    const at = index.get(finding.id);
    if (at === undefined) {
      index.set(finding.id, out.length);
      out.push(finding);
      changed = true;
    } else if (!jsonEqual(out[at], finding)) {
      out[at] = finding;
      changed = true;
    }
  }
  return changed ? out : (prev as Finding[]);
}

function arrayOr<T>(value: T[] | undefined): T[] {
  return Array.isArray(value) ? value : [];
}
