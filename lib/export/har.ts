/**
 * HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) of what a page requested: one format
 * for the audit CLI's `--har` (rows from the browser's own network events, scripts/audit-har.ts)
 * and the extension's evidence package (rows the background observed, lib/tally/request-rows.ts).
 * The EDPB's Website Auditing Tool, Blacklight and the website-evidence-collector read HAR.
 *
 * What goes in is decided by the caller: exactly the requests the report counts ("a request counts
 * when it was sent to the network", docs/ARCHITECTURE.md "The tally"); rows marked `notSent` are
 * kept but flagged `_notSent` and left out of nothing else. Bodies are never recorded
 * (`content.size` -1 where unknown).
 *
 * Redaction (a HAR goes to an authority and must not hand over the user's logins):
 * - `Cookie`, `Set-Cookie`, `Authorization`, `Proxy-Authorization`: values replaced, names kept —
 *   each cookie's name (and a Set-Cookie's attributes: Domain, Expires, SameSite … are evidence),
 *   the authorization scheme ("Bearer REDACTED");
 * - URL parameters that carry credentials (`TOKEN_PARAMS`: OAuth 2.0 tokens, RFC 6749 § 4.2.2 and
 *   RFC 6750 § 2.3; OpenID Connect `id_token`; AWS SigV4 and Azure SAS signatures; API keys,
 *   passwords, session ids), `;jsessionid=` path parameters and URL passwords;
 * - fragments are dropped: they are never sent to a server.
 * tests/unit/export/har.test.ts pins all of it.
 */

import type { RequestRow } from '../tally/request-rows';

export const REDACTED = 'REDACTED';

/** Query parameter names (compared in lower case) whose values are credentials. */
export const TOKEN_PARAMS: ReadonlySet<string> = new Set([
  'access_token',
  'refresh_token',
  'id_token',
  'token',
  'auth',
  'auth_token',
  'authorization',
  'api_key',
  'apikey',
  'client_secret',
  'password',
  'passwd',
  'pwd',
  'secret',
  'session_token',
  'sessionid',
  'session_id',
  'jsessionid',
  'phpsessid',
  'sid',
  'jwt',
  'otp',
  'signature',
  'sig',
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-security-token',
]);

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization']);

export interface HarHeader {
  name: string;
  value: string;
}

/** One request hop as a recorder saw it; everything but `url`, `method` and `startedAt` optional. */
export interface HarRow {
  pageref: string;
  /** ms since epoch. */
  startedAt: number;
  method: string;
  url: string;
  /** 0 when no response arrived (failed, blocked). */
  status?: number;
  statusText?: string;
  httpVersion?: string;
  requestHeaders?: HarHeader[];
  responseHeaders?: HarHeader[];
  mimeType?: string;
  serverIp?: string;
  /** webRequest / CDP resource type (script, image, …). */
  resourceType?: string;
  /** Phases in ms, -1 where not known (HAR 1.2 `timings`). */
  timings?: Partial<Record<'blocked' | 'dns' | 'connect' | 'ssl' | 'send' | 'wait' | 'receive', number>>;
  redirectUrl?: string;
  /** net::ERR_… or the browser's failure text. */
  error?: string;
  fromCache?: boolean;
  /** An attempt the report does not count (not sent to the network): kept, flagged `_notSent`. */
  notSent?: boolean;
}

export interface HarPage {
  id: string;
  title: string;
  startedAt: number;
  /** ms after `startedAt`, when known. */
  onLoad?: number;
  comment?: string;
}

export interface HarInput {
  creator: { name: string; version: string };
  browser?: { name: string; version: string } | null;
  pages: HarPage[];
  rows: HarRow[];
  comment?: string;
}

export interface HarEntry {
  pageref?: string;
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    cookies: { name: string; value: string }[];
    headers: HarHeader[];
    queryString: HarHeader[];
    headersSize: -1;
    bodySize: -1;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    cookies: { name: string; value: string }[];
    headers: HarHeader[];
    content: { size: number; mimeType: string };
    redirectURL: string;
    headersSize: -1;
    bodySize: -1;
    _error?: string;
  };
  cache: Record<string, never>;
  timings: { blocked: number; dns: number; connect: number; ssl: number; send: number; wait: number; receive: number };
  serverIPAddress?: string;
  _resourceType?: string;
  _fromCache?: boolean;
  _notSent?: true;
}

