// Several instances of one app: copies of a fixture in directories of their own (no shared file system, as on
// several machines) that all carry the same package name, so cachescope sees one app.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyFixtureApp, type FixtureApp } from './fixture-app';

export function copyInstance(fixture: string, dirName: string, appName: string): FixtureApp {
  const copy = copyFixtureApp(fixture, dirName);
  writeFileSync(join(copy.dir, 'package.json'), `${JSON.stringify({ name: appName, private: true, type: 'module' }, null, 2)}\n`);
  return { name: appName, dir: copy.dir };
}
