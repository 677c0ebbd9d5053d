// An OTLP trace receiver for tests, decoding with the official opentelemetry-proto definitions: the
// protobufjs static code @opentelemetry/otlp-transformer 0.215 ships (`build/src/generated/root.js`).
// - HTTP `POST /v1/traces`: `application/x-protobuf` and `application/json` (OTLP/JSON: hex ids), gzip or not;
// - gRPC `opentelemetry.proto.collector.trace.v1.TraceService/Export` (optional).
// Starts on port 0 (never 4318); every span received is flattened into `spans`.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { gunzipSync, inflateSync } from 'node:zlib';

const require = createRequire(import.meta.url);

type ProtoType = {
  decode(buf: Uint8Array): unknown;
  encode(msg: unknown): { finish(): Uint8Array };
  fromObject(obj: unknown): unknown;
  toObject(msg: unknown, options: Record<string, unknown>): Record<string, unknown>;
  verify(obj: unknown): string | null;
};

const root = require('@opentelemetry/otlp-transformer/build/src/generated/root.js') as {
  opentelemetry: {
    proto: { collector: { trace: { v1: { ExportTraceServiceRequest: ProtoType; ExportTraceServiceResponse: ProtoType } } } };
  };
};
const { ExportTraceServiceRequest, ExportTraceServiceResponse } = root.opentelemetry.proto.collector.trace.v1;

export type Protocol = 'http/protobuf' | 'http/json' | 'grpc';
export type AttrValue = string | number | boolean | AttrValue[] | { [key: string]: AttrValue } | null;
export type Attrs = Record<string, AttrValue>;

export type ReceivedSpan = {
  protocol: Protocol;
  resource: Attrs;
  serviceName?: string;
  scope: { name?: string; version?: string };
  traceId: string;
  spanId: string;
  /** '' for a root span. */
  parentSpanId: string;
  name: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  startMs: number;
  endMs: number;
  attributes: Attrs;
  events: { name: string; timeMs: number; attributes: Attrs }[];
  links: { traceId: string; spanId: string; attributes: Attrs }[];
  status: { code: number; message?: string };
};

export type ReceivedRequest = { protocol: Protocol; path: string; contentType: string; encoding?: string; spans: number };

export type OtlpReceiver = {
  /** `http://127.0.0.1:<port>`: the OTEL_EXPORTER_OTLP_ENDPOINT base (the exporter appends /v1/traces). */
  httpUrl: string;
  /** `http://127.0.0.1:<port>` of the gRPC side, when started. */
  grpcUrl?: string;
  spans: ReceivedSpan[];
  requests: ReceivedRequest[];
  /** Requests the receiver could not decode (a test should expect none). */
  errors: string[];
  waitFor<T>(pick: (spans: ReceivedSpan[]) => T | undefined | false, options?: { timeoutMs?: number; what?: string }): Promise<T>;
  clear(): void;
  close(): Promise<void>;
};

// ─── decoding ───

const hex = (b64: unknown) => (typeof b64 === 'string' && b64 ? Buffer.from(b64, 'base64').toString('hex') : '');
const nanosToMs = (v: unknown) => (v === undefined || v === null ? 0 : Number(BigInt(String(v)) / 1000n) / 1000);

function anyValue(v: Record<string, unknown> | undefined): AttrValue {
  if (!v) return null;
  if ('stringValue' in v) return v.stringValue as string;
  if ('boolValue' in v) return v.boolValue as boolean;
  if ('intValue' in v) return Number(v.intValue);
  if ('doubleValue' in v) return v.doubleValue as number;
  if ('arrayValue' in v) return ((v.arrayValue as { values?: Record<string, unknown>[] })?.values ?? []).map(anyValue);
  if ('kvlistValue' in v) return attrs((v.kvlistValue as { values?: unknown[] })?.values);
  if ('bytesValue' in v) return hex(v.bytesValue);
  return null;
}

function attrs(list: unknown): Attrs {
  const out: Attrs = {};
  for (const kv of (list as { key: string; value?: Record<string, unknown> }[] | undefined) ?? []) out[kv.key] = anyValue(kv.value);
  return out;
}

const TO_OBJECT = { longs: String, enums: Number, bytes: String, defaults: false, arrays: true, oneofs: false };

/** Flattens a decoded ExportTraceServiceRequest message. */
export function flattenRequest(message: unknown, protocol: Protocol): ReceivedSpan[] {
  const obj = ExportTraceServiceRequest.toObject(message, TO_OBJECT) as { resourceSpans?: any[] };
  const out: ReceivedSpan[] = [];
  for (const rs of obj.resourceSpans ?? []) {
    const resource = attrs(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        out.push({
          protocol,
          resource,
          serviceName: typeof resource['service.name'] === 'string' ? (resource['service.name'] as string) : undefined,
          scope: { name: ss.scope?.name, version: ss.scope?.version },
          traceId: hex(s.traceId),
          spanId: hex(s.spanId),
          parentSpanId: hex(s.parentSpanId),
          name: s.name,
          kind: s.kind ?? 0,
          startMs: nanosToMs(s.startTimeUnixNano),
          endMs: nanosToMs(s.endTimeUnixNano),
          attributes: attrs(s.attributes),
          events: (s.events ?? []).map((e: any) => ({ name: e.name, timeMs: nanosToMs(e.timeUnixNano), attributes: attrs(e.attributes) })),
          links: (s.links ?? []).map((l: any) => ({ traceId: hex(l.traceId), spanId: hex(l.spanId), attributes: attrs(l.attributes) })),
          status: { code: s.status?.code ?? 0, message: s.status?.message || undefined },
        });
      }
    }
  }
  return out;
}

