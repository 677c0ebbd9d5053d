/** GET JSON from the stream server with node:http, telling "nobody there" apart from other failures. */
import { request } from 'node:http';

/** Nothing answered at the URL (refused, reset, timed out, unknown host). */
export class Unreachable extends Error {
  constructor(
    readonly url: string,
    readonly code: string,
  ) {
    super(`cannot reach ${url} (${code})`);
  }
}

/** Something answered, but not with what we asked for. */
export class BadResponse extends Error {}

export function unreachableHint(url: string, code: string): string {
  return `cachescope: cannot reach ${url} (${code}): is the Next app running with cachescope enabled?`;
}

export function getJson(url: string, timeoutMs = 10_000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      reject(new BadResponse(`not a URL: ${url}`));
      return;
    }
    const req = request(target, { method: 'GET', agent: false, headers: { accept: 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (error: NodeJS.ErrnoException) => reject(new Unreachable(url, error.code ?? error.message)));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) {
          reject(new BadResponse(`${url} answered HTTP ${res.statusCode}${text ? `: ${text.trim().slice(0, 200)}` : ''}`));
          return;
        }
        try {
          resolve(JSON.parse(text));
        } catch {
          reject(new BadResponse(`${url} did not answer JSON`));
        }
      });
    });
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (error: NodeJS.ErrnoException) => reject(new Unreachable(url, error.code ?? error.message)));
    req.end();
  });
}
