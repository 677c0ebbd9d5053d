/**
 * Redaction: cookie, authorization and token values never leave the process in clear.
 * A redacted value is replaced by `‹sha256:<16 hex>›` (its `shortHash`), so equal secrets stay
 * recognisably equal without being readable.
 */
import { shortHash } from './hash.js';

export const REDACTED_OPEN = '‹sha256:';
export const REDACTED_CLOSE = '›';

/** `‹sha256:abcd1234abcd1234›` for a secret value. */
export function redacted(value: string): string {
  return `${REDACTED_OPEN}${shortHash(value)}${REDACTED_CLOSE}`;
}

export function isRedacted(value: string): boolean {
  return value.startsWith(REDACTED_OPEN) && value.endsWith(REDACTED_CLOSE);
}

// ─── names that carry secrets ───

/** Matched against the name lower-cased with separators removed (`X-Amz-Signature` → `xamzsignature`). */
const SENSITIVE_NAME_PART = /(token|secret|passw(or)?d|signature|jwt|session|credential|apikey|accesskey|privatekey|authorization|cookie)/;
/** Short names that are sensitive only as the whole name (`code`, but not `zip_code`). */
const SENSITIVE_NAME_EXACT = new Set(['key', 'code', 'sig', 'auth', 'pwd', 'pass', 'otp', 'sid', 'nonce']);

function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Whether a query parameter / form field / header name carries a secret. */
export function isSensitiveName(name: string): boolean {
  const n = normaliseName(name);
  if (SENSITIVE_NAME_EXACT.has(n)) return true;
  return SENSITIVE_NAME_PART.test(n);
}

const SENSITIVE_HEADERS = new Set([
  'cookie',
  'set-cookie',
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'api-key',
  'x-auth-token',
  'x-amz-security-token',
]);

export function isSensitiveHeader(name: string): boolean {
  const n = name.toLowerCase();
  return SENSITIVE_HEADERS.has(n) || isSensitiveName(n);
}

// ─── URLs ───

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** Redacts the values of sensitive `name=value` pairs in a query string or fragment (without `?`/`#`). */
function redactParams(params: string): string {
  if (params === '') return params;
  return params
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq <= 0) return pair;
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      // Already redacted (text redaction runs over redacted URLs): hashing the hash would break "equal
      // secrets stay recognisably equal".
      if (value === '' || isRedacted(safeDecode(value)) || !isSensitiveName(safeDecode(name))) return pair;
      return `${name}=${redacted(safeDecode(value))}`;
    })
    .join('&');
}

const JWT = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;

function redactPath(path: string): string {
  return path.replace(JWT, (m) => redacted(m));
}

