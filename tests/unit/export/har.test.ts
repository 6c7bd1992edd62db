// HAR 1.2 (lib/export/har.ts): valid against har-schema, and what it must never hand over —
// cookie values, credentials, token parameters — is redacted, names kept.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  REDACTED,
  buildHar,
  countedEntries,
  parseStatusLine,
  redactHeader,
  redactUrl,
  serverIp,
} from '@/lib/export/har';
import { harSchemaErrors } from '../../har-schema';
import { jobcenterPackageInput, linktreeHarRows } from '../helpers/jobcenter-case';

const har = (rows = linktreeHarRows()) =>
  buildHar({
    creator: { name: 'Datenschutz-Ampel', version: '0.1.0' },
    browser: { name: 'Chromium', version: '156.0' },
    pages: [{ id: 'page_2', title: 'x', startedAt: rows[0]!.startedAt, onLoad: 812.4 }],
    rows,
  });

describe('HAR 1.2', () => {
  it('validates against har-schema, entries in time order, times from the phases', () => {
    const rows = linktreeHarRows();
    const h = har([rows[1]!, rows[0]!]);
    expect(harSchemaErrors(h)).toEqual([]);
    expect(harSchemaErrors(jobcenterPackageInput('de').har)).toEqual([]);
    expect(h.log.entries.map((e) => e.request.url.slice(0, 24))).toEqual([
      'https://linktr.ee/jobcen',
      'https://www.google-analy',
    ]);
    expect(h.log.entries[0]).toMatchObject({
      time: 44,
      serverIPAddress: '104.18.2.3',
      _resourceType: 'main_frame',
      response: { status: 200, statusText: 'OK', httpVersion: 'HTTP/1.1' },
    });
    expect(h.log.pages[0]!.pageTimings).toEqual({ onContentLoad: -1, onLoad: 812 });
  });

  it('a row without a response (failed) or timings still validates; not-sent rows are flagged, not counted', () => {
    const h = har([
      {
        pageref: 'page_2',
        startedAt: 1,
        method: 'get',
        url: 'https://cdn.example/font.woff2',
        error: 'net::ERR_CACHE_MISS',
        notSent: true,
      },
      {
        pageref: 'page_2',
        startedAt: 2,
        method: 'POST',
        url: 'https://t.example/collect',
        status: 0,
        error: 'net::ERR_BLOCKED_BY_CLIENT',
        serverIp: 'not an ip',
      },
    ]);
    expect(harSchemaErrors(h)).toEqual([]);
    expect(h.log.entries[0]!._notSent).toBe(true);
    expect(h.log.entries[0]!.request.method).toBe('GET');
    expect(h.log.entries[1]!.serverIPAddress).toBeUndefined();
    expect(h.log.entries[1]!.response._error).toBe('net::ERR_BLOCKED_BY_CLIENT');
    expect(countedEntries(h)).toBe(1);
  });

  it('property: any row validates', () => {
    fc.assert(
      fc.property(
        fc.webUrl({ withQueryParameters: true, withFragments: true }),
        fc.string(),
        fc.integer({ min: 0, max: 599 }),
        fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 20 }), fc.string({ maxLength: 40 })), { maxLength: 5 }),
        (url, method, status, headers) => {
          const h = har([
            {
              pageref: 'page_2',
              startedAt: 1_772_000_000_000,
              method,
              url,
              status,
              requestHeaders: headers.map(([name, value]) => ({ name, value })),
              timings: { wait: status },
            },
          ]);
          expect(harSchemaErrors(h)).toEqual([]);
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('redaction', () => {
  it('cookie values in Cookie and Set-Cookie, names and attributes kept', () => {
    const h = har();
    const json = JSON.stringify(h);
    expect(json).not.toContain('secret-value');
    expect(json).not.toContain('GA1.1.123.456');
    expect(h.log.entries[0]!.response.headers).toEqual([
      { name: 'Set-Cookie', value: `__cf_bm=${REDACTED}; Path=/; Secure; SameSite=None` },
    ]);
    expect(h.log.entries[0]!.response.cookies).toEqual([{ name: '__cf_bm', value: REDACTED }]);
    expect(h.log.entries[1]!.request.headers).toEqual([{ name: 'Cookie', value: `_ga=${REDACTED}` }]);
    expect(h.log.entries[1]!.request.cookies).toEqual([{ name: '_ga', value: REDACTED }]);
    expect(redactHeader({ name: 'cookie', value: 'a=1; b=x=y; flag' })).toEqual({
      name: 'cookie',
      value: `a=${REDACTED}; b=${REDACTED}; flag`,
    });
    expect(redactHeader({ name: 'set-cookie', value: 'a=1; Max-Age=60\nb=2; Domain=.x.org' }).value).toBe(
      `a=${REDACTED}; Max-Age=60\nb=${REDACTED}; Domain=.x.org`,
    );
  });

  it('Authorization keeps its scheme only; other headers untouched', () => {
    expect(redactHeader({ name: 'Authorization', value: 'Bearer eyJhbGciOi.x.y' })).toEqual({
      name: 'Authorization',
      value: `Bearer ${REDACTED}`,
    });
    expect(redactHeader({ name: 'Proxy-Authorization', value: 'Basic dXNlcjpwdw==' }).value).toBe(`Basic ${REDACTED}`);
    expect(redactHeader({ name: 'Authorization', value: 'opaque' }).value).toBe(REDACTED);
    expect(redactHeader({ name: 'Referer', value: 'https://a.example/?x=1' }).value).toBe('https://a.example/?x=1');
  });

  it('token parameters, session path parameters and URL passwords; the rest byte for byte; no fragment', () => {
    expect(redactUrl('https://api.example/cb?code=de&access_token=ya29.abc&state=xyz#id_token=zzz')).toBe(
      `https://api.example/cb?code=de&access_token=${REDACTED}&state=xyz`,
    );
    expect(redactUrl('https://s3.example/f.pdf?X-Amz-Credential=AKIA%2F1&X-Amz-Signature=deadbeef&a=%20b+c')).toBe(
      `https://s3.example/f.pdf?X-Amz-Credential=${REDACTED}&X-Amz-Signature=${REDACTED}&a=%20b+c`,
    );
    expect(redactUrl('https://shop.example/cart;jsessionid=ABC123?API_KEY=k&key=AIza')).toBe(
      `https://shop.example/cart;jsessionid=${REDACTED}?API_KEY=${REDACTED}&key=AIza`,
    );
    expect(redactUrl('https://user:hunter2@host.example/')).toBe(`https://user:${REDACTED}@host.example/`);
    expect(redactUrl('https://www.facebook.com/tr/?id=123&ev=PageView&fbp=fb.1.2.3')).toBe(
      'https://www.facebook.com/tr/?id=123&ev=PageView&fbp=fb.1.2.3',
    );
    const h = har();
    expect(h.log.entries[1]!.request.url).toBe(
      `https://www.google-analytics.com/g/collect?v=2&tid=G-ABC123&access_token=${REDACTED}`,
    );
    expect(h.log.entries[1]!.request.queryString).toContainEqual({ name: 'access_token', value: REDACTED });
  });
});

describe('helpers', () => {
  it('serverIp and parseStatusLine', () => {
    expect(serverIp('[2a00:1450::1]')).toBe('2a00:1450::1');
    expect(serverIp('10.0.0.1')).toBe('10.0.0.1');
    expect(serverIp('999.1.1.1')).toBeUndefined();
    expect(parseStatusLine('HTTP/1.1 404 Not Found')).toEqual({ httpVersion: 'HTTP/1.1', statusText: 'Not Found' });
    expect(parseStatusLine('HTTP/2 200')).toEqual({ httpVersion: 'HTTP/2', statusText: '' });
    expect(parseStatusLine(undefined)).toEqual({ httpVersion: '', statusText: '' });
  });
});
