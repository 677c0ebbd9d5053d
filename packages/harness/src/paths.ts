import { join } from 'node:path';
import { DEMO_DIR } from '../demo-dir.mjs';

export { DEMO_DIR };
export const NEXT_BIN = join(DEMO_DIR, 'node_modules', '.bin', 'next');
export const ARTIFACTS_DIR = join(DEMO_DIR, 'test-artifacts');
