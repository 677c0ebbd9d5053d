#!/usr/bin/env node
/**
 * Bundles src/standalone.tsx (with React, react-dom and zustand, production builds) into one self-contained
 * ES module, dist/standalone.js (and its dist/standalone.d.ts): the page the instrument's stream server serves at `/` loads it from
 * `/ui/standalone.js`. Run by `pnpm build` after tsc.
 *
 *   node scripts/bundle-standalone.mjs [outfile]
 */
import { statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = resolve(process.argv[2] ?? join(pkg, 'dist', 'standalone.js'));

await build({
  absWorkingDir: pkg,
  entryPoints: [join(pkg, 'src', 'standalone.tsx')],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022', 'chrome111', 'firefox111', 'safari16.4'],
  jsx: 'automatic',
  minify: true,
  legalComments: 'eof',
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});

// the module only mounts the UI into #root; its types say it exports nothing (a "types" condition for the export)
writeFileSync(
  outfile.replace(/\.js$/, '.d.ts'),
  '/** The standalone window (served by the stream server at `/`): mounts the overlay into #root; exports nothing. */\nexport {};\n',
);

console.log(`standalone bundle: ${relative(process.cwd(), outfile) || outfile} (${(statSync(outfile).size / 1024).toFixed(1)} KiB)`);
