/**
 * Benchmark: apply a batch of 500 events to the store while 10,000 are held, and re-render the open
 * Requests timeline (virtualised, newest first: every batch brings new rows into view). Median and p95 per
 * step; the goal from issue 4 is a median <= 16 ms for the store update + timeline re-render.
 *
 *   pnpm --filter @cachescope/overlay bench      (React development build, as under `next dev`)
 *   BENCH_REACT=production pnpm --filter @cachescope/overlay bench   (React production build)
 *
 * The DOM is happy-dom (slower than a browser's, so the render figures are conservative). Each measured step
 * is `flushSync(() => applyBatch(batch))`: the store update and the synchronous React commit of the timeline.
 * Facet counts render at low priority (useDeferredValue) and are measured separately ("+ deferred facets").
 * Writes test-artifacts/bench-store-render-<mode>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createElement } from 'react';
import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import { afterAll, describe, expect, it } from 'vitest';
import { derivedFor } from '../src/store/derived.js';
import { createOverlayStore, type OverlayStore } from '../src/store/store.js';
import { OverlayContext, createOverlayContext } from '../src/views/context.js';
import { OverlayApp } from '../src/views/OverlayApp.js';
import { makeEvents } from '../test/support/events.js';

const HELD = 10_000;
const BATCH = 500;
const WARMUP = 5;
const RUNS = 40;
const MODE = process.env.NODE_ENV === 'production' ? 'production' : 'development';

interface Figures {
  median: number;
  p95: number;
  min: number;
  max: number;
  runs: number;
}

function figures(samples: number[]): Figures {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const round = (n: number) => Math.round(n * 100) / 100;
  return { median: round(at(0.5)), p95: round(at(0.95)), min: round(sorted[0]!), max: round(sorted.at(-1)!), runs: samples.length };
}

async function measure(step: (i: number) => void | Promise<void>): Promise<Figures> {
  for (let i = 0; i < WARMUP; i++) await step(i);
  const samples: number[] = [];
  for (let i = WARMUP; i < WARMUP + RUNS; i++) {
    const t0 = performance.now();
    await step(i);
    samples.push(performance.now() - t0);
  }
  return figures(samples);
}

/** Batches made up front, so the timing covers applying them, not making them. */
const batches = () => Array.from({ length: WARMUP + RUNS }, (_, i) => makeEvents(HELD + 1 + i * BATCH, BATCH));

function mountOpenTimeline(): { store: OverlayStore; root: Root; container: HTMLElement } {
  const store = createOverlayStore({ maxEvents: HELD, initialIsOpen: true });
  store.getState().actions.setSize(700); // a tall panel (the list measures nothing in happy-dom: ~21 rows + overscan)
  store.getState().actions.applyBatch(makeEvents(1, HELD));
  const context = createOverlayContext(store, { clearServer: async () => undefined });
  const container = document.createElement('div');
  document.body.appendChild(container);
  const root = createRoot(container);
  flushSync(() => root.render(createElement(OverlayContext.Provider, { value: context }, createElement(OverlayApp, { theme: 'dark' }))));
  return { store, root, container };
}

/** Lets React run the low-priority (deferred) render scheduled by the last update. */
const idle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

const results: Record<string, Figures> = {};

afterAll(() => {
  mkdirSync('test-artifacts', { recursive: true });
  const report = { mode: MODE, held: HELD, batch: BATCH, goalMedianMs: 16, environment: `happy-dom, node ${process.version}`, results };
  writeFileSync(`test-artifacts/bench-store-render-${MODE}.json`, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nstore + render benchmark, React ${MODE} build (${HELD} events held, batches of ${BATCH}), ms:`);
  console.table(results);
});

describe(`batch of ${BATCH} with ${HELD} held (React ${MODE})`, () => {
  it('store only: applyBatch (dedupe, merge, trim)', async () => {
    const store = createOverlayStore({ maxEvents: HELD });
    store.getState().actions.applyBatch(makeEvents(1, HELD));
    const work = batches();
    results['store.applyBatch'] = await measure((i) => void store.getState().actions.applyBatch(work[i]!));
    expect(store.getState().events).toHaveLength(HELD);
  });

  it('store + derived: requests, timeline rows, facet counts', async () => {
    const store = createOverlayStore({ maxEvents: HELD });
    const derived = derivedFor(store);
    store.getState().actions.applyBatch(makeEvents(1, HELD));
    derived.timeline(store.getState());
    derived.facets(store.getState());
    const work = batches();
    results['store + derived rows + facets'] = await measure((i) => {
      store.getState().actions.applyBatch(work[i]!);
      derived.timeline(store.getState());
      derived.facets(store.getState());
    });
  });

  it('store + re-render of the open Requests timeline', async () => {
    const { store, root, container } = mountOpenTimeline();
    const work = batches();
    results['store + timeline render (goal)'] = await measure((i) => {
      flushSync(() => void store.getState().actions.applyBatch(work[i]!));
    });
    const rows = container.querySelectorAll('[role="listitem"]').length;
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThan(60);
    root.unmount();
    container.remove();
  });

  it('store + timeline render + deferred facet counts', async () => {
    const { store, root, container } = mountOpenTimeline();
    const work = batches();
    results['+ deferred facets'] = await measure(async (i) => {
      flushSync(() => void store.getState().actions.applyBatch(work[i]!));
      await idle();
    });
    root.unmount();
    container.remove();
  });
});