export interface Har {
  log: {
    version: '1.2';
    creator: { name: string; version: string };
    browser?: { name: string; version: string };
    pages: {
      startedDateTime: string;
      id: string;
      title: string;
      pageTimings: { onContentLoad: number; onLoad: number };
      comment?: string;
    }[];
    entries: HarEntry[];
    comment?: string;
  };
}

// ---------------------------------------------------------------------------------------------
// Redaction

const safeDecode = (s: string): string => {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
};

/** The query string with the values of credential parameters replaced; everything else byte for byte. */
function redactQuery(query: string): string {
  return query
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      const name = eq === -1 ? part : part.slice(0, eq);
      return eq !== -1 && TOKEN_PARAMS.has(safeDecode(name).trim().toLowerCase()) ? `${name}=${REDACTED}` : part;
    })
    .join('&');
}

/**
 * A URL as it may go into a HAR: credential parameters, `;jsessionid=` and a URL password
 * redacted, the fragment dropped. Other characters stay as the page wrote them (a re-encoded URL
 * would no longer match the server's log). Non-URLs come back unchanged.
 */
export function redactUrl(url: string): string {
  let u = url;
  const hash = u.indexOf('#');
  if (hash !== -1) u = u.slice(0, hash);
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/i.exec(u);
  if (!m) return u;
  let [, scheme, authority, rest] = m as unknown as [string, string, string, string];
  const at = authority.lastIndexOf('@');
  if (at !== -1) {
    const info = authority.slice(0, at);
    const colon = info.indexOf(':');
    authority = `${colon === -1 ? info : `${info.slice(0, colon)}:${REDACTED}`}@${authority.slice(at + 1)}`;
  }
  const q = rest.indexOf('?');
  let path = q === -1 ? rest : rest.slice(0, q);
  path = path.replace(/;(jsessionid|phpsessid|sessionid)=[^/;?]*/gi, (_m, name: string) => `;${name}=${REDACTED}`);
  return `${scheme}${authority}${path}${q === -1 ? '' : `?${redactQuery(rest.slice(q + 1))}`}`;
}

/** `a=1; b=2` -> `a=REDACTED; b=REDACTED`. */
function redactCookieHeader(value: string): string {
  return value
    .split(';')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq === -1 ? pair : `${pair.slice(0, eq)}=${REDACTED}`;
    })
    .join(';');
}

/** `id=abc; Path=/; Secure` -> `id=REDACTED; Path=/; Secure` (one Set-Cookie line; several joined by newlines). */
export function redactSetCookie(value: string): string {
  return value
    .split('\n')
    .map((line) => {
      const semi = line.indexOf(';');
      const first = semi === -1 ? line : line.slice(0, semi);
      const eq = first.indexOf('=');
      return `${eq === -1 ? first : `${first.slice(0, eq)}=${REDACTED}`}${semi === -1 ? '' : line.slice(semi)}`;
    })
    .join('\n');
}

/** A header as it may go into a HAR (see the module comment). */
export function redactHeader(h: HarHeader): HarHeader {
  const name = String(h.name);
  const value = String(h.value ?? '');
  const lower = name.toLowerCase();
  if (lower === 'cookie') return { name, value: redactCookieHeader(value) };
  if (lower === 'set-cookie') return { name, value: redactSetCookie(value) };
  if (SECRET_HEADERS.has(lower)) {
    const space = value.trim().indexOf(' ');
    return { name, value: space === -1 ? REDACTED : `${value.trim().slice(0, space)} ${REDACTED}` };
  }
  return { name, value };
}