/** OTLP/JSON carries trace and span ids as hex (the protobuf JSON mapping would say base64). */
function hexIdsToBytes(json: any): any {
  const fix = (o: any, keys: string[]) => {
    for (const k of keys) if (typeof o?.[k] === 'string') o[k] = Buffer.from(o[k], 'hex');
  };
  for (const rs of json?.resourceSpans ?? []) {
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        fix(s, ['traceId', 'spanId', 'parentSpanId']);
        for (const l of s.links ?? []) fix(l, ['traceId', 'spanId']);
      }
    }
  }
  return json;
}

export function decodeJson(body: Buffer): unknown {
  const json = hexIdsToBytes(JSON.parse(body.toString('utf8')));
  if (!json || typeof json !== 'object' || !Array.isArray(json.resourceSpans)) throw new Error('OTLP/JSON body without resourceSpans');
  // fromObject applies the proto3 JSON mapping (int64 as strings, enums as numbers); verify checks the result.
  const message = ExportTraceServiceRequest.fromObject(json);
  const problem = ExportTraceServiceRequest.verify(message);
  if (problem) throw new Error(`invalid OTLP/JSON ExportTraceServiceRequest: ${problem}`);
  return message;
}

export function decodeProtobuf(body: Uint8Array): unknown {
  return ExportTraceServiceRequest.decode(body);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function inflate(body: Buffer, encoding: string | undefined): Buffer {
  if (encoding === 'gzip') return gunzipSync(body);
  if (encoding === 'deflate') return inflateSync(body);
  return body;
}

// ─── servers ───

export async function startOtlpReceiver(options: { grpc?: boolean } = {}): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const requests: ReceivedRequest[] = [];
  const errors: string[] = [];
  const accept = (message: unknown, protocol: Protocol, meta: Omit<ReceivedRequest, 'protocol' | 'spans'>) => {
    const flat = flattenRequest(message, protocol);
    spans.push(...flat);
    requests.push({ protocol, ...meta, spans: flat.length });
  };

  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const path = (req.url ?? '').split('?')[0];
      if (req.method !== 'POST' || path !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      const contentType = String(req.headers['content-type'] ?? '')
        .split(';')[0]
        .trim();
      const encoding = req.headers['content-encoding'] as string | undefined;
      try {
        const body = inflate(await readBody(req), encoding);
        if (contentType === 'application/x-protobuf') {
          accept(decodeProtobuf(body), 'http/protobuf', { path, contentType, encoding });
          res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end(Buffer.from(ExportTraceServiceResponse.encode({}).finish()));
        } else if (contentType === 'application/json') {
          accept(decodeJson(body), 'http/json', { path, contentType, encoding });
          res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        } else {
          res.writeHead(415).end();
        }
      } catch (error) {
        errors.push(`${contentType}: ${error instanceof Error ? error.message : String(error)}`);
        res.writeHead(400).end();
      }
    })();
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  let grpcServer: { tryShutdown(cb: () => void): void; forceShutdown(): void } | undefined;
  let grpcUrl: string | undefined;
  if (options.grpc) {
    const grpc = require('@grpc/grpc-js') as typeof import('@grpc/grpc-js');
    const server = new grpc.Server();
    server.addService(
      {
        Export: {
          path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
          requestStream: false,
          responseStream: false,
          requestSerialize: (m: unknown) => Buffer.from(ExportTraceServiceRequest.encode(m).finish()),
          requestDeserialize: (b: Buffer) => ExportTraceServiceRequest.decode(b),
          responseSerialize: (m: unknown) => Buffer.from(ExportTraceServiceResponse.encode(m).finish()),
          responseDeserialize: (b: Buffer) => ExportTraceServiceResponse.decode(b),
        },
      },
      {
        Export: (call: { request: unknown }, callback: (err: null, res: unknown) => void) => {
          try {
            accept(call.request, 'grpc', { path: 'TraceService/Export', contentType: 'application/grpc' });
          } catch (error) {
            errors.push(`grpc: ${error instanceof Error ? error.message : String(error)}`);
          }
          callback(null, ExportTraceServiceResponse.fromObject({}));
        },
      },
    );
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    grpcServer = server;
    grpcUrl = `http://127.0.0.1:${port}`;
  }

  return {
    httpUrl,
    grpcUrl,
    spans,
    requests,
    errors,
    async waitFor(pick, { timeoutMs = 15_000, what = 'spans' } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = pick(spans);
        if (value !== undefined && value !== false) return value;
        if (Date.now() > deadline)
          throw new Error(
            `timed out waiting for ${what} (${spans.length} spans received: ${[...new Set(spans.map((s) => s.name))].join(', ')})`,
          );
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    clear() {
      spans.length = 0;
      requests.length = 0;
      errors.length = 0;
    },
    async close() {
      await new Promise<void>((resolve) => {
        http.closeAllConnections?.();
        http.close(() => resolve());
      });
      if (grpcServer) {
        const s = grpcServer;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            s.forceShutdown();
            resolve();
          }, 2_000);
          s.tryShutdown(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
  };
}
