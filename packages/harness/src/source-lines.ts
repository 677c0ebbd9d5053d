// Where a call is in the demo's source, read from the file (tests never hard-code line numbers).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_DIR } from './paths';

/** The 1-based line of the demo's `file` (relative to the demo) holding `text`, after the line holding `after` when given. */
export function lineOf(file: string, text: string, after?: string): number {
  const lines = readFileSync(join(DEMO_DIR, file), 'utf8').split('\n');
  const from = after === undefined ? 0 : lines.findIndex((l) => l.includes(after));
  const at = lines.findIndex((l, i) => i >= from && l.includes(text));
  if (from === -1 || at === -1) throw new Error(`${text} not found in ${file}`);
  return at + 1;
}
