// vitest globalSetup: one run id for build reuse across test files, and a last-resort sweep of
// any server process group a crashed worker left behind.
import { randomBytes } from 'node:crypto';
import { sweepLeftovers } from './processes';

export default function setup() {
  process.env.CACHESCOPE_HARNESS_RUN_ID ??= `${Date.now()}-${randomBytes(4).toString('hex')}`;
  sweepLeftovers();
  return () => {
    const killed = sweepLeftovers();
    if (killed.length) console.warn(`[harness] killed leftover servers:\n  ${killed.join('\n  ')}`);
  };
}
