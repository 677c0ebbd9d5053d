/**
 * The leader's HTTP routes:
 *   GET  /events    Server-Sent Events (batch, gap, clear, hello), replay via Last-Event-ID or ?lastEventId=
 *   GET  /snapshot  source.snapshot() as JSON (?events=0: without the retained events)
 *   POST /clear     source.clear(), 204
 *   POST /invalidate  dev only: { tag } | { path, type? } with mode, committed through the cache handlers
 *   POST /pause     stop recording in the app's process (hooks pass through); POST /resume starts again
 *   GET  /health    { cachescope: true, version, pid, schemaVersion, app, startedAt }
 *   POST /ingest    { pid, app, events } from another process of the same app (loopback peers, no Origin;
 *                   another app's events are refused with 409)
 *   GET  /, /ui/standalone.js  the overlay's standalone window, when @cachescope/overlay is installed (ui.ts)
 * Every request first passes the loopback policy (Host, Origin); the POSTs that change things also the
 * command guard (command-guard.ts). Any error answers 500 and is counted.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { AppIdentity, StreamHealth } from '../protocol/events.js';
import type { Counters } from './counters.js';
import { BodyTooLarge, readBody, sendJson, sendText } from './http-bodies.js';
import { parseIngestBody } from './ingest.js';
import { answerPreflight, checkRequest, isLoopbackAddress, setCorsHeaders } from './security.js';
import type { SseHub } from './sse-hub.js';
import type { StreamEvent, StreamSource } from './types.js';
import { isUiPath, serveUi } from './ui.js';
import { commandRefusal } from './command-guard.js';
import { serveInvalidate, type Invalidator } from './invalidate-route.js';

export interface RouteContext<E extends StreamEvent> {
  source: StreamSource<E, unknown>;
  hub: SseHub<E>;
  counters: Counters;
  health: () => StreamHealth;
  /** The stream's app: added to `/snapshot`, and the only app whose forwarded events are taken. */
  app?: AppIdentity;
  maxIngestBytes: number;
  /** The secret the app's overlay sends to change the stream (command-guard.ts). */
  token?: string;
  /** Dev only: `POST /invalidate`; absent, the route answers 404. */
  invalidate?: Invalidator;
}

/** `Last-Event-ID` header, else `?lastEventId=`; a non-negative integer or null. */
export function requestedLastEventId(req: IncomingMessage, url: URL): number | null {
  const header = req.headers['last-event-id'];
  const raw = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('lastEventId');
  if (raw === null || raw === undefined || raw.trim() === '') return null;
  const n = Number(raw);
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/** The snapshot names its app, so a saved file still says which app it came from. */
function withApp(snapshot: unknown, app: AppIdentity | undefined): unknown {
  return app && typeof snapshot === 'object' && snapshot !== null ? { ...snapshot, app } : snapshot;
}

function fail(counters: Counters, res: ServerResponse): void {
  counters.errors++;
  try {
    if (!res.headersSent) sendJson(res, 500, { error: 'cachescope stream internal error' });
    else res.destroy();
  } catch {
    /* the socket is gone; nothing left to answer */
  }
}

export function createRequestHandler<E extends StreamEvent>(ctx: RouteContext<E>): RequestListener {
  const { counters } = ctx;

  const ingest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!isLoopbackAddress(req.socket.remoteAddress) || req.headers.origin !== undefined) {
      counters.refused++;
      sendText(res, 403, 'ingest is for cachescope processes on this machine');
      return;
    }
    if (typeof ctx.source.ingest !== 'function') {
      sendText(res, 501, 'this cachescope source does not accept forwarded events');
      return;
    }
    let text: string;
    try {
      text = await readBody(req, ctx.maxIngestBytes);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        sendText(res, 413, error.message);
        return;
      }
      throw error;
    }
    const body = parseIngestBody<E>(text);
    if (body === null) {
      sendText(res, 400, 'expected JSON { pid: number, app?: string, events: array }');
      return;
    }
    if (body.app !== ctx.app?.id) {
      counters.refused++;
      sendText(res, 409, `this stream serves app ${ctx.app ? `${ctx.app.name} (${ctx.app.id})` : '(none)'}, not ${body.app ?? '(none)'}`);
      return;
    }
    if (body.events.length > 0) ctx.source.ingest(body.events, { pid: body.pid });
    counters.ingestedEvents += body.events.length;
    sendJson(res, 200, { accepted: body.events.length });
  };

  const route = (req: IncomingMessage, res: ServerResponse): void | Promise<void> => {
    const verdict = checkRequest(req);
    if (!verdict.ok) {
      counters.refused++;
      sendText(res, 403, `cachescope: refused (${verdict.reason})`);
      return;
    }
    if (req.method === 'OPTIONS') {
      answerPreflight(req, res, verdict.origin);
      return;
    }
    setCorsHeaders(res, verdict.origin);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const only = (allowed: string): boolean => {
      if (method === allowed) return true;
      res.setHeader('Allow', allowed);
      sendText(res, 405, `use ${allowed} ${url.pathname}`);
      return false;
    };
    /** A POST that changes the stream or the app's cache: only from the app's own pages or local processes. */
    const command = (): boolean => {
      if (!only('POST')) return false;
      const refusal = commandRefusal(req, ctx.token);
      if (refusal === null) return true;
      counters.refused++;
      sendText(res, 403, `cachescope: refused (${refusal})`);
      return false;
    };
    switch (url.pathname) {
      case '/events':
        if (only('GET')) ctx.hub.add(req, res, requestedLastEventId(req, url));
        return;
      case '/snapshot':
        // ?events=0: the analysis without the retained events, for clients that already follow /events
        if (only('GET')) sendJson(res, 200, withApp(ctx.source.snapshot({ events: url.searchParams.get('events') !== '0' }), ctx.app));
        return;
      case '/clear':
        if (!command()) return;
        ctx.source.clear();
        ctx.hub.cleared();
        res.writeHead(204, { 'Cache-Control': 'no-store' });
        res.end();
        return;
      case '/pause':
      case '/resume':
        if (!command()) return;
        if (!ctx.source.setRecording) return sendText(res, 501, 'this cachescope stream cannot pause recording');
        ctx.source.setRecording(url.pathname === '/resume');
        res.writeHead(204, { 'Cache-Control': 'no-store' });
        res.end();
        return;
      case '/invalidate':
        if (command()) return serveInvalidate(req, res, ctx.invalidate);
        return;
      case '/health':
        if (only('GET')) sendJson(res, 200, ctx.health());
        return;
      case '/ingest':
        if (only('POST')) return ingest(req, res);
        return;
      default:
        if (isUiPath(url.pathname)) {
          if (only('GET')) return serveUi(res, url.pathname);
          return;
        }
        sendText(
          res,
          404,
          'cachescope stream: GET /events, GET /snapshot, POST /clear, POST /invalidate, POST /pause, POST /resume, GET /health',
        );
    }
  };

  return (req, res) => {
    try {
      const pending = route(req, res);
      if (pending) pending.catch(() => fail(counters, res));
    } catch {
      fail(counters, res);
    }
  };
}
