/** Who this instance is in a fleet: `CACHESCOPE_INSTANCE`, else `host:pid`. Also OTel's `service.instance.id`. */
import { hostname } from 'node:os';

export function instanceLabel(env: NodeJS.ProcessEnv = process.env): string {
  const named = env.CACHESCOPE_INSTANCE?.trim();
  if (named) return named.slice(0, 100);
  return `${hostname()}:${process.pid}`;
}
