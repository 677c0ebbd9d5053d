/**
 * Loopback-only policy: the DNS-rebinding defence (Host), the cross-site defence (Origin), CORS headers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** `localhost`, `127.0.0.1` or `[::1]`, with an optional port. Case-insensitive, nothing else. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const m = /^(\[[^\]]*\]|[^:]+)(?::(\d{1,5}))?$/.exec(host.trim().toLowerCase());
  return m !== null && LOOPBACK_HOSTNAMES.has(m[1]!);
}

/** `http(s)://localhost[:port]`, `http(s)://127.0.0.1[:port]`, `http(s)://[::1][:port]`; no path. */
export function isLoopbackOrigin(origin: string): boolean {
  const m = /^https?:\/\/(.+)$/i.exec(origin.trim());
  return m !== null && isLoopbackHost(m[1]);
}

/** The peer address of a socket is loopback (IPv4 127/8, IPv6 ::1, or IPv4-mapped 127/8). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  if (address === '::1') return true;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** Hosts the server may bind. */
export function isLoopbackBindHost(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost';
}

export type Verdict = { ok: true; origin: string | null } | { ok: false; reason: string };

/** Decide whether a request may be served at all. */
export function checkRequest(req: IncomingMessage): Verdict {
  if (!isLoopbackHost(req.headers.host)) return { ok: false, reason: 'Host is not loopback' };
  const origin = req.headers.origin;
  if (origin === undefined) return { ok: true, origin: null };
  if (!isLoopbackOrigin(origin)) return { ok: false, reason: 'Origin is not loopback' };
  return { ok: true, origin };
}

/** Reflect an allowed (loopback) origin. */
export function setCorsHeaders(res: ServerResponse, origin: string | null): void {
  if (origin === null) return;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Vary', 'Origin');
}

/** Answer a CORS preflight for an allowed origin. */
export function answerPreflight(req: IncomingMessage, res: ServerResponse, origin: string | null): void {
  setCorsHeaders(res, origin);
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
  res.setHeader('Access-Control-Allow-Headers', 'Last-Event-ID, Content-Type, Cache-Control, X-Cachescope-Token');
  res.setHeader('Access-Control-Max-Age', '600');
  if (req.headers['access-control-request-private-network'] === 'true') {
    res.setHeader('Access-Control-Allow-Private-Network', 'true');
  }
  res.statusCode = 204;
  res.end();
}
