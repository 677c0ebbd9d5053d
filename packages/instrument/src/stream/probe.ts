/** Ask whatever holds a port whether it is a cachescope stream (`GET /health`). Never throws. */
import { request } from 'node:http';
import type { StreamHealth } from '../protocol/events.js';

export function probeHealth(host: string, port: number, timeoutMs = 1000): Promise<StreamHealth | null> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (value: StreamHealth | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(value);
    };
    const timer = setTimeout(() => {
      req.destroy();
      done(null);
    }, timeoutMs);
    const req = request({ host, port, path: '/health', method: 'GET', agent: false, headers: { accept: 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        if (text.length > 64 * 1024) res.destroy();
      });
      res.on('error', () => done(null));
      res.on('close', () => done(null));
      res.on('end', () => {
        try {
          const body = JSON.parse(text) as Partial<StreamHealth>;
          // a stream of an older cachescope has no startedAt
          done(
            res.statusCode === 200 && body.cachescope === true && typeof body.pid === 'number'
              ? ({ startedAt: Date.now(), ...body } as StreamHealth)
              : null,
          );
        } catch {
          done(null);
        }
      });
    });
    req.on('error', () => done(null));
    req.end();
  });
}
