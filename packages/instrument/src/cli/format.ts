/**
 * One readable line per event for `cachescope tail`, per event type; unknown types print generically.
 *
 *   13:27:10.123  /pattern-1    fetch         MISS     POST http://127.0.0.1:4100/dashboard?pattern=p1  200 12ms  tags: p1:dashboard-data
 *   13:27:11.040  /broken       revalidate    revalidateTag("dashboard-data", "max") NO-OP (0 entries)  stale-while-revalidate
 *
 * Stateful only to join a revalidation commit to the call that asked for it, and to fold the duplicate commits
 * Next makes once per cache handler.
 */
import type {
  CacheGetEvent,
  CacheScopeEvent,
  CallSiteFields,
  CacheSetEvent,
  DynamicApiEvent,
  FetchEvent,
  Finding,
  InternalErrorEvent,
  RevalidateCallEvent,
  RevalidationCommitEvent,
  SeedEntryEvent,
  UnstableCacheEvent,
  UseCacheEvent,
} from '../protocol/events.js';
import { callText } from '../protocol/call-text.js';

/** An event as it comes off the wire: maybe of a type this version does not know. */
type WireEvent = { id: number; type: string; ts: number } & Record<string, unknown>;

export interface FormatOptions {
  /** ANSI colours (for a TTY). */
  color?: boolean;
}

type Paint = (code: number, text: string) => string;

const RESET = 0;
const BOLD = 1;
const DIM = 2;
const RED = 31;
const GREEN = 32;
const YELLOW = 33;
const MAGENTA = 35;
const CYAN = 36;

