// The tags of the demo's shapes pages (apps/demo/lib/shapes.ts), for tests that assert on them.
export { LONG_TAG, NON_ASCII_TAG } from '../../../apps/demo/lib/shapes';
