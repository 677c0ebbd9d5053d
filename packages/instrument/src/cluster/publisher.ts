/**
 * This instance's events to the app's Redis Stream. Off the request path: the pipeline hands over event
 * references at its flush, a timer sends them in batches (one `XADD … MAXLEN ~` entry per batch). The queue is
 * bounded; while Redis is slow or away, what does not fit is dropped and counted, never waited for.
 */
import type { CacheScopeEvent } from '../protocol/events.js';
import { serializeEvent } from '../stream/sse.js';
import type { ClusterConfig } from './config.js';
import type { RedisLink } from './load-redis.js';

export class Publisher {
  published = 0;
  dropped = 0;
  errors = 0;
  private queue: CacheScopeEvent[] = [];
  private inFlight = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly client: RedisLink,
    private readonly config: Pick<ClusterConfig, 'key' | 'instance' | 'maxLen' | 'maxQueue' | 'batchEvents' | 'batchMs'>,
  ) {
    this.timer = setInterval(() => this.tick(), config.batchMs);
    this.timer.unref();
  }

  enqueue(events: readonly CacheScopeEvent[]): void {
    const room = this.config.maxQueue - this.queue.length;
    if (room <= 0) {
      this.dropped += events.length;
      return;
    }
    if (events.length > room) {
      this.dropped += events.length - room;
      events = events.slice(0, room);
    }
    for (const event of events) this.queue.push(event);
  }

  get queued(): number {
    return this.queue.length;
  }

  stop(): void {
    clearInterval(this.timer);
    this.queue = [];
  }

  private tick(): void {
    if (this.inFlight || this.queue.length === 0) return;
    if (!this.client.isReady) {
      // Redis away: the newest events wait up to the queue's bound (enqueue drops beyond it).
      return;
    }
    const batch = this.queue.splice(0, this.config.batchEvents);
    const body = `[${batch.map(serializeEvent).join(',')}]`;
    this.inFlight = true;
    this.client
      .sendCommand(['XADD', this.config.key, 'MAXLEN', '~', String(this.config.maxLen), '*', 'i', this.config.instance, 'e', body])
      .then(
        () => {
          this.published += batch.length;
        },
        () => {
          this.errors++;
          this.dropped += batch.length;
        },
      )
      .finally(() => {
        this.inFlight = false;
      });
  }
}
