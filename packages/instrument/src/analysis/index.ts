/**
 * The framework-free core of cachescope: the event model, redaction, the decision correction, the tag
 * index, the analysis and the findings. Imports nothing from next, react or Node I/O.
 */
export * from '../protocol/events.js';
export { shortHash, scopeHash, type ScopeInputs } from './hash.js';
export {
  redacted,
  isRedacted,
  redactUrl,
  redactHeaders,
  redactText,
  secretsFromRequest,
  isSensitiveName,
  isSensitiveHeader,
  REDACTED_OPEN,
  REDACTED_CLOSE,
  type HeadersLike,
} from './redact.js';
export { RingBuffer, DEFAULT_RING_CAPACITY } from './ring-buffer.js';
export {
  deriveNextReason,
  explainReason,
  collectsFetchTags,
  INFINITE_CACHE,
  HARD_REFRESH_REASON,
  type ReasonInputs,
  type DerivedReason,
  type Explanation,
  type ExplainContext,
  type SegmentFetchCache,
} from './reasons.js';
export { decideFetch, type FetchFacts, type FetchVerdict, type LookupResult } from './decision.js';
export { tagFate, type TagFate, type TagFateInputs } from './tag-fate.js';
export {
  revalidatePathTags,
  tagsForRevalidateCall,
  implicitTagsFor,
  commitModeFromDurations,
  expectedCommitMode,
  encodeHeaderSafe,
  isImplicitTag,
  isDynamicRoutePath,
  IMPLICIT_TAG_PREFIX,
} from './revalidate-semantics.js';
export { TagIndex, DEFAULT_MAX_ENTRIES, type IndexEntry, type EntryInput, type MatchResult, type UpsertResult } from './tag-index.js';
export { TagHistory, type TagRecord } from './tag-history.js';
export { RevalidationTracker } from './revalidations.js';
export { Analyzer, createAnalyzer, type AnalyzerOptions } from './analyzer.js';
export * as findingBuilders from './findings.js';
export { closestTag, editDistance } from './edit-distance.js';
