// Shared plumbing of the safety suite: the demo started with cachescope and without (CACHESCOPE=off)
// side by side, each with its own backend, driven through the same steps; responses normalised so
// that only what the app decided is compared (users, backend fetch numbers, page structure), never
// timestamps, build ids or action ids.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Snapshot } from '../../src/protocol/events.js';
import {
  DEMO_DIR,
  ensureBuild,
  freePort,
  getPage,
  parseDashboards,
  parseFlightDashboards,
  postActionById,
  resolveActionId,
  sleep,
  startDemo,
  type DemoMode,
  type DemoServer,
} from '@cachescope/harness';

export const PAGES = { broken: '/broken', p1: '/pattern-1', p2: '/pattern-2', p3: '/pattern-3', sh: '/sledgehammer' } as const;
export type Pattern = keyof typeof PAGES;
export const USERS = ['alice', 'bob', 'carol'] as const;
export type User = (typeof USERS)[number];

export const ACTIONS: Record<Pattern, string[]> = {
  broken: ['refresh-mine', 'refresh-everyone', 'update-mine'],
  p1: ['refresh-mine', 'refresh-everyone', 'update-mine'],
  p2: ['refresh-mine', 'refresh-everyone', 'update-mine'],
  p3: ['refresh-mine', 'refresh-everyone'],
  sh: ['refresh-mine', 'refresh-everyone', 'update-mine', 'sledgehammer-tag', 'sledgehammer-path'],
};

// ─── normalising what the app answered ───

const KEPT_ATTRIBUTES = new Set([
  'data-testid',
  'data-user',
  'data-fetch-no',
  'data-action',
  'class',
  'href',
  'type',
  'name',
  'lang',
  'aria-label',
  'aria-pressed',
  'hidden',
]);

/** Timestamps, ports and ids that legitimately differ between two servers. */
export function scrubText(text: string): string {
  return text
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, '<iso>')
    .replace(/\b\d{2}:\d{2}:\d{2}\.\d{3}\b/g, '<time>')
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>')
    .replace(/\$ACTION_ID_[0-9a-f]+/g, '$ACTION_ID_<id>')
    .replace(/\s+/g, ' ');
}

function attributes(raw: string): string {
  const kept: string[] = [];
  for (const m of raw.matchAll(/([\w:.-]+)(?:="([^"]*)")?/g)) {
    const name = m[1]!.toLowerCase();
    if (KEPT_ATTRIBUTES.has(name)) kept.push(`${name}=${scrubText(m[2] ?? '')}`);
  }
  return kept.sort().join(' ');
}

/** `<div hidden id="S:n">…</div>` segments React streamed after the shell, by id, and the HTML without them. */
function takeSegments(html: string): { rest: string; segments: Map<string, string> } {
  const segments = new Map<string, string>();
  let rest = html;
  for (;;) {
    const open = /<div hidden(?:="")? id="(S:[^"]+)">/.exec(rest);
    if (!open) break;
    let depth = 1;
    const tags = /<div\b|<\/div>/g;
    tags.lastIndex = open.index + open[0].length;
    while (depth > 0) {
      const m = tags.exec(rest);
      if (!m) break;
      depth += m[0] === '</div>' ? -1 : 1;
    }
    const end = depth === 0 ? tags.lastIndex : rest.length;
    segments.set(open[1]!, rest.slice(open.index + open[0].length, end - '</div>'.length));
    rest = rest.slice(0, open.index) + rest.slice(end);
  }
  return { rest, segments };
}

/**
 * Puts streamed Suspense content where the browser would (React's `$RS(segment, placeholder)` and
 * `$RC(boundary, segment)` instructions), so a page whose data arrived before the shell flushed (inline)
 * and one whose data streamed after it compare equal.
 */
export function resolveStreaming(html: string): string {
  const { rest, segments } = takeSegments(html);
  const docs = { html: rest, segments };
  const replaceEverywhere = (pattern: RegExp, by: string) => {
    docs.html = docs.html.replace(pattern, () => by);
    for (const [id, content] of segments)
      segments.set(
        id,
        content.replace(pattern, () => by),
      );
  };
  const escapeRegExp = (id: string) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const m of html.matchAll(/\$RS\("(S:[^"]+)","(P:[^"]+)"\)/g)) {
    replaceEverywhere(new RegExp(`<template id="${escapeRegExp(m[2]!)}"></template>`), segments.get(m[1]!) ?? '');
  }
  for (const m of html.matchAll(/\$RC\("(B:[^"]+)","(S:[^"]+)"\)/g)) {
    replaceEverywhere(
      new RegExp(`<!--\\$\\?--><template id="${escapeRegExp(m[1]!)}"></template>[\\s\\S]*?<!--/\\$-->`),
      `<!--$-->${segments.get(m[2]!) ?? ''}<!--/$-->`,
    );
  }
  return docs.html;
}

