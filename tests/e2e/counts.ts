/**
 * The differential proof of the counts: what the extension reports for a page load equals what
 * the fixture server received for it (its access log, tests/e2e/fixture-server.ts), host by host,
 * and every reported cookie is one the server sent (Set-Cookie) or a script of the page wrote.
 * Log lines belong to a page load by its marker (the load's own port), never by time.
 *
 * Every e2e test that loads a fixture page checks each load (`loads.check`, which calls
 * `expectCountsMatchServer`); the `loads` fixture (tests/e2e/fixtures.ts) fails a test that loaded
 * a page without a marker or left a marked load unchecked. Named exclusions, with why:
 *  - the extension's own fetches of the legal pages (imprint, privacy notice): made by the
 *    background (tab −1), not by the page; recognised in the log (isExtensionLine) and left out of
 *    the server's side;
 *  - EXCLUDED_SPECS below: pages whose counts are capped or reconciled by design keep their own
 *    assertions;
 *  - for reports of the audit CLI (its own browser) the cookie part is not checked (no recorder of
 *    script writes there), only the counts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { Browser } from 'wxt/browser';
import type { LogLine, PageLoad } from './fixture-server';
import { siteOfHost } from '../../lib/site';
import { expect } from '@playwright/test';

declare const chrome: typeof Browser;

/** Spec files whose page loads the helper does not check, and why. */
export const EXCLUDED_SPECS: Readonly<Record<string, string>> = {
  'chaos.spec.ts':
    'the worker is stopped mid-load on purpose: counts are reconciled from Resource Timing and asserted there as lower bounds',
  'hostile.spec.ts': 'hostile pages are capped by design (LIMITS): the caps are what is asserted',
  'storage-faults.spec.ts':
    'storage is failed on purpose (storage budget): the visit survives in memory, asserted there',
  'audit-consent.spec.ts':
    "the audit answers the banner and reloads, so one page's log holds three loads (first load, after the click, reload): the spec compares each with the server's log by arrival time itself",
};

/**
 * The Accept header of the extension's legal-page fetches, read from their source
 * (entrypoints/background/legal-docs.ts) so the two cannot drift apart. Over plain http there are
 * no Sec-Fetch-* headers and a GET from the worker carries no Origin: this header is what tells
 * those fetches apart from the page's own requests.
 */
const LEGAL_FETCH_ACCEPT = (() => {
  const source = readFileSync(path.resolve(import.meta.dirname, '../../entrypoints/background/legal-docs.ts'), 'utf8');
  const m = /headers:\s*\{\s*Accept:\s*'([^']+)'/.exec(source);
  if (!m) throw new Error('legal-docs.ts: the Accept header of the legal-page fetch was not found');
  return m[1]!;
})();

/**
 * The extension's own requests (legal-page fetches from the background), not the page's: an
 * extension origin, the Accept header only those fetches send, or a fetch no page asked for —
 * `Sec-Fetch-Site: none` outside a navigation (https://w3c.github.io/webappsec-fetch-metadata/#sec-fetch-site-header).
 */
export function isExtensionLine(line: LogLine): boolean {
  return (
    line.origin.startsWith('chrome-extension://') ||
    line.origin.startsWith('moz-extension://') ||
    line.accept === LEGAL_FETCH_ACCEPT ||
    (line.fetchSite === 'none' && line.fetchMode !== 'navigate')
  );
}

export interface ServerCounts {
  total: number;
  firstParty: number;
  thirdParty: number;
  /** host -> requests, all hosts (first and third party). */
  hosts: Record<string, number>;
}

/** What the server received for a page load whose top-level page is on `pageSite`. */
export function serverCounts(lines: readonly LogLine[], pageSite: string): ServerCounts {
  const hosts: Record<string, number> = {};
  let firstParty = 0;
  for (const line of lines) {
    if (isExtensionLine(line)) continue;
    hosts[line.host] = (hosts[line.host] ?? 0) + 1;
    if (siteOfHost(line.host) === pageSite) firstParty++;
  }
  const total = Object.values(hosts).reduce((a, b) => a + b, 0);
  return { total, firstParty, thirdParty: total - firstParty, hosts: sortKeys(hosts) };
}

