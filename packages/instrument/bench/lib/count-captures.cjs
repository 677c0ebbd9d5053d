// Preloaded (`node --require`) into a Next server by bench/captures.bench.mjs: counts and times the call-site
// captures cachescope makes (src/hooks/shims/call-site.ts names its holder 'call site') and writes the
// totals every 200 ms to `<CACHESCOPE_CAPTURES_DIR>/<pid>-<thread>.json`: `next dev` runs the app in a
// child process of the CLI, and worker threads inherit the preload too. Other code's captures pass through untouched.
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { threadId } = require('node:worker_threads');

const dir = process.env.CACHESCOPE_CAPTURES_DIR;
const original = Error.captureStackTrace;
const totals = { count: 0, ns: 0 };
Error.captureStackTrace = function captureStackTrace(holder, above) {
  if (holder?.name !== 'call site') return original.call(this, holder, above);
  const start = process.hrtime.bigint();
  try {
    return original.call(this, holder, above);
  } finally {
    totals.ns += Number(process.hrtime.bigint() - start);
    totals.count++;
  }
};
if (dir) setInterval(() => writeFileSync(join(dir, `${process.pid}-${threadId}.json`), JSON.stringify(totals)), 200).unref();