function painter(color: boolean | undefined): Paint {
  return color ? (code, text) => `\u001b[${code}m${text}\u001b[${RESET}m` : (_code, text) => text;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Local wall-clock time with milliseconds: `13:27:10.123`. */
export function clock(ts: number): string {
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return '--:--:--.---';
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

const MAX_TAGS = 6;

export function tagList(tags: readonly string[] | undefined): string {
  if (!tags || tags.length === 0) return '';
  const shown = tags.slice(0, MAX_TAGS).join(', ');
  return tags.length > MAX_TAGS ? `${shown} …(+${tags.length - MAX_TAGS})` : shown;
}

function shortKey(key: string | undefined): string {
  if (!key) return '';
  return key.length > 12 ? `${key.slice(0, 12)}…` : key;
}

function decisionLabel(paint: Paint, decision: string): string {
  const label = decision.toUpperCase().padEnd(7);
  switch (decision) {
    case 'hit':
      return paint(GREEN, label);
    case 'miss':
      return paint(YELLOW, label);
    case 'stale':
      return paint(MAGENTA, label);
    case 'skip':
    case 'deduped':
      return paint(DIM, label);
    default:
      return label;
  }
}

const join = (parts: Array<string | false | undefined | null>) => parts.filter((p): p is string => !!p).join('  ');

interface Pending {
  signature: string;
  tags: string[];
  requestId?: string;
  ts: number;
}

const COMMIT_FOLD_MS = 1000;

export class EventFormatter {
  private readonly paint: Paint;
  /** Recent revalidation calls, to name the commit that follows them. */
  private calls: Pending[] = [];
  /** Recent commits printed, to fold Next's one-commit-per-handler duplicates. */
  private commits: Array<{ key: string; ts: number }> = [];

  constructor(readonly options: FormatOptions = {}) {
    this.paint = painter(options.color);
  }

  /** The line for one event, or null when it adds nothing (a duplicate commit). */
  format(event: CacheScopeEvent | WireEvent): string | null {
    const e = event as CacheScopeEvent;
    const route = String(event.route ?? '-').padEnd(12);
    // Cluster mode: every line says which instance it happened on.
    const instance = typeof event.instance === 'string' ? `${this.paint(BOLD, `[${event.instance}]`)} ` : '';
    const head = (type: string) => `${this.paint(DIM, clock(event.ts))}  ${instance}${this.paint(CYAN, route)}  ${type.padEnd(12)}`;
    switch (e.type) {
      case 'fetch':
        return `${head('fetch')}  ${this.fetch(e)}`;
      case 'unstable-cache':
        return `${head('unstable_cache')}  ${this.unstableCache(e)}`;
      case 'use-cache':
        return `${head("'use cache'")}  ${this.useCache(e)}`;
      case 'cache-get':
      case 'cache-set':
        return this.paint(DIM, `${head(e.type)}  ${this.cacheIo(e)}`);
      case 'dynamic-api':
        return `${head('dynamic')}  ${this.dynamic(e)}`;
      case 'revalidate-call':
        return `${head('revalidate')}  ${this.revalidateCall(e)}`;
      case 'revalidation-commit': {
        const text = this.commit(e);
        return text === null ? null : `${head('revalidated')}  ${text}`;
      }
      case 'seed-entry':
        return this.paint(DIM, `${head('seed')}  ${this.seed(e)}`);
      case 'internal-error':
        return `${head('cachescope')}  ${this.internal(e)}`;
      case 'cluster-status':
        return `${head('cluster')}  ${e.status.state === 'lost' ? `cluster view lost: showing this instance only (${e.status.reason ?? 'Redis unreachable'})` : `cluster view ${e.status.state}: instances ${e.status.instances.join(', ')}`}`;
      default:
        return `${head(String(event.type))}  ${generic(event as WireEvent)}`;
    }
  }

  finding(f: Partial<Finding> & { id?: string; kind?: string; message?: string }): string {
    const severity = f.severity ?? 'warning';
    const color = severity === 'error' ? RED : severity === 'warning' ? YELLOW : CYAN;
    const label = this.paint(BOLD, this.paint(color, `FINDING ${f.kind ?? 'unknown'}`));
    const count = f.count && f.count > 1 ? ` (×${f.count})` : '';
    const fix = f.fix?.text ? `  → fix: ${f.fix.text}` : '';
    const when = typeof f.lastTs === 'number' ? clock(f.lastTs) : ''.padEnd(12);
    return `${this.paint(DIM, when)}  ${label}  ${f.message ?? ''}${count}${fix}`;
  }

  gap(gap: { missed?: number; reason?: string }): string {
    const why = gap.reason === 'slow-client' ? 'this terminal fell behind' : 'they left the server buffer before we read them';
    return this.paint(YELLOW, `── missed ${gap.missed ?? '?'} event(s): ${why} ──`);
  }

  clear(): string {
    return this.paint(DIM, '── cleared (POST /clear) ──');
  }

  private fetch(e: FetchEvent): string {
    const tail: string[] = [];
    if (e.status !== undefined) tail.push(String(e.status));
    if (e.durationMs !== undefined) tail.push(`${Math.round(e.durationMs)}ms`);
    const dropped = e.tagsDropped?.length
      ? this.paint(RED, `dropped tags: ${tagList(e.tagsDropped)}${e.dropReason ? ` (${e.dropReason})` : ''}`)
      : '';
    return join([
      decisionLabel(this.paint, e.decision),
      `${e.method ?? 'GET'} ${e.url}`,
      tail.join(' '),
      e.tagsAttached?.length ? `tags: ${tagList(e.tagsAttached)}` : '',
      dropped,
      e.devArtefact && this.paint(DIM, `[dev: ${e.devArtefact}]`),
      e.decision === 'skip' && e.reason && this.paint(DIM, `· ${e.reason}`),
      ...this.site(e),
    ]);
  }

  private unstableCache(e: UnstableCacheEvent): string {
    return join([
      decisionLabel(this.paint, e.decision),
      e.fnName || `key ${shortKey(e.keyHash)}`,
      e.tags?.length ? `tags: ${tagList(e.tags)}` : '',
      e.revalidate !== undefined && `revalidate: ${e.revalidate}`,
      ...this.site(e),
    ]);
  }

  private useCache(e: UseCacheEvent): string {
    const life = e.cacheLife
      ? `life: ${[e.cacheLife.stale, e.cacheLife.revalidate, e.cacheLife.expire].map((n) => n ?? '-').join('/')}s`
      : '';
    const fn = e.functionId.length > 24 ? `${e.functionId.slice(0, 24)}…` : e.functionId;
    return join([
      decisionLabel(this.paint, e.decision),
      fn,
      e.handlerKind && e.handlerKind !== 'default' && `(${e.handlerKind})`,
      e.tags?.length ? `tags: ${tagList(e.tags)}` : '',
      life,
      e.error && this.paint(RED, `· ${e.error}`),
      !e.error && e.reason && this.paint(DIM, `· ${e.reason}`),
      ...this.site(e),
    ]);
  }

  private cacheIo(e: CacheGetEvent | CacheSetEvent): string {
    return join([
      e.type === 'cache-get' ? e.result.toUpperCase().padEnd(7) : 'SET'.padEnd(7),
      e.kind,
      e.url ?? shortKey(e.key),
      e.tags?.length ? `tags: ${tagList(e.tags)}` : '',
      `(${e.handler})`,
    ]);
  }

  /** Where the app made the call, and why it is not in the source when it is not. */
  private site(e: CallSiteFields): (string | false | undefined)[] {
    return [e.callSite && this.paint(DIM, `at ${e.callSite}`), e.site?.unresolved && this.paint(DIM, `(${e.site.unresolved})`)];
  }

  private dynamic(e: DynamicApiEvent): string {
    return join([`${e.api}()`, ...this.site(e)]);
  }

  private revalidateCall(e: RevalidateCallEvent): string {
    const signature = callText(e.api, e.args ?? []);
    this.calls.push({ signature, tags: e.tags ?? [], requestId: e.requestId, ts: e.ts });
    if (this.calls.length > 100) this.calls = this.calls.slice(-100);
    return join([this.paint(BOLD, signature), e.error ? this.paint(RED, `threw: ${e.error}`) : 'requested', ...this.site(e)]);
  }

  private commit(e: RevalidationCommitEvent): string | null {
    if (e.coalescedInto !== undefined) return null;
    const tags = [...(e.tags ?? [])].sort();
    const key = `${e.requestId ?? ''}|${tags.join(',')}`;
    this.commits = this.commits.filter((c) => e.ts - c.ts < COMMIT_FOLD_MS);
    if (this.commits.some((c) => c.key === key)) return null;
    this.commits.push({ key, ts: e.ts });

    const call = this.findCall(e);
    const what = call ? this.paint(BOLD, call.signature) : `tags: ${tagList(e.tags)}`;
    let effect = '';
    if (e.matched) {
      if (e.matched.length === 0) effect = this.paint(RED, 'NO-OP (0 entries)');
      else {
        const scopes = new Set(e.matched.map((m) => m.scope).filter(Boolean)).size;
        const kinds = [...new Set(e.matched.map((m) => m.kind))].join(', ');
        effect = this.paint(
          GREEN,
          `→ ${e.matched.length} ${e.matched.length === 1 ? 'entry' : 'entries'}${scopes > 1 ? ` across ${scopes} user scopes` : ''} (${kinds})`,
        );
      }
    }
    return join([what, effect, this.paint(DIM, e.mode), ...(e.notes ?? []).map((n) => this.paint(DIM, `· ${n}`))]);
  }

  private findCall(e: RevalidationCommitEvent): Pending | undefined {
    const tags = new Set(e.tags ?? []);
    for (let i = this.calls.length - 1; i >= 0; i--) {
      const call = this.calls[i]!;
      if (e.ts - call.ts > 60_000) break;
      if (call.requestId && e.requestId && call.requestId !== e.requestId) continue;
      if (call.tags.some((t) => tags.has(t))) return call;
    }
    return undefined;
  }

  private seed(e: SeedEntryEvent): string {
    return join([e.kind, shortKey(e.key), e.tags?.length ? `tags: ${tagList(e.tags)}` : '', `(${e.source})`]);
  }

  private internal(e: InternalErrorEvent): string {
    return this.paint(RED, `internal error in ${e.where}: ${e.message}${e.count > 1 ? ` (×${e.count})` : ''}`);
  }
}

const SKIP_KEYS = new Set(['id', 'type', 'ts', 'pid', 'instance', 'route', 'requestId', 'workUnit', 'phase', 'requestKind']);

/** `key=value` pairs of whatever an unknown event carries, shortened. */
export function generic(event: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(event)) {
    if (SKIP_KEYS.has(key) || value === undefined) continue;
    let text: string;
    try {
      text = typeof value === 'string' ? value : JSON.stringify(value);
    } catch {
      text = String(value);
    }
    if (text.length > 80) text = `${text.slice(0, 79)}…`;
    parts.push(`${key}=${text}`);
  }
  const line = parts.join(' ');
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}
