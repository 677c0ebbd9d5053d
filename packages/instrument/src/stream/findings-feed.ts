/**
 * Live findings for SSE clients: after a flush, the findings that are new or changed since the last look go out
 * as one `event: findings` message (a new client gets all current ones on connect). Only when the source offers
 * `findings()`; the analysis behind it is the source's business (it is called at most once per batch interval).
 */
import type { FindingLike, StreamSource } from './types.js';

export class FindingsFeed {
  private sent = new Map<string, string>();

  constructor(private readonly source: Pick<StreamSource<never, unknown>, 'findings'>) {}

  get enabled(): boolean {
    return typeof this.source.findings === 'function';
  }

  /** Every current finding (for a client that just connected). */
  all(): readonly FindingLike[] {
    return this.enabled ? this.source.findings!() : [];
  }

  /** Findings new or changed (count / lastTs) since the previous call; empty when nothing changed. */
  changed(): FindingLike[] {
    if (!this.enabled) return [];
    const out: FindingLike[] = [];
    const seen = new Map<string, string>();
    for (const finding of this.source.findings!()) {
      const signature = `${finding.count ?? ''}|${finding.lastTs ?? ''}`;
      seen.set(finding.id, signature);
      if (this.sent.get(finding.id) !== signature) out.push(finding);
    }
    this.sent = seen;
    return out;
  }

  reset(): void {
    this.sent.clear();
  }
}
