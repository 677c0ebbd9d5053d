// apps/demo, for plain-node scripts (benches, quickstart) as well as the TypeScript harness.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEMO_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'apps', 'demo');
