/** The real snapshot captured from apps/demo (see its `scenario` field). */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Snapshot } from '../../src/store/types.js';

// string paths only: under happy-dom the global URL is the DOM's, not Node's
const PATH = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'demo-dev-session.snapshot.json');

export function loadDemoSnapshot(): Snapshot & { scenario: string } {
  return JSON.parse(readFileSync(PATH, 'utf8'));
}