/**
 * The page as a reader sees it once streaming has finished: elements (tag + the attributes that carry
 * meaning) and text in document order; scripts, styles, links, metas, templates and comments left out.
 */
export function pageStructure(html: string): string {
  const body = resolveStreaming(html)
    .replace(/<script\b[\s\S]*?<\/script>/gi, '')
    .replace(/<style\b[\s\S]*?<\/style>/gi, '')
    .replace(/<!--[\s\S]*?-->/g, '');
  const tokens: string[] = [];
  for (const m of body.matchAll(/<(\/?)([a-zA-Z][\w-]*)([^>]*?)(\/?)>|([^<]+)/g)) {
    if (m[5] !== undefined) {
      const text = scrubText(m[5]).trim();
      if (text) tokens.push(`"${text}"`);
      continue;
    }
    const tag = m[2]!.toLowerCase();
    if (tag === 'link' || tag === 'meta' || tag === 'template') continue;
    if (m[1]) tokens.push(`</${tag}>`);
    else tokens.push(`<${tag}${attributes(m[3] ?? '') ? ` ${attributes(m[3] ?? '')}` : ''}>`);
  }
  return tokens.join('');
}

export type Block = string;
/** Dashboard blocks as `testid user #fetchNo`, sorted (streamed blocks arrive in any order). */
export function blocks(dashboards: { testid: string; user: string; fetchNo: number }[]): Block[] {
  return dashboards.map((d) => `${d.testid} ${d.user} #${d.fetchNo}`).sort();
}

// ─── two servers, one script ───

export type Side = {
  label: 'with' | 'plain';
  demo: DemoServer;
  /** cachescope's stream (the `with` side only). */
  streamUrl?: string;
  actionIds: Map<string, string>;
};

export type PairOptions = {
  mode: DemoMode;
  cacheComponents?: boolean;
  /** distDir of the side with cachescope; the plain side uses `<distDir>-plain`. */
  distDir: string;
  /** Extra env for both sides (e.g. DEMO_FAULTY_HANDLER). */
  env?: Record<string, string>;
};

export type Pair = { with: Side; plain: Side; both: Side[]; stop(): Promise<void> };

export function sideEnv(label: Side['label'], streamPort: number, env: Record<string, string> = {}): Record<string, string> {
  return label === 'with' ? { CACHESCOPE_ENABLED: '1', CACHESCOPE_PORT: String(streamPort), ...env } : { CACHESCOPE: 'off', ...env };
}

/**
 * Empties a build's data cache (Next keeps it across builds): every run starts from the same state, and
 * cachescope's disk seed stays small instead of growing with every earlier run's sessions.
 */
export function clearDataCache(distDir: string): void {
  rmSync(join(DEMO_DIR, distDir, 'cache', 'fetch-cache'), { recursive: true, force: true });
}

/** Builds (prod) one after the other, then starts both servers at once. */
export async function startPair(options: PairOptions): Promise<Pair> {
  const cacheComponents = options.cacheComponents ?? true;
  const streamPort = await freePort();
  const dist = { with: options.distDir, plain: `${options.distDir}-plain` };
  if (options.mode === 'prod') {
    for (const label of ['with', 'plain'] as const) {
      // Built without options.env (a faulty handler is a run-time choice; builds stay shared across tests).
      await ensureBuild({ cacheComponents, distDir: dist[label], env: sideEnv(label, streamPort) });
      clearDataCache(dist[label]);
    }
  }
  const started = await Promise.allSettled(
    (['with', 'plain'] as const).map((label) =>
      startDemo({ mode: options.mode, cacheComponents, distDir: dist[label], env: sideEnv(label, streamPort, options.env) }),
    ),
  );
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    for (const s of started) if (s.status === 'fulfilled') await s.value.stop();
    throw (failed as PromiseRejectedResult).reason;
  }
  const [withDemo, plainDemo] = started.map((s) => (s as PromiseFulfilledResult<DemoServer>).value) as [DemoServer, DemoServer];
  const sides: Side[] = [
    { label: 'with', demo: withDemo, streamUrl: `http://127.0.0.1:${streamPort}`, actionIds: new Map() },
    { label: 'plain', demo: plainDemo, actionIds: new Map() },
  ];
  return {
    with: sides[0]!,
    plain: sides[1]!,
    both: sides,
    async stop() {
      await Promise.all(sides.map((s) => s.demo.stop()));
    },
  };
}

/** Renders every page once (in dev this compiles it) and resolves every action id. */
export async function warmUp(side: Side, cookie: string): Promise<void> {
  for (const [pattern, path] of Object.entries(PAGES) as [Pattern, string][]) {
    for (const action of ACTIONS[pattern])
      side.actionIds.set(`${pattern} ${action}`, await resolveActionId(side.demo.baseUrl, path, action, cookie));
  }
  await getPage(side.demo.baseUrl, '/', cookie);
}

