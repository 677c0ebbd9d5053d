import { describe, expect, it } from 'vitest';
import { EventFormatter } from '../../../src/cli/format.js';
import { fetchMiss } from './fixtures.js';

describe('tail lines in cluster mode', () => {
  it("labels another instance's event with its instance", () => {
    const line = new EventFormatter().format({ ...fetchMiss, id: 1, pid: 1, instance: 'web-2' })!;
    expect(line).toMatch(/^13:27:10\.123 {2}\[web-2\] \/pattern-1 +fetch +MISS/);
  });

  it('says when the cluster view is lost and when it is back', () => {
    const status = { self: 'web-1', instances: ['web-1', 'web-2'], published: 3, received: 2, dropped: 0, since: 0 };
    const f = new EventFormatter();
    expect(
      f.format({ id: 2, pid: 1, ts: 0, type: 'cluster-status', status: { ...status, state: 'lost', reason: 'connect ECONNREFUSED' } }),
    ).toMatch(/cluster view lost: showing this instance only \(connect ECONNREFUSED\)$/);
    expect(f.format({ id: 3, pid: 1, ts: 0, type: 'cluster-status', status: { ...status, state: 'connected' } })).toMatch(
      /cluster view connected: instances web-1, web-2$/,
    );
  });
});
