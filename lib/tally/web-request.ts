/**
 * webRequest details → the tally's events (lib/tally/types.ts) and the HAR's rows
 * (lib/tally/request-rows.ts). Pure: the background's listeners only call these and dispatch.
 * The detail types are the fields we read of the webRequest event objects
 * (https://developer.chrome.com/docs/extensions/reference/api/webRequest#event).
 */
import { type Partitioning, setCookieLines } from './cookies';
import { answeredFromCache, dateHeader } from './from-cache';
import type { RowEvent } from './request-rows';
import type { TallyEvent } from './types';

type Headers = ReadonlyArray<{ name: string; value?: string }> | undefined;
interface Base {
  tabId: number;
  requestId: string;
  url: string;
  type: string;
  frameId: number;
  timeStamp: number;
  initiator?: string;
}
export interface RequestDetails extends Base {
  method: string;
}
export interface ResponseDetails extends Base {
  statusCode: number;
  statusLine: string;
  ip?: string;
  fromCache: boolean;
  responseHeaders?: Headers;
}
export interface RedirectDetails extends Base {
  redirectUrl: string;
  statusCode: number;
  statusLine: string;
  ip?: string;
}
export interface ErrorDetails extends Base {
  error: string;
}
export interface HeadersDetails extends Base {
  responseHeaders?: Headers;
}

/** What one webRequest event becomes: a HAR row (if any) and a tally event (if any). */
export interface Mapped {
  row: RowEvent | null;
  event: TallyEvent | null;
}

// webRequest `documentLifecycle` (Chrome 106+, https://developer.chrome.com/docs/extensions/reference/api/webRequest#type-DocumentLifecycle):
// "pending_deletion" marks a request of a document being replaced, e.g. a beacon on pagehide.
export function lifecycleOf(d: object): string | undefined {
  const value = (d as { documentLifecycle?: unknown }).documentLifecycle;
  return typeof value === 'string' ? value : undefined;
}

export function fromBeforeRequest(d: RequestDetails): Mapped {
  const documentLifecycle = lifecycleOf(d);
  return {
    row: {
      kind: 'request',
      tabId: d.tabId,
      requestId: d.requestId,
      url: d.url,
      method: d.method,
      type: d.type,
      frameId: d.frameId,
      timeStamp: d.timeStamp,
      documentLifecycle,
    },
    event: {
      kind: 'request',
      tabId: d.tabId,
      frameId: d.frameId,
      requestId: d.requestId,
      url: d.url,
      type: d.type,
      timeStamp: d.timeStamp,
      initiator: d.initiator,
      documentLifecycle,
    },
  };
}

export function fromResponseStarted(d: ResponseDetails): Mapped {
  // Answered from the HTTP cache without the server: not sent (the counting rule, docs/ARCHITECTURE.md).
  // The Date header tells a revalidated (304) answer from a cache hit (lib/tally/from-cache.ts).
  const fromCache = answeredFromCache(d.fromCache, dateHeader(d.responseHeaders), d.timeStamp);
  return {
    row: {
      kind: 'response',
      tabId: d.tabId,
      requestId: d.requestId,
      url: d.url,
      statusCode: d.statusCode,
      statusLine: d.statusLine,
      ip: d.ip,
      fromCache,
      timeStamp: d.timeStamp,
    },
    event: {
      kind: 'response',
      tabId: d.tabId,
      requestId: d.requestId,
      url: d.url,
      ip: d.ip,
      fromCache,
      type: d.type,
      frameId: d.frameId,
      timeStamp: d.timeStamp,
      initiator: d.initiator,
      documentLifecycle: lifecycleOf(d),
    },
  };
}

export function fromBeforeRedirect(d: RedirectDetails): Mapped {
  const row: RowEvent = {
    kind: 'redirect',
    tabId: d.tabId,
    requestId: d.requestId,
    url: d.url,
    redirectUrl: d.redirectUrl,
    statusCode: d.statusCode,
    statusLine: d.statusLine,
    ip: d.ip,
    timeStamp: d.timeStamp,
  };
  // "HTTP/1.1 307 Internal Redirect": HSTS upgrade or extension redirect, not a network request.
  if (d.statusCode === 307 && /internal redirect/i.test(d.statusLine ?? '')) {
    return {
      row,
      event: { kind: 'internal-redirect', tabId: d.tabId, requestId: d.requestId, url: d.url, type: d.type },
    };
  }
  // Evidence of both hops, should their own events be lost to a stopped worker (lib/tally/ledger.ts).
  if (d.tabId >= 0) {
    return {
      row,
      event: {
        kind: 'redirect',
        tabId: d.tabId,
        requestId: d.requestId,
        url: d.url,
        redirectUrl: d.redirectUrl,
        type: d.type,
        frameId: d.frameId,
        timeStamp: d.timeStamp,
        initiator: d.initiator,
      },
    };
  }
  return { row, event: null };
}

export function fromErrorOccurred(d: ErrorDetails): Mapped {
  return {
    row: { kind: 'error', tabId: d.tabId, requestId: d.requestId, url: d.url, error: d.error, timeStamp: d.timeStamp },
    event: {
      kind: 'error',
      tabId: d.tabId,
      requestId: d.requestId,
      url: d.url,
      error: d.error,
      type: d.type,
      frameId: d.frameId,
      timeStamp: d.timeStamp,
      initiator: d.initiator,
      documentLifecycle: lifecycleOf(d),
    },
  };
}

/** Set-Cookie lines of a tab's response; the cookie gets the jar's identity (`partitioning`). */
export function fromHeadersReceived(d: HeadersDetails, partitioning: Partitioning): Mapped {
  if (d.tabId < 0) return { row: null, event: null };
  const lines = setCookieLines(d.responseHeaders);
  return {
    row: {
      kind: 'headers',
      tabId: d.tabId,
      requestId: d.requestId,
      url: d.url,
      setCookie: lines,
      contentType: d.responseHeaders?.find((h) => h.name.toLowerCase() === 'content-type')?.value,
    },
    event: lines.length
      ? {
          kind: 'set-cookie',
          tabId: d.tabId,
          url: d.url,
          lines,
          timeStamp: d.timeStamp,
          requestId: d.requestId,
          type: d.type,
          frameId: d.frameId,
          partitioning,
        }
      : null,
  };
}