/** Waits until the backend has seen no new hit for `quietMs` (background revalidations included). */
export async function settle(demo: DemoServer, quietMs = 400, maxMs = 15_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  let last = demo.backend.stats().total;
  let since = Date.now();
  while (Date.now() < deadline) {
    await sleep(50);
    const total = demo.backend.stats().total;
    if (total !== last) {
      last = total;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return;
  }
}

export type Hits = Record<string, Record<string, number>>;

/** Non-zero differences `pattern/user → n` between two backend hit tables. */
export function hitDelta(before: Hits, after: Hits): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [pattern, byUser] of Object.entries(after)) {
    for (const [user, n] of Object.entries(byUser)) {
      const d = n - (before[pattern]?.[user] ?? 0);
      if (d !== 0) out[`${pattern}/${user}`] = d;
    }
  }
  return out;
}

export type StepOutcome = Record<string, unknown>;
export type StepRecord = { step: string; outcome: StepOutcome; hits: Record<string, number> };

/** What a page GET is, once normalised. */
export async function pageOutcome(baseUrl: string, path: string, cookie?: string): Promise<StepOutcome> {
  const page = await getPage(baseUrl, path, cookie);
  return { status: page.status, blocks: blocks(page.dashboards), structure: pageStructure(page.html) };
}

/** What a Server Action POST is, once normalised: status, the revalidation header, re-rendered blocks. */
export async function actionOutcome(side: Side, pattern: Pattern, action: string, cookie: string): Promise<StepOutcome> {
  const id = side.actionIds.get(`${pattern} ${action}`);
  if (!id) throw new Error(`no action id for ${pattern} ${action}`);
  const res = await postActionById(side.demo.baseUrl, PAGES[pattern], id, cookie);
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    revalidated: res.revalidated,
    blocks: blocks(res.dashboards.length ? res.dashboards : parseFlightDashboards(res.body)),
  };
}

/**
 * Runs one step on both sides at once, waits for both backends to go quiet, and records the normalised
 * outcome and the backend hits the step caused on each side.
 */
export async function step(
  pair: Pair,
  name: string,
  run: (side: Side) => Promise<StepOutcome>,
  trace: Record<Side['label'], StepRecord[]>,
  quietMs = 400,
) {
  const before = pair.both.map((s) => s.demo.backend.stats().hits as Hits);
  const outcomes = await Promise.all(pair.both.map((s) => run(s)));
  await Promise.all(pair.both.map((s) => settle(s.demo, quietMs)));
  pair.both.forEach((side, i) => {
    trace[side.label].push({ step: name, outcome: outcomes[i]!, hits: hitDelta(before[i]!, side.demo.backend.stats().hits as Hits) });
  });
}

// ─── a server that may fail or hang: requests that give up ───

/** A GET that gives up after `ms`: status (once headers came), the blocks and structure of what arrived. */
export async function boundedPage(
  baseUrl: string,
  path: string,
  cookie: string | undefined,
  ms: number,
): Promise<StepOutcome & { html: string }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  let status: number | undefined;
  let html = '';
  let timedOut = false;
  try {
    const res = await fetch(new URL(path, baseUrl), { headers: cookie ? { cookie } : {}, redirect: 'manual', signal: controller.signal });
    status = res.status;
    const decoder = new TextDecoder();
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) html += decoder.decode(chunk, { stream: true });
  } catch {
    timedOut = true;
  } finally {
    clearTimeout(timer);
  }
  return { status, timedOut, blocks: blocks(parseDashboards(html)), structure: pageStructure(html), html };
}

export async function boundedAction(side: Side, path: string, actionId: string, cookie: string, ms: number): Promise<StepOutcome> {
  try {
    const res = await fetch(new URL(path, side.demo.baseUrl), {
      method: 'POST',
      headers: {
        'Next-Action': actionId,
        'Content-Type': 'text/plain;charset=UTF-8',
        Accept: 'text/x-component',
        Origin: side.demo.baseUrl,
        Cookie: cookie,
      },
      body: '[]',
      redirect: 'manual',
      signal: AbortSignal.timeout(ms),
    });
    const body = await res.text();
    return { status: res.status, revalidated: res.headers.get('x-action-revalidated'), blocks: blocks(parseFlightDashboards(body)) };
  } catch {
    return { timedOut: true };
  }
}

// ─── cachescope's side ───

export async function snapshotOf(streamUrl: string): Promise<Snapshot> {
  const res = await fetch(`${streamUrl}/snapshot`, { signal: AbortSignal.timeout(10_000) });
  if (res.status !== 200) throw new Error(`/snapshot answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return (await res.json()) as Snapshot;
}

/** The stream port answers (connect + HTTP) or not. */
export async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  }
}

export { parseDashboards };
