// Small statistics helpers shared by the benches (no dependencies).

/** Sorted copy of numeric samples (Float64Array sorts numerically). */
export function sorted(values) {
  const out = Float64Array.from(values);
  out.sort();
  return out;
}

/** Quantile q (0..1) of already-sorted samples, nearest-rank. */
export function quantileSorted(s, q) {
  if (s.length === 0) return NaN;
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1));
  return s[i];
}

export const quantile = (values, q) => quantileSorted(sorted(values), q);
export const median = (values) => {
  const s = sorted(values);
  if (s.length === 0) return NaN;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

export const round = (x, digits = 3) => (Number.isFinite(x) ? Number(x.toFixed(digits)) : x);
