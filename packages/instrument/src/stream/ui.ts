/**
 * The standalone window of the overlay ("open in a window"), served by the stream server:
 *   GET /, /ui, /ui/       a small HTML page that loads the bundle
 *   GET /ui/standalone.js  `@cachescope/overlay/standalone` (one self-contained ES module)
 * The bundle is resolved at run time from the app's directory (`process.cwd()`, as Next runs it): the instrument
 * does not depend on the overlay. Without it, both answer 404 saying what to install.
 * The page may load scripts, styles and connections from its own origin only (Content-Security-Policy), is never
 * cached, and cannot be framed. The loopback policy (Host, Origin) runs before these routes like before any other.
 */
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export const STANDALONE_SPECIFIER = '@cachescope/overlay/standalone';
export const STANDALONE_SCRIPT_PATH = '/ui/standalone.js';
const PAGE_PATHS = new Set(['/', '/ui', '/ui/']);

export const UI_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const OVERLAY_MISSING = 'install @cachescope/overlay to use the standalone window';

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>cachescope</title>
<link rel="icon" href="data:,">
<script type="module" src="${STANDALONE_SCRIPT_PATH}"></script>
</head>
<body>
<div id="root"></div>
<noscript>The cachescope window needs JavaScript.</noscript>
</body>
</html>
`;

const MISSING_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>cachescope: no standalone window</title>
<link rel="icon" href="data:,">
</head>
<body>
<h1>cachescope</h1>
<p>This is the cachescope event stream. To see it here in a window, ${OVERLAY_MISSING}:</p>
<pre>npm install --save-dev @cachescope/overlay</pre>
<p>It is looked up from the app's directory. The stream itself: <a href="/snapshot">/snapshot</a>, <code>/events</code>, <a href="/health">/health</a>.</p>
</body>
</html>
`;

/** `GET` paths these routes answer. */
export function isUiPath(pathname: string): boolean {
  return PAGE_PATHS.has(pathname) || pathname === STANDALONE_SCRIPT_PATH;
}

/** The bundle's file, resolved as the app would import it, or null when the overlay is not installed there. */
export function locateStandaloneBundle(appDir: string = process.cwd()): string | null {
  try {
    return createRequire(join(appDir, 'package.json')).resolve(STANDALONE_SPECIFIER);
  } catch {
    return null;
  }
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, {
    'Content-Type': `${type}; charset=utf-8`,
    'Content-Length': Buffer.byteLength(body),
    'Content-Security-Policy': UI_CSP,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  });
  res.end(body);
}

function missing(res: ServerResponse, pathname: string): void {
  if (pathname === STANDALONE_SCRIPT_PATH) send(res, 404, 'text/plain', `cachescope: ${OVERLAY_MISSING}\n`);
  else send(res, 404, 'text/html', MISSING_PAGE);
}

/** Answer a `GET` for one of `isUiPath`'s paths. */
export async function serveUi(res: ServerResponse, pathname: string, locate: () => string | null = locateStandaloneBundle): Promise<void> {
  const file = locate();
  if (file === null) {
    missing(res, pathname);
    return;
  }
  if (PAGE_PATHS.has(pathname)) {
    send(res, 200, 'text/html', PAGE);
    return;
  }
  let bundle: Buffer;
  try {
    bundle = await readFile(file);
  } catch {
    missing(res, pathname); // gone since it was resolved (e.g. a rebuild in progress)
    return;
  }
  send(res, 200, 'text/javascript', bundle);
}
