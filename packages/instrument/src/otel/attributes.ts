// Every attribute cachescope puts on a span, a span event or a link: one namespace, `cachescope.*`.
// Values come from events, which are already redacted (URLs, header values, keys hashed); nothing here
// reads a raw request input.

export const SPAN_NAMES = {
  fetch: 'cachescope fetch',
  unstableCache: 'cachescope unstable_cache',
  useCache: 'cachescope use cache',
  revalidateTag: 'cachescope revalidateTag',
  updateTag: 'cachescope updateTag',
  revalidatePath: 'cachescope revalidatePath',
  refresh: 'cachescope refresh',
  /** What a handler received from Next (the commit), with the entries it reached. */
  revalidation: 'cachescope revalidation',
  /** Carries a finding whose triggering event has no span of its own. */
  finding: 'cachescope finding',
} as const;

/** Span event name of a finding. */
export const FINDING_EVENT = 'cachescope.finding';

export const ATTR = {
  // every cachescope span
  /** The event's id in cachescope's own stream (overlay, CLI, snapshot). */
  eventId: 'cachescope.event.id',
  /** On `cachescope finding` spans: the type of the event that triggered the finding. */
  eventType: 'cachescope.event.type',
  route: 'cachescope.route',
  /** Only when not `request` (e.g. `unstable-cache`, `cache`, `prerender`). */
  workUnit: 'cachescope.work_unit',
  /** Only when not `render` (`action`, `after`). */
  phase: 'cachescope.phase',
  /** On revalidation spans: `page`, `action`, `route-handler`. */
  requestKind: 'cachescope.request.kind',
  /**
   * Short hash of the user scope (cookie / authorization), never the value. For unstable_cache: the hash
   * of its key parts and arguments.
   */
  scope: 'cachescope.scope',

  // cached calls
  /** hit | stale | miss | skip | deduped (corrected; Next's own report is `next.cache_status`). */
  decision: 'cachescope.decision',
  /** The corrected reason, in words. */
  reason: 'cachescope.reason',
  reasonCode: 'cachescope.reason_code',
  devArtefact: 'cachescope.dev_artefact',
  /** Hashed cache key (same hash as the event stream and the matched entries). */
  key: 'cachescope.key',
  /** Tags of an unstable_cache / 'use cache' call, of a revalidation. */
  tags: 'cachescope.tags',
  tagsDeclared: 'cachescope.tags.declared',
  tagsAttached: 'cachescope.tags.attached',
  tagsAttachedTo: 'cachescope.tags.attached_to',
  tagsDropped: 'cachescope.tags.dropped',
  dropReason: 'cachescope.tags.drop_reason',
  revalidate: 'cachescope.revalidate',

  // fetch
  fetchMethod: 'cachescope.fetch.method',
  /** Redacted URL (secret query values replaced by their hash). */
  fetchUrl: 'cachescope.fetch.url',
  fetchStatus: 'cachescope.fetch.status',
  fetchCache: 'cachescope.fetch.cache',
  /** Request-scoped headers the fetch forwarded: names only (`cookie`, `authorization`). */
  fetchForwarded: 'cachescope.fetch.forwarded',
  /** Next's `next.fetch.cache_status` / `cache_reason` (16.3+), copied when its fetch span was seen. */
  nextCacheStatus: 'cachescope.next.cache_status',
  nextCacheReason: 'cachescope.next.cache_reason',

  // unstable_cache / 'use cache'
  fnName: 'cachescope.unstable_cache.fn_name',
  functionId: 'cachescope.use_cache.function_id',
  handlerKind: 'cachescope.use_cache.handler',
  cacheLifeStale: 'cachescope.cache_life.stale',
  cacheLifeRevalidate: 'cachescope.cache_life.revalidate',
  cacheLifeExpire: 'cachescope.cache_life.expire',

  // revalidations
  revalidateApi: 'cachescope.revalidate.api',
  revalidateArgs: 'cachescope.revalidate.args',
  revalidateProfile: 'cachescope.revalidate.profile',
  callSite: 'cachescope.call_site',
  // the call site in the app's source, under OpenTelemetry's semantic-convention names
  codeFilePath: 'code.file.path',
  codeLineNumber: 'code.line.number',
  codeColumnNumber: 'code.column.number',
  codeFunctionName: 'code.function.name',
  error: 'cachescope.error',
  /** Which cache handler received the commit (`incremental`, `use-cache:default`, …). */
  handler: 'cachescope.revalidate.handler',
  /** expire-now | stale-while-revalidate */
  mode: 'cachescope.mode',
  expireSeconds: 'cachescope.expire_seconds',
  matchedCount: 'cachescope.matched.count',
  matchedKeys: 'cachescope.matched.keys',
  matchedKinds: 'cachescope.matched.kinds',
  matchedRoutes: 'cachescope.matched.routes',
  matchedScopes: 'cachescope.matched.scopes',

  // span events (findings)
  findingId: 'cachescope.finding.id',
  findingKind: 'cachescope.finding.kind',
  findingSeverity: 'cachescope.finding.severity',
  findingMessage: 'cachescope.finding.message',
  findingFix: 'cachescope.finding.fix',
  findingFixPattern: 'cachescope.finding.fix_pattern',
  findingTags: 'cachescope.finding.tags',
  findingCount: 'cachescope.finding.count',

  // links
  /** `created-entry`: the linked span wrote an entry this revalidation reached. */
  linkKind: 'cachescope.link.kind',
  /** The revalidated tag that matched the linked entry. */
  linkTag: 'cachescope.link.tag',
} as const;

export type AttributeName = (typeof ATTR)[keyof typeof ATTR];
