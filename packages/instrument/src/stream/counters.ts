import type { StreamStats } from './types.js';

/** Mutable counters shared by the parts of one stream server; `stats()` copies them out. */
export type Counters = Omit<StreamStats, 'mode' | 'port' | 'clients' | 'clientPendingBytes'>;

export function createCounters(): Counters {
  return {
    clientsTotal: 0,
    framesSent: 0,
    eventsSent: 0,
    droppedFrames: 0,
    missedEvents: 0,
    gapsSent: 0,
    slowClientsDisconnected: 0,
    refused: 0,
    errors: 0,
    ingestedEvents: 0,
    forwardedEvents: 0,
    forwardErrors: 0,
    forwardMissed: 0,
    maxClientPendingBytes: 0,
  };
}
