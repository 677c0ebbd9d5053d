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

/**
 * 95 % bootstrap interval of `statistic(items)`: `items` resampled with replacement (a fixed-seed
 * generator, so one data set always gives one interval).
 */
export function bootstrap(items, statistic, resamples = 2_000) {
  if (items.length === 0) return [NaN, NaN];
  let seed = 0x9e3779b9;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const values = [];
  for (let r = 0; r < resamples; r++) values.push(statistic(Array.from(items, () => items[Math.floor(random() * items.length)])));
  const s = sorted(values);
  return [quantileSorted(s, 0.025), quantileSorted(s, 0.975)];
}