const ABSOLUTE = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)([^/?#]*)(.*)$/s;

/**
 * Redacts a URL for display: userinfo and the values of sensitive query / fragment parameters are
 * hashed, JWT-shaped path segments too. Works on absolute URLs, relative paths, and on Next's
 * `unstable_cache <path?query> <name>` fetchUrls. Never throws.
 */
export function redactUrl(url: string): string {
  try {
    if (url.startsWith('unstable_cache ')) {
      return url
        .split(' ')
        .map((part) => (part.includes('?') || part.includes('#') ? redactUrl(part) : part))
        .join(' ');
    }
    let prefix = '';
    let rest = url;
    const abs = ABSOLUTE.exec(url);
    if (abs) {
      const [, scheme, authority, tail] = abs as unknown as [string, string, string, string];
      const at = authority.lastIndexOf('@');
      const userinfo = at === -1 ? '' : safeDecode(authority.slice(0, at));
      const host = at === -1 || isRedacted(userinfo) ? authority : `${redacted(userinfo)}@${authority.slice(at + 1)}`;
      prefix = `${scheme}${host}`;
      rest = tail;
    }
    const hashAt = rest.indexOf('#');
    const fragment = hashAt === -1 ? undefined : rest.slice(hashAt + 1);
    const beforeHash = hashAt === -1 ? rest : rest.slice(0, hashAt);
    const q = beforeHash.indexOf('?');
    const path = q === -1 ? beforeHash : beforeHash.slice(0, q);
    const query = q === -1 ? undefined : beforeHash.slice(q + 1);
    let out = prefix + redactPath(path);
    if (query !== undefined) out += `?${redactParams(query)}`;
    if (fragment !== undefined) out += `#${fragment.includes('=') ? redactParams(fragment) : redactPath(fragment)}`;
    return out;
  } catch {
    return redacted(url);
  }
}

// ─── headers ───

export type HeadersLike = Record<string, string | string[] | number | undefined | null> | Iterable<readonly [string, string]>;

function headerEntries(headers: HeadersLike): Array<[string, string | string[]]> {
  const out: Array<[string, string | string[]]> = [];
  if (typeof (headers as Iterable<unknown>)[Symbol.iterator] === 'function') {
    for (const [k, v] of headers as Iterable<readonly [string, string]>) out.push([k, v]);
    return out;
  }
  for (const [k, v] of Object.entries(headers as Record<string, unknown>)) {
    if (v === undefined || v === null) continue;
    out.push([k, Array.isArray(v) ? v.map(String) : String(v)]);
  }
  return out;
}

/**
 * Keeps every header name (lower-cased) and hashes the values of cookie / authorization / API-key /
 * token headers. `set-cookie` arrays are hashed per cookie.
 */
export function redactHeaders(headers: HeadersLike): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [rawName, value] of headerEntries(headers)) {
    const name = rawName.toLowerCase();
    const values = Array.isArray(value) ? value : [value];
    const shown = isSensitiveHeader(name) ? values.map((v) => redacted(v)) : values.map((v) => redactText(v));
    out[name] = out[name] === undefined ? shown.join(', ') : `${out[name]}, ${shown.join(', ')}`;
  }
  return out;
}

// ─── free text ───

/**
 * The secret strings of a request, for `redactText`: the whole Cookie header, each cookie value, the
 * Authorization header and its credential part.
 */
export function secretsFromRequest(inputs: { cookie?: string; authorization?: string }): string[] {
  const out: string[] = [];
  if (inputs.cookie) {
    out.push(inputs.cookie);
    for (const pair of inputs.cookie.split(';')) {
      const eq = pair.indexOf('=');
      if (eq !== -1) out.push(pair.slice(eq + 1).trim());
    }
  }
  if (inputs.authorization) {
    out.push(inputs.authorization);
    const space = inputs.authorization.indexOf(' ');
    if (space !== -1) out.push(inputs.authorization.slice(space + 1).trim());
  }
  return out;
}

/** Secrets shorter than this are not searched for in text (they would shred ordinary words). */
const MIN_KNOWN_SECRET_LENGTH = 4;

const URL_IN_TEXT = /\bhttps?:\/\/[^\s"'<>`]+/g;
const BEARER = /\b(Bearer|Basic|Token)\s+([A-Za-z0-9\-._~+/]+=*)/g;
const NAME_VALUE = /([A-Za-z0-9_.-]+)=([^\s&;,'"‹]+)/g;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Redacts secrets in free text (error messages, call sites, arguments): every occurrence of a known
 * secret, URLs (as `redactUrl`), `Bearer …` credentials, JWT-shaped strings and `name=value` pairs whose
 * name is sensitive. Never throws.
 */
export function redactText(text: string, knownSecrets: Iterable<string> = []): string {
  try {
    let out = text;
    const secrets = [...new Set(knownSecrets)]
      .filter((s) => typeof s === 'string' && s.length >= MIN_KNOWN_SECRET_LENGTH)
      .sort((a, b) => b.length - a.length);
    const present = secrets.filter((s) => out.includes(s));
    if (present.length > 0) {
      // One pass, longest first, so a short secret never matches inside another's replacement.
      out = out.replace(new RegExp(present.map(escapeRegExp).join('|'), 'g'), (m) => redacted(m));
    }
    out = out.replace(URL_IN_TEXT, (u) => redactUrl(u));
    out = out.replace(BEARER, (_m, scheme: string, cred: string) => `${scheme} ${redacted(cred)}`);
    out = out.replace(JWT, (m) => redacted(m));
    out = out.replace(NAME_VALUE, (m, name: string, value: string) => (isSensitiveName(name) ? `${name}=${redacted(value)}` : m));
    return out;
  } catch {
    return redacted(text);
  }
}
