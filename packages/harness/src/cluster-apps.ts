// Several instances of one app: copies in directories of their own (no shared file system, as on several
// machines) that all carry the same package name, so cachescope sees one app. The app is the monorepo-app
// fixture with test/apps/cluster-app laid over it (its next.config: the demo's Redis handler with DEMO_REDIS_URL).
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyFixtureApp, type FixtureApp } from './fixture-app';
import { DEMO_DIR } from './paths';

export function copyInstance(dirName: string, appName: string): FixtureApp {
  const copy = copyFixtureApp('monorepo-app', dirName);
  cpSync(join(DEMO_DIR, 'test', 'apps', 'cluster-app'), copy.dir, { recursive: true });
  writeFileSync(join(copy.dir, 'package.json'), `${JSON.stringify({ name: appName, private: true, type: 'module' }, null, 2)}\n`);
  return { name: appName, dir: copy.dir };
}
