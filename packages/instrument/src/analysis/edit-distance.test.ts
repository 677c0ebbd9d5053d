import { describe, expect, it } from 'vitest';
import { closestTag, editDistance } from './edit-distance.js';

describe('edit distance', () => {
  it('computes Levenshtein distance', () => {
    expect(editDistance('dashboard-data', 'dashbord-data')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('suggests the closest known tag within a limit, or nothing', () => {
    const known = ['dashboard-data', 'dashboard-data:86f7e437faa5a7fc', 'uc-data', 'static-data'];
    expect(closestTag('dashbord-data', known)).toBe('dashboard-data');
    expect(closestTag('uc_data', known)).toBe('uc-data');
    expect(closestTag('never-used-tag', known)).toBeUndefined();
    expect(closestTag('dashboard-data', ['dashboard-data'])).toBeUndefined();
  });
});