function sortKeys(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

interface VisitCounts {
  url: string;
  visitId?: string;
  navigation?: string;
  requests?: { total: number; firstParty: number; thirdParty: number };
  hosts: { host: string; requests: number }[];
}

interface VisitResponse {
  /** `previous`: the tab's replaced visit, kept until the next navigation (Visit.previous). */
  visit: (VisitCounts & { previous?: VisitCounts }) | null;
  report: {
    url: string;
    navigation?: string;
    requests: {
      total: number;
      firstParty: number;
      thirdParty: number;
      thirdPartyHosts: { host: string; requests: number }[];
      notSent?: unknown;
    };
    cookies: { items: { name: string; domain: string }[] };
  } | null;
}

/** The counts a report states (per host: its visit's table, which has the first-party hosts too), in ServerCounts form. */
export function reportedCounts(response: VisitResponse): ServerCounts | null {
  const { report, visit } = response;
  if (!report) return null;
  const hosts: Record<string, number> = {};
  // The visit's table has every host; without it (never for the popup's answer), the report's third parties.
  const rows = visit ? visit.hosts : report.requests.thirdPartyHosts;
  for (const h of rows) if (h.requests > 0) hosts[h.host] = h.requests;
  return {
    total: report.requests.total,
    firstParty: report.requests.firstParty,
    thirdParty: report.requests.thirdParty,
    hosts: sortKeys(hosts),
  };
}

/** The report's own third-party table (checked too: the complaint and the exports quote it). */
function thirdPartyTable(response: VisitResponse): Record<string, number> {
  return sortKeys(
    Object.fromEntries((response.report?.requests.thirdPartyHosts ?? []).map((h) => [h.host, h.requests])),
  );
}

/** A page for asking the background (`get-visit`, as the popup does), one per context. */
const probes = new WeakMap<object, Promise<Page>>();
async function probeFor(page: Page, extensionId: string): Promise<Page> {
  const context = page.context();
  let probe = probes.get(context);
  if (!probe) {
    probe = context.newPage().then(async (p) => {
      await p.goto(`chrome-extension://${extensionId}/about.html`);
      return p;
    });
    probes.set(context, probe);
  }
  return probe;
}

export async function visitResponse(page: Page, extensionId: string, tabId: number): Promise<VisitResponse> {
  const probe = await probeFor(page, extensionId);
  return (await probe.evaluate(
    (id) => chrome.runtime.sendMessage({ type: 'get-visit', tabId: id }),
    tabId,
  )) as VisitResponse;
}

/**
 * Cookies the page's scripts wrote (document.cookie, cookieStore.set), in every frame, recorded by
 * COOKIE_RECORDER. Frames of another origin are read too (Playwright reaches every frame).
 */
async function scriptCookieWrites(page: Page): Promise<{ name: string; host: string }[]> {
  const writes: { name: string; host: string }[] = [];
  for (const frame of page.frames()) {
    const got = await frame
      .evaluate(() => (globalThis as { __dsaCookieWrites?: { name: string; host: string }[] }).__dsaCookieWrites ?? [])
      .catch(() => []);
    writes.push(...got);
  }
  return writes;
}

/**
 * Installed in every frame before any page script (context.addInitScript in tests/e2e/fixtures.ts):
 * remembers the name and the frame's host of each cookie a script writes. It calls the browser's
 * own setter, so the page and the extension see exactly what they would without it.
 */
export const COOKIE_RECORDER = `(() => {
  const writes = [];
  Object.defineProperty(globalThis, '__dsaCookieWrites', { value: writes, enumerable: false });
  const desc = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  if (desc && desc.set) {
    Object.defineProperty(Document.prototype, 'cookie', {
      configurable: true,
      enumerable: desc.enumerable,
      get() { return desc.get.call(this); },
      set(value) {
        const name = String(value).split(';')[0].split('=')[0].trim();
        writes.push({ name, host: location.hostname });
        desc.set.call(this, value);
      },
    });
  }
  if (globalThis.cookieStore && typeof cookieStore.set === 'function') {
    const set = cookieStore.set.bind(cookieStore);
    cookieStore.set = (a, b) => {
      writes.push({ name: typeof a === 'string' ? a : String(a && a.name), host: location.hostname });
      return set(a, b);
    };
  }
})();`;

/** Name and domain of a Set-Cookie line: the Domain attribute (leading dot), else the host. */
function setCookieIdentity(line: string, host: string): { name: string; domain: string } {
  const [pair = '', ...attrs] = line.split(';');
  const name = pair.split('=')[0]!.trim();
  const domainAttr = attrs.map((a) => a.trim()).find((a) => /^domain=/i.test(a));
  const domain = domainAttr ? `.${domainAttr.slice(7).trim().replace(/^\./, '').toLowerCase()}` : host;
  return { name, domain };
}

/** RFC 6265 §5.1.3 domain match of a cookie domain (leading dot = domain cookie) and a host. */
function domainMatches(cookieDomain: string, host: string): boolean {
  const d = cookieDomain.replace(/^\./, '');
  return host === d || (cookieDomain.startsWith('.') && host.endsWith(`.${d}`));
}

export interface CountsCheckOptions {
  /** The page whose frames' script cookie writes are read; needed for the cookie check. */
  page: Page;
  extensionId: string;
  tabId: number;
}

/**
 * Asserts that the extension's report for this load equals the server's log for it: total, first
 * party, third party, per host (the visit's table and the report's third-party table), and that
 * every reported cookie came from a Set-Cookie of this load or a script write of the page. Polls
 * until both sides agree (late requests, a beacon's log line), then compares the last snapshot so
 * a failure shows the difference. Returns the agreed counts.
 */
export async function expectCountsMatchServer(
  load: PageLoad,
  { page, extensionId, tabId }: CountsCheckOptions,
): Promise<ServerCounts> {
  const snapshot = async () => {
    const response = await visitResponse(page, extensionId, tabId);
    if (!response.report) return { response, reported: null, server: null };
    const pageSite = siteOfHost(new URL(response.report.url).hostname);
    const server = serverCounts(load.lines(), pageSite);
    return {
      response,
      reported: { ...reportedCounts(response)!, thirdPartyTable: thirdPartyTable(response) },
      server: {
        ...server,
        thirdPartyTable: sortKeys(
          Object.fromEntries(Object.entries(server.hosts).filter(([h]) => siteOfHost(h) !== pageSite)),
        ),
      },
    };
  };
  const last = await settledSnapshot(snapshot, `report of ${load.name} equals the server's log of it`);
  const logText = load
    .lines()
    .map(
      (l) =>
        `${l.method} ${l.host}${l.path} ${l.status} site=${l.fetchSite} mode=${l.fetchMode} dest=${l.fetchDest} origin=${l.origin}${isExtensionLine(l) ? ' (extension)' : ''}`,
    )
    .join('\n  ');
  expect(
    last.reported,
    `report of ${load.name} (left) vs the server's log of it (right); log:\n  ${logText}\n`,
  ).toEqual(last.server);
  await expectCookiesFromServerOrScripts(load, page, last.response);
  const { thirdPartyTable: _t, ...counts } = last.server!;
  return counts;
}

/**
 * Polls until the reported side equals the server's side (late requests, a beacon's log line), then
 * returns the last snapshot either way, so a failing comparison shows the difference.
 */
async function settledSnapshot<T extends { reported: unknown; server: unknown }>(
  snapshot: () => Promise<T>,
  message: string,
): Promise<T> {
  let last = await snapshot();
  await expect
    .poll(
      async () => {
        last = await snapshot();
        return last.reported !== null && JSON.stringify(last.reported) === JSON.stringify(last.server);
      },
      { message, timeout: 15_000 },
    )
    .toBe(true)
    .catch(() => undefined);
  return last;
}

async function expectCookiesFromServerOrScripts(load: PageLoad, page: Page, response: VisitResponse): Promise<void> {
  const sent = load.lines().flatMap((l) => l.setCookie.map((c) => ({ ...setCookieIdentity(c, l.host), host: l.host })));
  const written = page.isClosed() ? [] : await scriptCookieWrites(page);
  for (const cookie of response.report?.cookies.items ?? []) {
    const fromServer = sent.some(
      (s) => s.name === cookie.name && (s.domain === cookie.domain || domainMatches(cookie.domain, s.host)),
    );
    const fromScript = written.some((w) => w.name === cookie.name && domainMatches(cookie.domain, w.host));
    expect(
      fromServer || fromScript,
      `cookie ${cookie.name} (${cookie.domain}) of ${load.name}: sent by the server or written by a script of the page`,
    ).toBe(true);
  }
}

/** The counts of a visit's own table (the tab's previous visit has no report of its own in the answer). */
function visitTableCounts(visit: VisitCounts): ServerCounts {
  const hosts: Record<string, number> = {};
  for (const h of visit.hosts) if (h.requests > 0) hosts[h.host] = h.requests;
  const r = visit.requests ?? { total: 0, firstParty: 0, thirdParty: 0 };
  return { total: r.total, firstParty: r.firstParty, thirdParty: r.thirdParty, hosts: sortKeys(hosts) };
}

/**
 * Which log lines of a load belong to which of the tab's two latest visits after a soft navigation
 * (a page opened inside a single-page app). The fixture app tags each request with the view it was
 * started in, so the split comes from the page, not from the extension's clock. Lines in neither
 * belong to visits the tab no longer keeps (it keeps one previous visit).
 */
export interface VisitSplit {
  previous: (line: LogLine) => boolean;
  current: (line: LogLine) => boolean;
}

/**
 * The differential check across a soft navigation: the tab's current visit (its report) equals the
 * log lines of the current view, and its previous visit (Visit.previous, its own table) the lines of
 * the view before — host by host, requests in flight at the change included. Polls like
 * expectCountsMatchServer, then compares the last snapshot.
 */
export async function expectSplitMatchesServer(
  load: PageLoad,
  { page, extensionId, tabId }: CountsCheckOptions,
  split: VisitSplit,
): Promise<{ previous: ServerCounts; current: ServerCounts }> {
  const snapshot = async () => {
    const response = await visitResponse(page, extensionId, tabId);
    const previous = response.visit?.previous;
    if (!response.report || !previous) return { response, reported: null, server: null };
    const lines = load.lines();
    const siteOf = (url: string) => siteOfHost(new URL(url).hostname);
    return {
      response,
      reported: { previous: visitTableCounts(previous), current: reportedCounts(response)! },
      server: {
        previous: serverCounts(lines.filter(split.previous), siteOf(previous.url)),
        current: serverCounts(lines.filter(split.current), siteOf(response.report.url)),
      },
    };
  };
  const last = await settledSnapshot(snapshot, `both visits of ${load.name} equal their parts of the server's log`);
  const logText = load
    .lines()
    .map(
      (l) =>
        `${l.method} ${l.host}${l.path} ${l.status} previous=${split.previous(l)} current=${split.current(l)}${isExtensionLine(l) ? ' (extension)' : ''}`,
    )
    .join('\n  ');
  expect(
    last.reported,
    `visits of ${load.name} (left) vs the server's log split by view (right); log:\n  ${logText}\n`,
  ).toEqual(last.server);
  await expectCookiesFromServerOrScripts(load, page, last.response);
  return last.server!;
}
