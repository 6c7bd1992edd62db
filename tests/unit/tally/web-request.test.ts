import { describe, expect, it } from 'vitest';
import {
  fromBeforeRedirect,
  fromBeforeRequest,
  fromErrorOccurred,
  fromHeadersReceived,
  fromResponseStarted,
  lifecycleOf,
} from '@/lib/tally/web-request';

const AT = Date.parse('2026-03-02T10:00:05Z');
const base = {
  tabId: 3,
  requestId: '17',
  url: 'https://tracker.net/p.js',
  type: 'script',
  frameId: 0,
  timeStamp: AT,
  initiator: 'https://www.example.de',
};

describe('webRequest details → tally events and HAR rows', () => {
  it('passes a beacon of the page being replaced on as such (documentLifecycle), and ignores a non-string lifecycle', () => {
    const { row, event } = fromBeforeRequest({
      ...base,
      method: 'POST',
      documentLifecycle: 'pending_deletion',
    } as Parameters<typeof fromBeforeRequest>[0]);
    expect(event).toMatchObject({
      kind: 'request',
      tabId: 3,
      requestId: '17',
      documentLifecycle: 'pending_deletion',
      initiator: 'https://www.example.de',
    });
    expect(row).toMatchObject({ kind: 'request', method: 'POST', documentLifecycle: 'pending_deletion' });
    expect(lifecycleOf({ documentLifecycle: 1 })).toBeUndefined();
  });

  it('marks a cache hit as not sent, but a revalidated answer (dated now) as sent', () => {
    const response = { ...base, statusCode: 200, statusLine: 'HTTP/1.1 200 OK', ip: '192.0.2.1', fromCache: true };
    const old = fromResponseStarted({
      ...response,
      responseHeaders: [{ name: 'Date', value: 'Mon, 02 Mar 2026 09:00:00 GMT' }],
    });
    const fresh = fromResponseStarted({
      ...response,
      responseHeaders: [{ name: 'date', value: 'Mon, 02 Mar 2026 10:00:05 GMT' }],
    });
    expect(old.event).toMatchObject({ kind: 'response', fromCache: true, ip: '192.0.2.1' });
    expect(old.row).toMatchObject({ kind: 'response', fromCache: true, statusCode: 200 });
    expect(fresh.event).toMatchObject({ fromCache: false });
  });

  it("tells Chromium's internal 307 (HSTS upgrade) from a server redirect, and dispatches no redirect of the extension's own requests", () => {
    const redirect = {
      ...base,
      url: 'http://tracker.net/p.js',
      redirectUrl: 'https://tracker.net/p.js',
      statusCode: 307,
    };
    expect(fromBeforeRedirect({ ...redirect, statusLine: 'HTTP/1.1 307 Internal Redirect' }).event).toEqual({
      kind: 'internal-redirect',
      tabId: 3,
      requestId: '17',
      url: 'http://tracker.net/p.js',
      type: 'script',
    });
    expect(fromBeforeRedirect({ ...redirect, statusLine: 'HTTP/1.1 307 Temporary Redirect' }).event).toMatchObject({
      kind: 'redirect',
      redirectUrl: 'https://tracker.net/p.js',
    });
    const own = fromBeforeRedirect({ ...redirect, tabId: -1, statusLine: 'HTTP/1.1 302 Found', statusCode: 302 });
    expect(own.event).toBeNull();
    expect(own.row).toMatchObject({ kind: 'redirect', tabId: -1 });
  });

  it('maps a network error with the facts that let it count a request whose own event was lost', () => {
    expect(fromErrorOccurred({ ...base, error: 'net::ERR_BLOCKED_BY_CLIENT' }).event).toMatchObject({
      kind: 'error',
      error: 'net::ERR_BLOCKED_BY_CLIENT',
      type: 'script',
      frameId: 0,
      timeStamp: AT,
    });
  });

  it('turns Set-Cookie headers of a tab into a set-cookie event with the jar, and ignores requests outside tabs', () => {
    const headers = [
      { name: 'Set-Cookie', value: 'id=1; Max-Age=600' },
      { name: 'Content-Type', value: 'text/javascript' },
    ];
    const { row, event } = fromHeadersReceived({ ...base, responseHeaders: headers }, 'chips');
    expect(event).toMatchObject({
      kind: 'set-cookie',
      lines: ['id=1; Max-Age=600'],
      partitioning: 'chips',
      requestId: '17',
    });
    expect(row).toMatchObject({ kind: 'headers', setCookie: ['id=1; Max-Age=600'], contentType: 'text/javascript' });
    expect(
      fromHeadersReceived({ ...base, responseHeaders: [{ name: 'Content-Type', value: 'text/html' }] }, 'chips').event,
    ).toBeNull();
    expect(fromHeadersReceived({ ...base, tabId: -1, responseHeaders: headers }, 'chips')).toEqual({
      row: null,
      event: null,
    });
  });
});
