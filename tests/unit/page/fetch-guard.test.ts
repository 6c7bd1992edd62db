// The local-network guard on legal-page fetches (lib/page/fetch-guard.ts) and the log of the
// extension's own requests it relies on for redirects and server addresses (lib/page/own-requests.ts).
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type FetchScope,
  fetchScopeOf,
  isLocalNetworkAddress,
  isLocalNetworkHost,
  mayReadAnswerFrom,
  mayRequest,
  pageIpOf,
  redirectTarget,
  scopeKey,
} from '@/lib/page/fetch-guard';
import { OwnRequests } from '@/lib/page/own-requests';

const PUBLIC: FetchScope = fetchScopeOf('https://www.example.de/', '93.184.216.34');
const hostname = (url: string) => new URL(url).hostname;

describe('isLocalNetworkHost', () => {
  it('treats a trailing dot as the same host (new URL keeps it)', () => {
    // Each of these was fetched from public pages before: the dot hid the local name.
    for (const url of [
      'http://localhost.:8080/impressum',
      'http://intranet./datenschutz',
      'http://router.local./',
      'http://foo.internal./x',
      'http://LOCALHOST../',
      'http://nas.home.arpa./',
    ])
      expect(isLocalNetworkHost(hostname(url)), url).toBe(true);
    expect(hostname('http://localhost.:8080/')).toBe('localhost.');
  });

  it('knows local names and addresses', () => {
    for (const host of [
      'localhost',
      'app.localhost',
      'intranet',
      'printer.local',
      'metadata.google.internal',
      'nas.home.arpa',
      'router.lan',
      'speedport.ip',
      'x.corp',
      'site.test',
      '127.0.0.1',
      '127.0.0.1.',
      '10.0.0.1',
      '192.168.178.1',
      '169.254.169.254',
      '[::1]',
      '[::1].',
      '[fe80::1]',
      '[fd00::1]',
      '[::ffff:192.168.0.1]',
      '',
    ])
      expect(isLocalNetworkHost(host), host).toBe(true);
    // WHATWG URL turns other IPv4 spellings into dotted quads first.
    expect(isLocalNetworkHost(hostname('http://0x7f.1/'))).toBe(true);
    expect(isLocalNetworkHost(hostname('http://2130706433/'))).toBe(true);
  });

  it('lets public names and addresses through', () => {
    for (const host of [
      'www.example.de',
      'www.example.de.',
      'alice.github.io',
      'linktr.ee',
      'xn--mnchen-3ya.de',
      '93.184.216.34',
      '[2a00:1450:4001::1]',
    ])
      expect(isLocalNetworkHost(host), host).toBe(false);
  });

  it('gives the same answer with and without trailing dots, for any host', () => {
    const label = fc.stringMatching(/^[a-z0-9-]{1,12}$/);
    const host = fc.oneof(
      fc.array(label, { minLength: 1, maxLength: 4 }).map((l) => l.join('.')),
      fc.ipV4(),
      fc.constantFrom('localhost', 'intranet', 'router.local', 'www.example.de', 'foo.internal'),
    );
    fc.assert(
      fc.property(
        host,
        fc.integer({ min: 1, max: 3 }),
        (h, dots) => isLocalNetworkHost(h + '.'.repeat(dots)) === isLocalNetworkHost(h),
      ),
    );
  });
});

describe('mayRequest: a public page cannot make the extension request the local network', () => {
  it('refuses local targets from public pages, with or without trailing dots', () => {
    expect(mayRequest('https://www.example.de/impressum', PUBLIC)).toBe(true);
    expect(mayRequest('https://www.example.de./impressum', PUBLIC)).toBe(true);
    for (const url of [
      'http://192.168.1.1/impressum',
      'http://10.0.0.1/',
      'http://127.0.0.1:8080/datenschutz',
      'http://localhost/impressum',
      'http://localhost.:8080/impressum',
      'http://router/admin',
      'http://intranet./impressum',
      'http://[::1]/x',
      'http://169.254.169.254/latest',
      'http://printer.local/',
      'http://router.local./',
      'http://foo.internal./',
      'https://user:pw@www.example.de/impressum',
      'ftp://www.example.de/',
      'not a url',
    ])
      expect(mayRequest(url, PUBLIC), url).toBe(false);
  });

  it('allows local targets from local pages', () => {
    expect(mayRequest('http://intranet/impressum', fetchScopeOf('http://intranet/start', null))).toBe(true);
    expect(mayRequest('http://intranet./impressum', fetchScopeOf('http://intranet./start', null))).toBe(true);
    expect(mayRequest('http://192.168.1.1/impressum', fetchScopeOf('http://192.168.1.1/', null))).toBe(true);
  });
});

