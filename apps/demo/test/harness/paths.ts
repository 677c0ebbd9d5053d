import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** apps/demo */
export const DEMO_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const NEXT_BIN = join(DEMO_DIR, 'node_modules', '.bin', 'next');
export const ARTIFACTS_DIR = join(DEMO_DIR, 'test-artifacts');
