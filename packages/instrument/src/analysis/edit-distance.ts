/** Levenshtein distance and "did you mean" over known tags. */

export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/**
 * The candidate closest to `target`, if within `maxDistance` (default: a third of the target's length,
 * at least 1, at most 4). Ties go to the first candidate. Candidates whose length differs by more than
 * the limit are skipped without computing the distance.
 */
export function closestTag(target: string, candidates: Iterable<string>, maxDistance?: number): string | undefined {
  const limit = maxDistance ?? Math.min(4, Math.max(1, Math.floor(target.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    if (candidate === target || Math.abs(candidate.length - target.length) >= bestDistance) continue;
    const d = editDistance(target, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
