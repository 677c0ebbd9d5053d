// Feeds events to the analysis one at a time, in order, as the pipeline's flush does.
import type { Analyzer } from '../../src/analysis/analyzer.js';
import type { CacheScopeEvent } from '../../src/protocol/events.js';

export function ingestEach(analyzer: Analyzer, events: Iterable<CacheScopeEvent>): void {
  for (const event of events) analyzer.ingest(event);
}
