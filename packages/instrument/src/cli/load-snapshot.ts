/** A snapshot from the server (`GET /snapshot`) or from a saved file; failures become a message and exit code 2. */
import { readFile } from 'node:fs/promises';
import type { Snapshot } from '../protocol/events.js';
import { BadResponse, Unreachable, getJson, unreachableHint } from './http.js';

export type Loaded = { ok: true; snapshot: Snapshot; from: string } | { ok: false; message: string };

function looksLikeSnapshot(value: unknown): value is Snapshot {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.schemaVersion === 'number' && Array.isArray(v.events) && Array.isArray(v.findings);
}

export async function loadSnapshot(source: { url: string } | { file: string }): Promise<Loaded> {
  if ('file' in source) {
    let value: unknown;
    try {
      value = JSON.parse(await readFile(source.file, 'utf8'));
    } catch (error) {
      return { ok: false, message: `cachescope: cannot read ${source.file}: ${(error as Error).message}` };
    }
    return looksLikeSnapshot(value)
      ? { ok: true, snapshot: value, from: source.file }
      : { ok: false, message: `cachescope: ${source.file} is not a cachescope snapshot (schemaVersion, events, findings)` };
  }
  const url = `${source.url}/snapshot`;
  try {
    const value = await getJson(url);
    return looksLikeSnapshot(value)
      ? { ok: true, snapshot: value, from: source.url }
      : { ok: false, message: `cachescope: ${url} did not answer a cachescope snapshot` };
  } catch (error) {
    if (error instanceof Unreachable) return { ok: false, message: unreachableHint(source.url, error.code) };
    if (error instanceof BadResponse) return { ok: false, message: `cachescope: ${error.message}` };
    return { ok: false, message: `cachescope: ${(error as Error).message}` };
  }
}
