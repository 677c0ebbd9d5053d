import { describe, expect, it } from 'vitest';
import { shortHash } from './hash.js';
import { isRedacted, isSensitiveName, redacted, redactHeaders, redactText, redactUrl, secretsFromRequest } from './redact.js';

const SECRET = 'sup3r-s3cret-V4LUE';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEyMyJ9.c2lnbmF0dXJlLWJ5dGVz';

describe('redacted marker', () => {
  it('is the short hash in a clearly marked wrapper', () => {
    expect(redacted(SECRET)).toBe(`‹sha256:${shortHash(SECRET)}›`);
    expect(isRedacted(redacted(SECRET))).toBe(true);
    expect(isRedacted(SECRET)).toBe(false);
  });
});

describe('isSensitiveName', () => {
  it.each([
    'token',
    'access_token',
    'id_token',
    'refresh_token',
    'secret',
    'client_secret',
    'key',
    'api_key',
    'apiKey',
    'api-key',
    'auth',
    'password',
    'passwd',
    'signature',
    'X-Amz-Signature',
    'X-Amz-Credential',
    'sig',
    'jwt',
    'session',
    'sessionId',
    'code',
    'authorization',
    'cookie',
  ])('%s is sensitive', (name) => expect(isSensitiveName(name)).toBe(true));
  it.each(['page', 'route', 'author', 'sort', 'q', 'zip_code', 'monkey', 'v'])('%s is not', (name) =>
    expect(isSensitiveName(name)).toBe(false),
  );
});

describe('redactUrl', () => {
  it('hashes sensitive query values and keeps everything else', () => {
    const out = redactUrl(`https://api.example.com/dashboard?route=broken&token=${SECRET}&page=2`);
    expect(out).not.toContain(SECRET);
    expect(out).toBe(`https://api.example.com/dashboard?route=broken&token=${redacted(SECRET)}&page=2`);
  });

  it('hashes the decoded value (same secret, same hash, however encoded)', () => {
    const encoded = redactUrl('https://x.test/a?api_key=a%2Fb%3Dc');
    expect(encoded).toBe(`https://x.test/a?api_key=${redacted('a/b=c')}`);
  });

  it('hashes userinfo', () => {
    const out = redactUrl(`https://admin:${SECRET}@db.example.com:5432/x`);
    expect(out).not.toContain(SECRET);
    expect(out).not.toContain('admin');
    expect(out).toBe(`https://${redacted(`admin:${SECRET}`)}@db.example.com:5432/x`);
  });

  it('hashes OAuth fragments and JWT-shaped path segments', () => {
    const out = redactUrl(`https://app.test/callback/${JWT}#access_token=${SECRET}&state=xyz`);
    expect(out).not.toContain(SECRET);
    expect(out).not.toContain(JWT);
    expect(out).toContain('state=xyz');
  });

  it('handles relative URLs and Next unstable_cache fetchUrls', () => {
    expect(redactUrl(`/api/me?session=${SECRET}`)).toBe(`/api/me?session=${redacted(SECRET)}`);
    const uc = redactUrl(`unstable_cache /ucache?secret=${SECRET}&tab=1  fetchAPIForUser`);
    expect(uc).not.toContain(SECRET);
    expect(uc).toContain('fetchAPIForUser');
    expect(uc.startsWith('unstable_cache /ucache?secret=')).toBe(true);
  });

  it('leaves a URL without secrets unchanged', () => {
    const url = 'http://127.0.0.1:4000/dashboard?route=broken-force';
    expect(redactUrl(url)).toBe(url);
  });
});

describe('redactHeaders', () => {
  it('keeps names, hashes cookie / authorization / api-key / set-cookie values', () => {
    const out = redactHeaders({
      Cookie: `session=${SECRET}`,
      Authorization: `Bearer ${SECRET}`,
      'X-Api-Key': SECRET,
      'Proxy-Authorization': `Basic ${SECRET}`,
      'set-cookie': [`a=${SECRET}`, 'b=2'],
      'Content-Type': 'application/json',
      'X-Csrf-Token': SECRET,
    });
    expect(Object.keys(out).sort()).toEqual(
      ['authorization', 'content-type', 'cookie', 'proxy-authorization', 'set-cookie', 'x-api-key', 'x-csrf-token'].sort(),
    );
    expect(JSON.stringify(out)).not.toContain(SECRET);
    expect(out['content-type']).toBe('application/json');
    expect(out.cookie).toBe(redacted(`session=${SECRET}`));
    expect(out['set-cookie']?.split(', ')).toHaveLength(2);
  });

  it('accepts a Headers object', () => {
    const h = new Headers({ cookie: `sid=${SECRET}`, accept: 'text/html' });
    const out = redactHeaders(h);
    expect(out.accept).toBe('text/html');
    expect(out.cookie).not.toContain(SECRET);
  });
});

describe('redactText', () => {
  const cookie = `session=${SECRET}; theme=dark`;
  const authorization = `Bearer ${JWT}`;
  const secrets = secretsFromRequest({ cookie, authorization });

  it('collects the cookie header, each cookie value and the credential', () => {
    expect(secrets).toEqual(expect.arrayContaining([cookie, SECRET, 'dark', authorization, JWT]));
  });

  it('planted secrets never survive', () => {
    const text =
      `fetch failed for https://api.test/x?token=${SECRET}: headers {"cookie":"${cookie}","authorization":"${authorization}"} ` +
      `value ${SECRET} again, jwt ${JWT}, password=hunter22 and session=abcdef123`;
    const out = redactText(text, secrets);
    for (const s of [SECRET, JWT, 'hunter22', 'abcdef123']) expect(out).not.toContain(s);
    expect(out).toContain('fetch failed for https://api.test/x?token=‹sha256:');
  });

  it('finds secrets without being told (bearer, JWT, sensitive name=value) and keeps ordinary text', () => {
    const out = redactText(`Authorization: Bearer abc.def-123 route=/broken token=zzz999 ${JWT}`);
    expect(out).not.toContain('abc.def-123');
    expect(out).not.toContain('zzz999');
    expect(out).not.toContain(JWT);
    expect(out).toContain('route=/broken');
  });

  it('does not search for very short known secrets (they would shred the text)', () => {
    expect(redactText('the cat sat', ['at'])).toBe('the cat sat');
  });

  it('replaces overlapping secrets longest first, without re-hashing a replacement', () => {
    const out = redactText(`x ${cookie} y`, secrets);
    expect(out).toBe(`x ${redacted(cookie)} y`);
  });
});
