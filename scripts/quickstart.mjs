#!/usr/bin/env node
// The README's two commands, for a machine with only Node 20+ and npm:
//   npm run demo   install, build, start the demo's backend and `next dev` with cachescope, print the URL
//   npm test       install, build, typecheck and run every test (unit, integration against real Next, browser)
// It bootstraps the pinned pnpm into ./.tools so nothing global is needed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];
const toolsBin = join(root, '.tools', 'node_modules', '.bin');
const env = {
  ...process.env,
  PATH: `${toolsBin}:${process.env.PATH}`,
  NEXT_TELEMETRY_DISABLED: '1',
  TURBO_TELEMETRY_DISABLED: '1',
  DO_NOT_TRACK: '1',
};

function run(cmd, args, opts = {}) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, env, stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`\n✖ ${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

function ensurePnpm() {
  const have = spawnSync(join(toolsBin, 'pnpm'), ['--version'], { encoding: 'utf8', env });
  if (have.status === 0 && have.stdout.trim() === pinned) return;
  run('npm', ['install', '--prefix', join(root, '.tools'), '--no-audit', '--no-fund', '--no-save', `pnpm@${pinned}`]);
}

function chromiumPath() {
  const candidate = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(candidate)) return candidate;
  console.error(
    `\n✖ Chromium not found at ${candidate}. The browser tests use Debian's Chromium:\n` +
      `    sudo apt-get update && sudo apt-get install -y chromium\n` +
      `  or point CHROMIUM_PATH at a Chromium/Chrome binary.`,
  );
  process.exit(1);
}

function freePort(preferred) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => {
      const any = createServer();
      any.listen(0, '127.0.0.1', () => {
        const { port } = any.address();
        any.close(() => resolve(port));
      });
    });
    probe.listen(preferred, '127.0.0.1', () => probe.close(() => resolve(preferred)));
  });
}

const reportDirs = ['packages/instrument', 'packages/overlay', 'apps/demo'].map((d) => join(root, d, 'test-artifacts'));
const vitestReports = () =>
  reportDirs.filter(existsSync).flatMap((dir) =>
    readdirSync(dir)
      .filter((n) => /^vitest-.*\.json$/.test(n))
      .map((n) => join(dir, n)),
  );

const firstLine = (text) =>
  String(text ?? '')
    .split('\n')[0]
    .slice(0, 300);
/** A file that failed before or around its tests (import error, hook timeout) has no failed test of its own. */
const failedOutsideItsTests = (file) => file.status === 'failed' && !(file.assertionResults ?? []).some((t) => t.status === 'failed');

function failedTests(report) {
  const lines = [];
  for (const file of report.testResults ?? []) {
    const where = relative(root, file.name ?? '');
    for (const t of file.assertionResults ?? []) {
      if (t.status === 'failed') lines.push(`FAILED ${where} > ${t.fullName ?? t.title}\n  ${firstLine(t.failureMessages?.[0])}`);
    }
    if (failedOutsideItsTests(file)) lines.push(`FAILED ${where}\n  ${firstLine(file.message)}`);
  }
  return lines;
}

/** Sums the vitest JSON reports into the plain closing line CI reads. */
function printTotals() {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const failures = [];
  for (const f of vitestReports()) {
    const report = JSON.parse(readFileSync(f, 'utf8'));
    passed += report.numPassedTests ?? 0;
    // A file that failed outside its tests counts once.
    failed += (report.numFailedTests ?? 0) + (report.testResults ?? []).filter(failedOutsideItsTests).length;
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    failures.push(...failedTests(report));
  }
  // CI shows only the end of the output: name each failure there, with the first line of its error.
  for (const line of failures) console.log(line);
  console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  return failed;
}

async function demo() {
  ensurePnpm();
  run('pnpm', ['install', '--frozen-lockfile']);
  run('pnpm', ['turbo', 'run', 'build', '--filter=./packages/*', '--output-logs=errors-only']);
  const backendPort = await freePort(Number(process.env.BACKEND_PORT ?? 4100));
  const port = await freePort(Number(process.env.PORT ?? 3000));
  const demoDir = join(root, 'apps', 'demo');
  const backendUrl = `http://127.0.0.1:${backendPort}`;
  const children = [
    spawn(process.execPath, [join(root, 'packages', 'harness', 'backend', 'server.mjs')], {
      cwd: demoDir,
      env: { ...env, BACKEND_PORT: String(backendPort) },
      stdio: 'inherit',
    }),
    spawn(join(demoDir, 'node_modules', '.bin', 'next'), ['dev', '-H', '127.0.0.1', '-p', String(port)], {
      cwd: demoDir,
      env: { ...env, BACKEND_URL: backendUrl },
      stdio: 'inherit',
    }),
  ];
  const stop = () => {
    for (const c of children) c.kill('SIGTERM');
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  for (const c of children) c.on('exit', (code) => code && stop());
  console.log(`\n  cachescope demo: http://127.0.0.1:${port}   (backend ${backendUrl}; Ctrl-C stops both)\n`);
}

function test() {
  ensurePnpm();
  chromiumPath();
  run('pnpm', ['install', '--frozen-lockfile']);
  run('pnpm', ['turbo', 'run', 'build', 'typecheck', '--output-logs=errors-only']);
  // Biome checks format and lint; unit, integration and safety runs each write a vitest JSON report. A failure
  // still lets the other steps run.
  const steps = [
    ['run', 'lint'],
    ['turbo', 'run', 'test', '--concurrency=1', '--continue'],
    ['turbo', 'run', 'test:integration', '--concurrency=1', '--continue'],
    ['turbo', 'run', 'test:safety', '--concurrency=1', '--continue'],
  ];
  for (const f of vitestReports()) rmSync(f);
  let exit = 0;
  for (const args of steps) {
    console.log(`\n$ pnpm ${args.join(' ')}`);
    const r = spawnSync('pnpm', args, { cwd: root, env, stdio: 'inherit' });
    if (r.status !== 0) exit = r.status || 1;
  }
  const failed = printTotals();
  process.exit(exit || (failed ? 1 : 0));
}

const command = process.argv[2];
if (command === 'demo') await demo();
else if (command === 'test') test();
else {
  console.error('usage: node scripts/quickstart.mjs demo|test');
  process.exit(2);
}
