// What Next 16 really does with the article's patterns, pinned by backend hit counters and the
// data-fetch-no the page shows. cacheComponents on (the demo's default), prod and dev.
import { describe } from 'vitest';
import { brokenFacts } from './facts/broken';
import { perUserCacheFacts } from './facts/per-user-cache';
import { reactCacheFacts } from './facts/react-cache';
import { sledgehammerFacts } from './facts/sledgehammer';
import { useDemo } from './support';

describe.each(['prod', 'dev'] as const)('cacheComponents on, next %s', (mode) => {
  const ctx = useDemo(mode, true);
  brokenFacts(ctx);
  perUserCacheFacts(ctx, 'p1');
  perUserCacheFacts(ctx, 'p2');
  reactCacheFacts(ctx);
  sledgehammerFacts(ctx);
});
