/**
 * The store + render benchmark in a real browser page (see ../chromium-store-render.bench.mjs): 10,000 events held,
 * the Requests timeline open in a shadow root, batches of 500 applied with flushSync. Publishes
 * `window.__benchResult` with median / p95 of the synchronous commit and of the time to the next frame.
 */
import { createElement } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { createOverlayStore } from '../../src/store/store.js';
import { OverlayContext, createOverlayContext } from '../../src/views/context.js';
import { OverlayApp } from '../../src/views/OverlayApp.js';
import { OVERLAY_CSS } from '../../src/views/styles.js';
import { makeEvents } from '../../test/support/events.js';

const HELD = 10_000;
const BATCH = 500;
const WARMUP = 5;
const RUNS = 60;

function stat(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const round = (n: number) => Math.round(n * 100) / 100;
  return { median: round(at(0.5)), p95: round(at(0.95)), max: round(sorted.at(-1)!), runs: samples.length };
}

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
const idle = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

async function run() {
  const store = createOverlayStore({ maxEvents: HELD, initialIsOpen: true });
  store.getState().actions.setSize(700); // a tall panel: ~20 rows in view
  store.getState().actions.applyBatch(makeEvents(1, HELD));
  const shadow = document.getElementById('app')!.attachShadow({ mode: 'open' });
  const root = createRoot(shadow);
  const context = createOverlayContext(store, { clearServer: async () => undefined });
  flushSync(() =>
    root.render(
      createElement(
        OverlayContext.Provider,
        { value: context },
        createElement('style', null, OVERLAY_CSS),
        createElement(OverlayApp, { theme: 'dark' }),
      ),
    ),
  );
  const batches = Array.from({ length: WARMUP + RUNS }, (_, i) => makeEvents(HELD + 1 + i * BATCH, BATCH));
  const commit: number[] = [];
  const frame: number[] = [];
  await idle();
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const t0 = performance.now();
    flushSync(() => void store.getState().actions.applyBatch(batches[i]!));
    const t1 = performance.now();
    await nextFrame();
    const t2 = performance.now();
    if (i >= WARMUP) {
      commit.push(t1 - t0);
      frame.push(t2 - t0);
    }
    await idle(); // the deferred facet counts render between batches, as they would live
  }
  (window as unknown as { __benchResult: unknown }).__benchResult = {
    'store + timeline commit': stat(commit),
    'until next frame': stat(frame),
    rowsInDom: shadow.querySelectorAll('[role="listitem"]').length,
  };
}

void run();
