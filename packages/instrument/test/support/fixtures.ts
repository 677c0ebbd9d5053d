// Loads an event-stream fixture from test/fixtures (hand-made `handmade-*.json`, or captured goldens).
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CacheScopeEvent } from '../../src/protocol/events.js';

export interface EventFixture {
  description: string;
  source: string;
  events: CacheScopeEvent[];
}

export const FIXTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

export function loadFixture(name: string): EventFixture {
  const file = name.endsWith('.json') ? name : `${name}.json`;
  return JSON.parse(readFileSync(join(FIXTURES_DIR, file), 'utf8')) as EventFixture;
}

export function fixtureNames(prefix = ''): string[] {
  return readdirSync(FIXTURES_DIR)
    .filter((f) => f.endsWith('.json') && f.startsWith(prefix))
    .sort();
}
