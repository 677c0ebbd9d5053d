// Fact 6: the same facts with cacheComponents off (DEMO_CACHE_COMPONENTS=0, distDir .next-nocc).
import { describe } from 'vitest';
import { brokenFacts } from './facts/broken';
import { perUserCacheFacts } from './facts/per-user-cache';
import { reactCacheFacts } from './facts/react-cache';
import { sledgehammerFacts } from './facts/sledgehammer';
import { useDemo } from './support';

describe.each(['prod', 'dev'] as const)('cacheComponents off, next %s', (mode) => {
  const ctx = useDemo(mode, false);
  brokenFacts(ctx);
  perUserCacheFacts(ctx, 'p1');
  perUserCacheFacts(ctx, 'p2');
  reactCacheFacts(ctx);
  sledgehammerFacts(ctx);
});
