// Error stacks as a server log shows them, reduced to what two builds of the same app share: each frame's
// async flag, function name and place. App sources (dev source maps) and Next's own files keep their
// line; compiled chunks differ between a build with cachescope and one without, so only their name stays.

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const FRAME = /^\s*at (async )?(?:(.+?) \((.+)\)|(.+))$/;
const CODE_FRAME = /^\s*>?\s*\d+ \|/;
const MESSAGE_LINES = 3;

function place(location: string): string {
  const app = /(?:^|[/\\])(app[/\\].+)$/.exec(location);
  if (app && !/[/\\]\.next[^/\\]*[/\\]/.test(location)) return app[1]!;
  const next = /node_modules[/\\](next[/\\].+)$/.exec(location);
  if (next) return next[1]!;
  if (location.startsWith('node:') || location === 'native' || location === '<anonymous>') return location;
  return '<chunk>';
}

export function frameOf(line: string): string | undefined {
  const m = FRAME.exec(line);
  if (!m) return undefined;
  const location = m[3] ?? m[4]!;
  return `${m[1] ? 'async ' : ''}${m[2] ?? ''} @ ${place(location)}`;
}

/** The frames of the last logged error whose text contains `message`; undefined until it is logged. */
export function errorStack(logs: string, message: string): string[] | undefined {
  const lines = logs.replace(ANSI, '').split('\n');
  // The message also shows in Next's code frame under the stack (`>  8 |   throw new Error(…)`).
  for (let i = lines.length - 1; i >= 0; i--) {
    if (!lines[i]!.includes(message) || CODE_FRAME.test(lines[i]!)) continue;
    // A message may run over a few lines (Next's "Learn more: …") before the first frame.
    let from = i + 1;
    while (from <= i + MESSAGE_LINES && from < lines.length && frameOf(lines[from]!) === undefined) from++;
    const frames: string[] = [];
    for (const line of lines.slice(from)) {
      const frame = frameOf(line);
      if (frame === undefined) break;
      frames.push(frame);
    }
    if (frames.length) return frames;
  }
  return undefined;
}
