/** Export the session as JSON, and read one back (an exported session or a bare `/snapshot` body). */
import type { OverlayState } from './store.js';
import type { SessionFile, Snapshot } from './types.js';

export function buildSessionFile(state: OverlayState, streamUrl?: string, now = Date.now()): SessionFile {
  return {
    cachescope: 'session',
    schemaVersion: 1,
    exportedAt: now,
    streamUrl,
    ...(state.connection.app ? { app: state.connection.app } : {}),
    snapshot: {
      schemaVersion: 1,
      ...(state.connection.app?.dir ? { app: state.connection.app as NonNullable<Snapshot['app']> } : {}),
      generatedAt: state.analysis.generatedAt,
      events: [...state.events],
      tags: state.analysis.tags,
      revalidations: state.analysis.revalidations,
      findings: state.analysis.findings,
      dropped: state.serverDropped,
      index: state.analysis.index,
      internalErrors: state.analysis.internalErrors,
    },
  };
}

export function sessionFileName(now = Date.now()): string {
  return `cachescope-session-${new Date(now).toISOString().replace(/[:.]/g, '-')}.json`;
}

export class SessionFileError extends Error {}

/** Parse an imported file. Throws `SessionFileError` with a message fit for the user. */
export function parseSessionFile(text: string): Partial<Snapshot> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new SessionFileError('The file is not JSON.');
  }
  if (typeof data !== 'object' || data === null) throw new SessionFileError('The file is not a cachescope session.');
  const record = data as Record<string, unknown>;
  const snapshot = (record.cachescope === 'session' ? record.snapshot : record) as Record<string, unknown> | undefined;
  if (!snapshot || typeof snapshot !== 'object' || !Array.isArray(snapshot.events)) {
    throw new SessionFileError('The file has no events: expected an exported cachescope session or a /snapshot body.');
  }
  if (typeof snapshot.schemaVersion === 'number' && snapshot.schemaVersion !== 1) {
    throw new SessionFileError(`Schema version ${snapshot.schemaVersion} is not supported (this overlay reads version 1).`);
  }
  return snapshot as Partial<Snapshot>;
}