describe('mayReadAnswerFrom: an answer from a local address is read only for a page from one', () => {
  const LOCAL = [
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.9',
    '192.168.178.1',
    '169.254.169.254',
    '100.64.0.1',
    '::1',
    'fe80::1',
    'fd12:3456::1',
    '::ffff:192.168.0.1',
  ];
  const PUBLIC_IPS = ['93.184.216.34', '8.8.8.8', '2a00:1450:4001:82b::2003'];

  it('refuses local server addresses while the page came from a public one', () => {
    for (const ip of LOCAL) expect(mayReadAnswerFrom(ip, PUBLIC), ip).toBe(false);
    for (const ip of PUBLIC_IPS) expect(mayReadAnswerFrom(ip, PUBLIC), ip).toBe(true);
    // Unknown (no webRequest report): the name rule has decided already.
    expect(mayReadAnswerFrom(null, PUBLIC)).toBe(true);
    expect(mayReadAnswerFrom('not an ip', PUBLIC)).toBe(true);
  });

  it('reads local answers for a page whose own main frame came from a local address, whatever its name', () => {
    // Split-horizon DNS: a public-looking intranet name with a private address.
    const intranet = fetchScopeOf('https://wiki.firma.de/', '10.0.0.5');
    expect(intranet).toEqual({ localNames: false, localAddresses: true });
    for (const ip of LOCAL) expect(mayReadAnswerFrom(ip, intranet), ip).toBe(true);
    // The name rule still holds for it: single-label names stay out of reach.
    expect(mayRequest('http://router/', intranet)).toBe(false);
  });

  it('takes the page name when its address is unknown, and the address over the name when known', () => {
    expect(fetchScopeOf('https://www.example.de/', null)).toEqual({ localNames: false, localAddresses: false });
    expect(fetchScopeOf('http://intranet./', null)).toEqual({ localNames: true, localAddresses: true });
    expect(fetchScopeOf('http://intranet/', '93.184.216.34')).toEqual({ localNames: true, localAddresses: false });
    expect(fetchScopeOf('not a url', null)).toEqual({ localNames: false, localAddresses: false });
    expect(isLocalNetworkAddress(undefined)).toBe(false);
  });

  it('keeps scopes apart in cache keys', () => {
    const keys = new Set(
      [
        PUBLIC,
        fetchScopeOf('https://wiki.firma.de/', '10.0.0.5'),
        fetchScopeOf('http://intranet/', null),
        fetchScopeOf('http://intranet/', '93.184.216.34'),
      ].map(scopeKey),
    );
    expect(keys.size).toBe(4);
  });
});

describe('redirectTarget and pageIpOf', () => {
  it('resolves a redirect against the URL that answered, drops the fragment, refuses non-web schemes', () => {
    expect(redirectTarget('/impressum#top', 'https://www.example.de/a/b')).toBe('https://www.example.de/impressum');
    expect(redirectTarget('http://localhost.:8080/x', 'https://www.example.de/')).toBe('http://localhost.:8080/x');
    expect(redirectTarget('javascript:alert(1)', 'https://www.example.de/')).toBeNull();
    expect(redirectTarget('http://[bad', 'https://www.example.de/')).toBeNull();
  });

  it('finds the page host’s first server IP in the visit', () => {
    const visit = {
      hostIndex: { 'www.example.de': 1 },
      hosts: [{ ips: ['1.1.1.1'] }, { ips: ['93.184.216.34', '10.0.0.1'] }],
    } as unknown as Parameters<typeof pageIpOf>[0];
    expect(pageIpOf(visit, 'https://WWW.example.de./x')).toBe('93.184.216.34');
    expect(pageIpOf(visit, 'https://other.example.de/')).toBeNull();
    expect(pageIpOf(null, 'https://www.example.de/')).toBeNull();
  });
});

describe('OwnRequests: the redirect target and server IP of our own fetches, from webRequest', () => {
  const ORIGIN = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  it('keeps only the extension’s own requests (tab -1, our origin)', async () => {
    const log = new OwnRequests(ORIGIN);
    const url = 'https://www.example.de/impressum';
    log.observe({ tabId: 3, url, redirectUrl: 'http://a/', ip: '1.1.1.1', initiator: ORIGIN });
    log.observe({ tabId: -1, url, redirectUrl: 'http://b/', ip: '1.1.1.1', initiator: 'https://www.example.de' });
    log.observe({ tabId: -1, url, redirectUrl: 'http://c/', ip: '1.1.1.1', initiator: `${ORIGIN}x` });
    const pending = log.redirectOf(url, Date.now(), 500);
    await vi.advanceTimersByTimeAsync(500);
    expect(await pending).toBeNull();
    // Firefox's field, and a fragment on the URL (webRequest keeps it, fetch does not).
    log.observe({
      tabId: -1,
      url: `${url}#top`,
      redirectUrl: 'http://localhost./',
      ip: '127.0.0.1',
      originUrl: `${ORIGIN}/_generated_background_page.html`,
    });
    expect(await log.redirectOf(url, 0, 500)).toMatchObject({ redirectUrl: 'http://localhost./', ip: '127.0.0.1' });
    const response = log.responseOf(url, 0, 10);
    await vi.advanceTimersByTimeAsync(10);
    expect(await response).toBeNull();
  });

  it('waits for an event that arrives after fetch() settled, and ignores one from before the fetch', async () => {
    const log = new OwnRequests(ORIGIN);
    const url = 'https://www.example.de/datenschutz';
    log.observe({ tabId: -1, url, ip: '10.0.0.1', initiator: ORIGIN });
    await vi.advanceTimersByTimeAsync(10);
    const since = Date.now();
    const pending = log.responseOf(url, since, 1_000);
    await vi.advanceTimersByTimeAsync(5);
    log.observe({ tabId: -1, url, ip: '93.184.216.34', initiator: ORIGIN });
    expect(await pending).toMatchObject({ ip: '93.184.216.34' });
  });
});
