/** Messages the leader tab relays to the other tabs of the same app (BroadcastChannel). */
import type { Analysis, CacheScopeEvent, ConnectionState, Finding, StreamGap } from '../store/types.js';

export type TabMessage =
  | { t: 'batch'; events: CacheScopeEvent[] }
  | { t: 'analysis'; analysis: Analysis; dropped?: number }
  | { t: 'findings'; findings: Finding[] }
  | { t: 'gap'; gap: StreamGap }
  | { t: 'clear' }
  | { t: 'status'; connection: ConnectionState }
  | { t: 'join' };

export interface TabChannel {
  post(message: TabMessage): void;
  close(): void;
}

type ChannelCtor = new (name: string) => BroadcastChannel;

/** A BroadcastChannel named after the stream URL, or null when the runtime has none. */
export function openTabChannel(
  name: string,
  onMessage: (message: TabMessage) => void,
  Ctor: ChannelCtor | undefined = (globalThis as { BroadcastChannel?: ChannelCtor }).BroadcastChannel,
): TabChannel | null {
  if (!Ctor) return null;
  const channel = new Ctor(name);
  channel.onmessage = (event: MessageEvent) => {
    const message = event.data as TabMessage | undefined;
    if (message && typeof message === 'object' && typeof message.t === 'string') onMessage(message);
  };
  return {
    post(message) {
      try {
        channel.postMessage(message);
      } catch {
        /* uncloneable or closed: the other tabs catch up from their own snapshot */
      }
    },
    close() {
      channel.onmessage = null;
      channel.close();
    },
  };
}
