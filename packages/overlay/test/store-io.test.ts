// @vitest-environment node
// Session files, formatting helpers and the refresh throttle.
import { describe, expect, it, vi } from 'vitest';
import { formatDuration, shortUrl } from '../src/store/format.js';
import { SessionFileError, buildSessionFile, parseSessionFile } from '../src/store/session-file.js';
import { createOverlayStore } from '../src/store/store.js';
import { resolveStreamTarget } from '../src/store/stream-url.js';
import { createRefreshThrottle } from '../src/stream/refresh-throttle.js';
import { loadDemoSnapshot } from './support/fixture.js';
import { sleep } from './support/wait.js';

describe('session files', () => {
  it('exports what the store holds and reads it back, and also reads a bare /snapshot body', () => {
    const store = createOverlayStore();
    const snapshot = loadDemoSnapshot();
    store.getState().actions.applySnapshot(snapshot);
    const file = buildSessionFile(store.getState(), 'http://127.0.0.1:7340', 1);
    const back = parseSessionFile(JSON.stringify(file));
    expect(back.events).toHaveLength(snapshot.events.length);
    expect(back.findings).toEqual(snapshot.findings);
    expect(parseSessionFile(JSON.stringify(snapshot)).revalidations).toHaveLength(snapshot.revalidations.length);
  });

  it('rejects what is not a session with a readable message', () => {
    expect(() => parseSessionFile('nope')).toThrow(SessionFileError);
    expect(() => parseSessionFile('{"foo":1}')).toThrow(/no events/);
    expect(() => parseSessionFile('{"schemaVersion":2,"events":[]}')).toThrow(/version 2/);
  });
});

describe('formatting and settings', () => {
  it('formats durations and URLs', () => {
    expect(formatDuration(0.4)).toBe('<1 ms');
    expect(formatDuration(6.56)).toBe('6.6 ms');
    expect(formatDuration(65.8)).toBe('66 ms');
    expect(formatDuration(1500)).toBe('1.50 s');
    expect(shortUrl('http://127.0.0.1:4100/dashboard?pattern=broken')).toBe('127.0.0.1:4100/dashboard?pattern=broken');
  });

  it('resolves the stream: prop, then NEXT_PUBLIC_CACHESCOPE_URL, then the app withCacheScope() inlined, on its first port', () => {
    const saved = { url: process.env.NEXT_PUBLIC_CACHESCOPE_URL, app: process.env.CACHESCOPE_APP };
    try {
      delete process.env.NEXT_PUBLIC_CACHESCOPE_URL;
      delete process.env.CACHESCOPE_APP;
      expect(resolveStreamTarget()).toEqual({ kind: 'app', hint: null, port: 7340 });
      process.env.CACHESCOPE_APP = JSON.stringify({ id: 'abc', name: 'web', port: 7400 });
      expect(resolveStreamTarget()).toEqual({ kind: 'app', hint: { id: 'abc', name: 'web', port: 7400 }, port: 7400 });
      process.env.CACHESCOPE_APP = '{"id":1}';
      expect(resolveStreamTarget()).toEqual({ kind: 'app', hint: null, port: 7340 });
      process.env.NEXT_PUBLIC_CACHESCOPE_URL = 'http://127.0.0.1:7999';
      expect(resolveStreamTarget()).toEqual({ kind: 'url', url: 'http://127.0.0.1:7999' });
      expect(resolveStreamTarget('http://localhost:1234')).toEqual({ kind: 'url', url: 'http://localhost:1234' });
    } finally {
      for (const [key, value] of [
        ['NEXT_PUBLIC_CACHESCOPE_URL', saved.url],
        ['CACHESCOPE_APP', saved.app],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});

describe('refresh throttle', () => {
  it('runs at most once per interval, trailing, and never two at once', async () => {
    let running = 0;
    let maxRunning = 0;
    const run = vi.fn(async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await sleep(5);
      running--;
    });
    const throttle = createRefreshThrottle(run, 60);
    for (let i = 0; i < 20; i++) {
      throttle.schedule();
      await sleep(5);
    }
    await sleep(150);
    throttle.stop();
    expect(run.mock.calls.length).toBeGreaterThanOrEqual(2);
    expect(run.mock.calls.length).toBeLessThanOrEqual(4);
    expect(maxRunning).toBe(1);
  });
});