function cookieNames(headers: HarHeader[], header: 'cookie' | 'set-cookie'): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const h of headers) {
    if (h.name.toLowerCase() !== header) continue;
    const pairs = header === 'cookie' ? h.value.split(';') : h.value.split('\n').map((l) => l.split(';')[0] ?? '');
    for (const p of pairs) {
      const eq = p.indexOf('=');
      const name = (eq === -1 ? p : p.slice(0, eq)).trim();
      if (name) out.push({ name, value: REDACTED });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Building

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/;
const IPV6 = /^[0-9a-f:.]{2,45}$/i;

/** A server IP as HAR wants it (no brackets, no port); undefined when it is not one. */
export function serverIp(ip: unknown): string | undefined {
  if (typeof ip !== 'string') return undefined;
  const bare = ip.trim().replace(/^\[|\]$/g, '');
  return IPV4.test(bare) || (bare.includes(':') && IPV6.test(bare)) ? bare : undefined;
}

const iso = (ms: number): string => new Date(Number.isFinite(ms) ? ms : 0).toISOString();
const phase = (x: unknown): number =>
  typeof x === 'number' && Number.isFinite(x) && x >= 0 ? Math.round(x * 1000) / 1000 : -1;

function queryOf(url: string): HarHeader[] {
  const q = url.indexOf('?');
  if (q === -1) return [];
  return url
    .slice(q + 1)
    .split('&')
    .filter(Boolean)
    .slice(0, 200)
    .map((part) => {
      const eq = part.indexOf('=');
      return eq === -1
        ? { name: safeDecode(part), value: '' }
        : { name: safeDecode(part.slice(0, eq)), value: safeDecode(part.slice(eq + 1)) };
    });
}

/** "HTTP/1.1 200 OK" -> version and text; other inputs pass through. */
export function parseStatusLine(line: string | undefined): { httpVersion: string; statusText: string } {
  const m = /^(HTTP\/[\d.]+)\s+\d{3}\s*(.*)$/i.exec(line ?? '');
  return m ? { httpVersion: m[1]!.toUpperCase(), statusText: m[2]!.trim() } : { httpVersion: '', statusText: '' };
}

function entryOf(row: HarRow): HarEntry {
  const reqHeaders = (row.requestHeaders ?? []).slice(0, 200).map(redactHeader);
  const resHeaders = (row.responseHeaders ?? []).slice(0, 200).map(redactHeader);
  const url = redactUrl(String(row.url));
  const t = row.timings ?? {};
  const timings = {
    blocked: phase(t.blocked),
    dns: phase(t.dns),
    connect: phase(t.connect),
    ssl: phase(t.ssl),
    send: Math.max(0, phase(t.send)),
    wait: Math.max(0, phase(t.wait)),
    receive: Math.max(0, phase(t.receive)),
  };
  // HAR 1.2: `time` is the sum of the non-negative phases, `ssl` already inside `connect`.
  const time = [timings.blocked, timings.dns, timings.connect, timings.send, timings.wait, timings.receive].reduce(
    (sum, x) => sum + Math.max(0, x),
    0,
  );
  const ip = serverIp(row.serverIp);
  const entry: HarEntry = {
    pageref: row.pageref,
    startedDateTime: iso(row.startedAt),
    time: Math.max(0, Math.round(time * 1000) / 1000),
    request: {
      method: String(row.method || 'GET').toUpperCase(),
      url,
      httpVersion: row.httpVersion ?? '',
      cookies: cookieNames(reqHeaders, 'cookie'),
      headers: reqHeaders,
      queryString: queryOf(url),
      headersSize: -1,
      bodySize: -1,
    },
    response: {
      status: Number.isInteger(row.status) && (row.status ?? 0) >= 0 ? (row.status as number) : 0,
      statusText: row.statusText ?? '',
      httpVersion: row.httpVersion ?? '',
      cookies: cookieNames(resHeaders, 'set-cookie'),
      headers: resHeaders,
      content: {
        size: -1,
        mimeType: row.mimeType ?? resHeaders.find((h) => h.name.toLowerCase() === 'content-type')?.value ?? '',
      },
      redirectURL: row.redirectUrl ? redactUrl(row.redirectUrl) : '',
      headersSize: -1,
      bodySize: -1,
      ...(row.error ? { _error: row.error } : {}),
    },
    cache: {},
    timings,
  };
  if (ip) entry.serverIPAddress = ip;
  if (row.resourceType) entry._resourceType = row.resourceType;
  if (row.fromCache) entry._fromCache = true;
  if (row.notSent) entry._notSent = true;
  return entry;
}

/** The HAR document: pages in the given order, entries in time order (ties keep the given order). */
export function buildHar(input: HarInput): Har {
  const entries = input.rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => a.row.startedAt - b.row.startedAt || a.i - b.i)
    .map(({ row }) => entryOf(row));
  return {
    log: {
      version: '1.2',
      creator: { name: input.creator.name, version: input.creator.version },
      ...(input.browser ? { browser: { name: input.browser.name, version: input.browser.version } } : {}),
      pages: input.pages.map((p) => ({
        startedDateTime: iso(p.startedAt),
        id: p.id,
        title: p.title,
        pageTimings: {
          onContentLoad: -1,
          onLoad: typeof p.onLoad === 'number' && p.onLoad >= 0 ? Math.round(p.onLoad) : -1,
        },
        ...(p.comment ? { comment: p.comment } : {}),
      })),
      entries,
      ...(input.comment ? { comment: input.comment } : {}),
    },
  };
}

/** The HAR as the file is written (two-space JSON, final newline): the bytes every hash is over. */
export function harText(har: Har): string {
  return `${JSON.stringify(har, null, 2)}\n`;
}

/** How many entries the report would count (all but those flagged `_notSent`). */
export function countedEntries(har: Har): number {
  return har.log.entries.filter((e) => !e._notSent).length;
}

// ---------------------------------------------------------------------------------------------
// The extension's HAR: rows the background observed (lib/tally/request-rows.ts)

/** A stored row as a HAR row; null for a row that is not the visit's (state `dropped`). */
export function harRowOf(row: RequestRow, pageref: string): HarRow | null {
  if (row.state === 'dropped') return null;
  const { httpVersion, statusText } = parseStatusLine(row.statusLine);
  const responseHeaders: HarHeader[] = [
    ...(row.contentType ? [{ name: 'Content-Type', value: row.contentType }] : []),
    ...(row.setCookie ?? []).map((value) => ({ name: 'Set-Cookie', value })),
  ];
  return {
    pageref,
    startedAt: row.startedAt,
    method: row.method,
    url: row.url,
    status: row.status ?? 0,
    statusText,
    httpVersion,
    responseHeaders,
    ...(row.contentType ? { mimeType: row.contentType } : {}),
    ...(row.ip ? { serverIp: row.ip } : {}),
    resourceType: row.type,
    // webRequest tells when the request started and when its response did: the wait, nothing finer.
    timings: { send: 0, wait: row.responseAt !== undefined ? row.responseAt - row.startedAt : -1, receive: 0 },
    ...(row.redirectUrl ? { redirectUrl: row.redirectUrl } : {}),
    ...(row.error ? { error: row.error } : {}),
    ...(row.fromCache ? { fromCache: true } : {}),
    ...(row.state === 'notSent' ? { notSent: true } : {}),
  };
}

export interface ObservedVisit {
  url: string;
  /** ms since epoch (the report's visitedAt). */
  startedAt: number;
  title: string;
  /** The stored rows, or null when none were kept for this visit. */
  rows: RequestRow[] | null;
  /** Rows the recorder could not keep (cap). */
  overflow: number;
}

/** The extension's HAR of one or more visits: one page each, in time order. */
export function observedHar(
  visits: ObservedVisit[],
  creator: HarInput['creator'],
  browser: HarInput['browser'] = null,
): Har {
  const ordered = [...visits].sort((a, b) => a.startedAt - b.startedAt);
  const pages: HarPage[] = [];
  const rows: HarRow[] = [];
  ordered.forEach((v, i) => {
    const id = `page_${i + 1}`;
    const notes = [
      ...(v.rows === null
        ? [
            'no request rows were kept for this visit (recorded before this version, private window, history paused, or pruned)',
          ]
        : []),
      ...(v.overflow > 0 ? [`${v.overflow} more requests than the ${v.rows?.length ?? 0} kept`] : []),
    ];
    pages.push({
      id,
      title: v.title || v.url,
      startedAt: v.startedAt,
      ...(notes.length ? { comment: notes.join('; ') } : {}),
    });
    for (const r of v.rows ?? []) {
      const row = harRowOf(r, id);
      if (row) rows.push(row);
    }
  });
  return buildHar({
    creator,
    browser,
    pages,
    rows,
    comment:
      'Datenschutz-Ampel: the requests the extension counted while the user visited the pages (webRequest); no headers but Content-Type and Set-Cookie, no bodies; Set-Cookie values and credential URL parameters redacted; requests that never reached a server are flagged _notSent.',
  });
}
