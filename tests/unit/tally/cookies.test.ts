import { describe, expect, it } from 'vitest';
import {
  type ApiCookie,
  cookieDomainMatches,
  cookieKey,
  defaultCookiePath,
  fromApiCookie,
  MAX_COOKIE_LIFETIME_MS,
  parseCookieDate,
  parseSetCookie,
  setCookieLines,
} from '@/lib/tally/cookies';

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
const PAGE = 'example.com';
const URL_ = 'https://www.example.com/a/b/c.html';

function parse(header: string, url = URL_, pageSite = PAGE, now = NOW) {
  return parseSetCookie(header, url, pageSite, now);
}

function apiCookie(overrides: Partial<ApiCookie> = {}): ApiCookie {
  return {
    name: 'id',
    domain: '.example.com',
    path: '/',
    hostOnly: false,
    session: true,
    secure: false,
    httpOnly: false,
    ...overrides,
  };
}

describe('parseSetCookie', () => {
  it('reads name and value and marks the source', () => {
    const c = parse('sid=abc123');
    expect(c).not.toBeNull();
    expect(c!.name).toBe('sid');
    expect(c!.source).toBe('header');
    expect(c!.observedAt).toBe(NOW);
  });

  it('trims whitespace around name and attributes', () => {
    const c = parse('  sid = abc ;  Path = /x ; SECURE ; httponly');
    expect(c).toMatchObject({ name: 'sid', path: '/x', secure: true, httpOnly: true });
  });

  it('keeps "=" inside the value', () => {
    expect(parse('tok=a=b=c')?.name).toBe('tok');
  });

  it('treats a pair without "=" as a cookie with an empty name', () => {
    expect(parse('justavalue')).toMatchObject({ name: '' });
  });

  it('turns a Domain attribute into a domain cookie with a leading dot, lower-cased', () => {
    expect(parse('id=1; Domain=Example.COM')?.domain).toBe('.example.com');
    expect(parse('id=1; Domain=.example.com')?.domain).toBe('.example.com');
    expect(parse('id=1; domain=..example.com')?.domain).toBe('.example.com');
  });

  it('makes a cookie without Domain host-only on the request host', () => {
    expect(parse('id=1')?.domain).toBe('www.example.com');
    expect(parse('id=1', 'https://WWW.Example.com:8443/')?.domain).toBe('www.example.com');
  });

  it('ignores an empty Domain attribute (host-only)', () => {
    expect(parse('id=1; Domain=')?.domain).toBe('www.example.com');
    expect(parse('id=1; Domain=.')?.domain).toBe('www.example.com');
  });

  it('uses the RFC 6265 default-path when Path is missing or invalid', () => {
    expect(parse('id=1')?.path).toBe('/a/b');
    expect(parse('id=1', 'https://www.example.com/')?.path).toBe('/');
    expect(parse('id=1', 'https://www.example.com/file.html')?.path).toBe('/');
    expect(parse('id=1', 'https://www.example.com/dir/')?.path).toBe('/dir');
    expect(parse('id=1', 'https://www.example.com/a/b?x=/y/z')?.path).toBe('/a');
    expect(parse('id=1; Path=')?.path).toBe('/a/b');
    expect(parse('id=1; Path=relative')?.path).toBe('/a/b');
  });

  it('uses an explicit Path', () => {
    expect(parse('id=1; Path=/')?.path).toBe('/');
    expect(parse('id=1; Path=/shop')?.path).toBe('/shop');
  });

  it('is a session cookie without Max-Age and Expires', () => {
    expect(parse('id=1')?.expiresAt).toBeNull();
  });

  it('computes expiry from Max-Age', () => {
    expect(parse('id=1; Max-Age=3600')?.expiresAt).toBe(NOW + 3_600_000);
  });

  it('uses a future Expires date', () => {
    const expires = new Date(NOW + 86_400_000);
    expect(parse(`id=1; Expires=${expires.toUTCString()}`)?.expiresAt).toBe(expires.getTime());
  });

  it('lets Max-Age win over Expires regardless of order', () => {
    const past = new Date(NOW - 86_400_000).toUTCString();
    const future = new Date(NOW + 86_400_000 * 30).toUTCString();
    expect(parse(`id=1; Expires=${past}; Max-Age=60`)?.expiresAt).toBe(NOW + 60_000);
    expect(parse(`id=1; Max-Age=60; Expires=${past}`)?.expiresAt).toBe(NOW + 60_000);
    expect(parse(`id=1; Expires=${future}; Max-Age=60`)?.expiresAt).toBe(NOW + 60_000);
    expect(parse(`id=1; Max-Age=0; Expires=${future}`)).toBeNull();
  });

  it('returns null for deletions: Max-Age=0, negative Max-Age, past Expires', () => {
    expect(parse('id=; Max-Age=0')).toBeNull();
    expect(parse('id=1; Max-Age=-1')).toBeNull();
    expect(parse('id=; Expires=Thu, 01 Jan 1970 00:00:00 GMT')).toBeNull();
    expect(parse(`id=1; Expires=${new Date(NOW - 1000).toUTCString()}`)).toBeNull();
    expect(parse(`id=1; Expires=${new Date(NOW).toUTCString()}`)).toBeNull();
  });

  it('ignores a non-numeric Max-Age and an unparseable Expires', () => {
    expect(parse('a=b; Max-Age=abc')).toMatchObject({ name: 'a', expiresAt: null });
    expect(parse('a=b; Max-Age=1.5')).toMatchObject({ name: 'a', expiresAt: null });
    expect(parse('a=b; Expires=someday')).toMatchObject({ name: 'a', expiresAt: null });
    // An invalid Max-Age does not shadow a valid Expires.
    const future = new Date(NOW + 60_000);
    expect(parse(`a=b; Max-Age=abc; Expires=${future.toUTCString()}`)?.expiresAt).toBe(future.getTime());
  });

  it('partitions a Partitioned cookie under the page site, others not at all', () => {
    const tp = 'https://cdn.tracker.net/pixel';
    expect(parse('p=1; Secure; Partitioned; Path=/', tp, 'example.com')?.partition).toBe('example.com');
    expect(parse('p=1; Secure; Path=/', tp, 'example.com')?.partition).toBe('');
  });

  it.each([
    ['SameSite=Strict', 'strict'],
    ['SameSite=lax', 'lax'],
    ['samesite=NONE', 'none'],
    ['SameSite=bogus', 'unspecified'],
    ['SameSite', 'unspecified'],
    ['Path=/', 'unspecified'],
  ] as const)('SameSite: %j -> %j', (attr, expected) => {
    expect(parse(`id=1; ${attr}`)?.sameSite).toBe(expected);
  });

  it.each(['', ';;;', '=', ' = ', ';', '; Path=/', '=; Max-Age=100'])(
    'returns null for a line that sets nothing: %j',
    (header) => {
      expect(() => parse(header)).not.toThrow();
      expect(parse(header)).toBeNull();
    },
  );

  it('does not throw for weird input', () => {
    const weird = [
      'a=b; Max-Age=abc',
      'a=b;;;; ;=;==',
      'a=b; Domain',
      'a=b; Expires',
      'a=b; Max-Age=',
      'a=b; Max-Age=99999999999999999999999',
      '\u0000=\u0000',
      'a=b; Path=/\u00ff',
      ';a=b',
      'a'.repeat(9000) + '=1',
    ];
    for (const h of weird) expect(() => parse(h)).not.toThrow();
    expect(parse('a'.repeat(9000) + '=1')).toBeNull();
    expect(() => parseSetCookie(undefined as unknown as string, URL_, PAGE, NOW)).not.toThrow();
    expect(parseSetCookie(undefined as unknown as string, URL_, PAGE, NOW)).toBeNull();
  });

  it('returns null for a request URL that is not http(s)', () => {
    expect(parse('id=1', 'data:text/plain,x')).toBeNull();
    expect(parse('id=1', 'not a url')).toBeNull();
  });
});

describe('defaultCookiePath', () => {
  it.each([
    ['https://e.com/a/b/c.html', '/a/b'],
    ['https://e.com/a', '/'],
    ['https://e.com/', '/'],
    ['https://e.com', '/'],
    ['https://e.com/a/', '/a'],
    ['nonsense', '/'],
  ])('%j -> %j', (url, path) => {
    expect(defaultCookiePath(url)).toBe(path);
  });
});

describe('setCookieLines', () => {
  it('returns [] for missing or empty headers', () => {
    expect(setCookieLines(undefined)).toEqual([]);
    expect(setCookieLines([])).toEqual([]);
  });

  it('collects Chrome-style separate Set-Cookie headers, case-insensitively', () => {
    const lines = setCookieLines([
      { name: 'Content-Type', value: 'text/html' },
      { name: 'Set-Cookie', value: 'a=1; Path=/' },
      { name: 'set-cookie', value: 'b=2' },
      { name: 'SET-COOKIE', value: 'c=3; Max-Age=10' },
      { name: 'Set-Cookie2', value: 'x=old' },
    ]);
    expect(lines).toEqual(['a=1; Path=/', 'b=2', 'c=3; Max-Age=10']);
  });

  it('splits Firefox-style "\\n"-joined values', () => {
    expect(setCookieLines([{ name: 'set-cookie', value: 'a=1; Path=/\nb=2\n\nc=3' }])).toEqual([
      'a=1; Path=/',
      'b=2',
      'c=3',
    ]);
  });

  it('skips headers without a value', () => {
    expect(
      setCookieLines([
        { name: 'Set-Cookie' },
        { name: 'Set-Cookie', value: '' },
        { name: 'Set-Cookie', value: ' \n ' },
      ]),
    ).toEqual([]);
  });
});

describe('fromApiCookie', () => {
  it('keeps a host-only cookie on its host without a dot', () => {
    const c = fromApiCookie(apiCookie({ domain: 'www.example.com', hostOnly: true }), NOW);
    expect(c.domain).toBe('www.example.com');
  });

  it('gives a domain cookie a leading dot, also when the API omits it', () => {
    expect(fromApiCookie(apiCookie({ domain: '.example.com', hostOnly: false }), NOW).domain).toBe('.example.com');
    expect(fromApiCookie(apiCookie({ domain: 'Example.com', hostOnly: false }), NOW).domain).toBe('.example.com');
  });

  it('strips a leading dot from a host-only cookie domain', () => {
    expect(fromApiCookie(apiCookie({ domain: '.www.example.com', hostOnly: true }), NOW).domain).toBe(
      'www.example.com',
    );
  });

  it('turns a partition key into the partition site', () => {
    expect(fromApiCookie(apiCookie({ partitionKey: { topLevelSite: 'https://example.com' } }), NOW).partition).toBe(
      'example.com',
    );
    expect(
      fromApiCookie(apiCookie({ partitionKey: { topLevelSite: 'https://www.example.co.uk' } }), NOW).partition,
    ).toBe('example.co.uk');
    expect(fromApiCookie(apiCookie({ partitionKey: {} }), NOW).partition).toBe('');
    expect(fromApiCookie(apiCookie({ partitionKey: null }), NOW).partition).toBe('');
    expect(fromApiCookie(apiCookie(), NOW).partition).toBe('');
  });

  it('maps session and expirationDate (seconds) to expiresAt (ms)', () => {
    expect(fromApiCookie(apiCookie({ session: true, expirationDate: 1_900_000_000 }), NOW).expiresAt).toBeNull();
    expect(fromApiCookie(apiCookie({ session: false }), NOW).expiresAt).toBeNull();
    expect(fromApiCookie(apiCookie({ session: false, expirationDate: 1_900_000_000.4 }), NOW).expiresAt).toBe(
      1_900_000_000_400,
    );
  });

  it('maps sameSite values of Chrome and Firefox', () => {
    expect(fromApiCookie(apiCookie({ sameSite: 'no_restriction' }), NOW).sameSite).toBe('none');
    expect(fromApiCookie(apiCookie({ sameSite: 'lax' }), NOW).sameSite).toBe('lax');
    expect(fromApiCookie(apiCookie({ sameSite: 'strict' }), NOW).sameSite).toBe('strict');
    expect(fromApiCookie(apiCookie({ sameSite: 'unspecified' }), NOW).sameSite).toBe('unspecified');
    expect(fromApiCookie(apiCookie(), NOW).sameSite).toBe('unspecified');
  });

  it('defaults an empty path to "/" and marks the source as script', () => {
    const c = fromApiCookie(apiCookie({ path: '' }), NOW);
    expect(c.path).toBe('/');
    expect(c.source).toBe('script');
    expect(c.observedAt).toBe(NOW);
  });
});

describe('cookieKey', () => {
  it('is equal for a header and an API observation of the same domain cookie', () => {
    const header = parse('id=1; Domain=example.com; Path=/; Max-Age=60', 'https://www.example.com/x');
    const api = fromApiCookie(
      apiCookie({
        name: 'id',
        domain: '.example.com',
        path: '/',
        hostOnly: false,
        session: false,
        expirationDate: NOW / 1000 + 60,
      }),
      NOW,
    );
    expect(header).not.toBeNull();
    expect(cookieKey(header!)).toBe(cookieKey(api));
  });

  it('is equal for a host-only cookie with default path', () => {
    const header = parse('sid=1', 'https://www.example.com/a/b/c.html');
    const api = fromApiCookie(apiCookie({ name: 'sid', domain: 'www.example.com', path: '/a/b', hostOnly: true }), NOW);
    expect(cookieKey(header!)).toBe(cookieKey(api));
  });

  it('is equal for a partitioned cookie (CHIPS)', () => {
    const header = parse('p=1; Secure; Partitioned; Path=/', 'https://cdn.tracker.net/p', 'example.com');
    const api = fromApiCookie(
      apiCookie({
        name: 'p',
        domain: 'cdn.tracker.net',
        hostOnly: true,
        path: '/',
        partitionKey: { topLevelSite: 'https://example.com' },
      }),
      NOW,
    );
    expect(cookieKey(header!)).toBe(cookieKey(api));
  });

  it('differs when any of name, domain, path or partition differs', () => {
    const base = { name: 'id', domain: '.example.com', path: '/', partition: '' };
    const key = cookieKey(base);
    expect(cookieKey({ ...base, name: 'id2' })).not.toBe(key);
    expect(cookieKey({ ...base, domain: 'example.com' })).not.toBe(key);
    expect(cookieKey({ ...base, path: '/a' })).not.toBe(key);
    expect(cookieKey({ ...base, partition: 'other.com' })).not.toBe(key);
  });

  it('distinguishes a host-only cookie from a domain cookie of the same host', () => {
    const hostOnly = parse('id=1; Path=/', 'https://example.com/');
    const domain = parse('id=1; Path=/; Domain=example.com', 'https://example.com/');
    expect(cookieKey(hostOnly!)).not.toBe(cookieKey(domain!));
  });
});

describe('cookieDomainMatches', () => {
  it('matches a domain cookie to its domain and subdomains', () => {
    expect(cookieDomainMatches('.example.com', 'example.com')).toBe(true);
    expect(cookieDomainMatches('.example.com', 'www.example.com')).toBe(true);
    expect(cookieDomainMatches('.example.com', 'a.b.example.com')).toBe(true);
  });
  it('does not match a domain cookie to a look-alike host', () => {
    expect(cookieDomainMatches('.example.com', 'badexample.com')).toBe(false);
    expect(cookieDomainMatches('.example.com', 'example.com.evil.net')).toBe(false);
    expect(cookieDomainMatches('.example.com', 'com')).toBe(false);
  });
  it('matches a host-only cookie to exactly its host', () => {
    expect(cookieDomainMatches('www.example.com', 'www.example.com')).toBe(true);
    expect(cookieDomainMatches('www.example.com', 'example.com')).toBe(false);
    expect(cookieDomainMatches('www.example.com', 'a.www.example.com')).toBe(false);
  });
});

describe('parseSetCookie with a foreign Domain attribute', () => {
  it('ignores a line whose Domain does not domain-match the request host, as the browser does', () => {
    expect(parseSetCookie('x=1; Domain=example.com', 'https://tracker.net/p.gif', 'example.com', 0)).toBeNull();
    expect(parseSetCookie('x=1; Domain=example.com', 'https://cdn.example.com/p.gif', 'example.com', 0)?.domain).toBe(
      '.example.com',
    );
  });
});

describe('Domain set to a public suffix (RFC 6265 §5.3 step 5, as browsers refuse it)', () => {
  it('refuses Domain=github.io from alice.github.io (private section of the list)', () => {
    expect(parse('id=1; Domain=github.io', 'https://alice.github.io/', 'alice.github.io')).toBeNull();
  });

  it('refuses a top-level or multi-label public suffix as Domain', () => {
    expect(parse('id=1; Domain=com')).toBeNull();
    expect(parse('id=1; Domain=.co.uk', 'https://shop.example.co.uk/', 'example.co.uk')).toBeNull();
    expect(parse('id=1; Domain=de', 'https://www.ampel-test.de/', 'ampel-test.de')).toBeNull();
  });

  it('makes the cookie host-only when the public suffix is the request host itself', () => {
    expect(parse('id=1; Domain=github.io', 'https://github.io/', 'github.io')?.domain).toBe('github.io');
  });

  it('keeps a registrable domain below a public suffix', () => {
    expect(parse('id=1; Domain=alice.github.io', 'https://www.alice.github.io/', 'alice.github.io')?.domain).toBe(
      '.alice.github.io',
    );
    expect(parse('id=1; Domain=example.co.uk', 'https://shop.example.co.uk/', 'example.co.uk')?.domain).toBe(
      '.example.co.uk',
    );
  });

  it('lets an IP address name only itself, host-only', () => {
    expect(parse('id=1; Domain=127.0.0.1', 'http://127.0.0.1:8080/', '127.0.0.1')?.domain).toBe('127.0.0.1');
    expect(parse('id=1; Domain=0.0.1', 'http://127.0.0.1:8080/', '127.0.0.1')).toBeNull();
  });
});

describe('cookie dates (RFC 6265 §5.1.1)', () => {
  it.each([
    ['Wed, 01 Jan 55 00:00:00 GMT', Date.UTC(2055, 0, 1)],
    ['Thu, 01 Jan 70 00:00:00 GMT', Date.UTC(1970, 0, 1)],
    ['Fri, 31 Dec 99 23:59:59 GMT', Date.UTC(1999, 11, 31, 23, 59, 59)],
    ['Sat, 01 Jan 00 00:00:00 GMT', Date.UTC(2000, 0, 1)],
    ['Sun, 31 Dec 69 12:00:00 GMT', Date.UTC(2069, 11, 31, 12)],
    ['Sunday, 06-Nov-94 08:49:37 GMT', Date.UTC(1994, 10, 6, 8, 49, 37)],
    ['Sun Nov  6 08:49:37 1994', Date.UTC(1994, 10, 6, 8, 49, 37)],
    ['Tue, 15 Jun 2027 10:00:00 GMT', Date.UTC(2027, 5, 15, 10)],
    ['15 june 2027 10:00:00', Date.UTC(2027, 5, 15, 10)],
  ])('%j', (text, want) => {
    expect(parseCookieDate(text)).toBe(want);
  });

  it.each([
    '',
    'someday',
    'Wed, 01 Jan 2030',
    '32 Jan 2030 00:00:00',
    '30 Feb 2030 00:00:00',
    '01 Jan 1600 00:00:00',
    '01 Jan 2030 24:00:00',
    '01 Foo 2030 00:00:00',
  ])('is no date: %j', (text) => expect(parseCookieDate(text)).toBeNull());

  it('a cookie that lives until 2055 is a cookie, not a deletion', () => {
    const c = parse('id=1; Expires=Wed, 01 Jan 55 00:00:00 GMT');
    expect(c).not.toBeNull();
    expect(c!.requestedExpiresAt).toBe(Date.UTC(2055, 0, 1));
  });

  it('a two-digit year 70–99 is in the past: a deletion', () => {
    expect(parse('id=; Expires=Thu, 01 Jan 98 00:00:00 GMT')).toBeNull();
  });
});

describe('the 400-day lifetime cap (RFC 6265bis §5.5)', () => {
  it('stores at most 400 days and remembers what the site asked for', () => {
    const c = parse('id=1; Max-Age=315360000');
    expect(c!.expiresAt).toBe(NOW + MAX_COOKIE_LIFETIME_MS);
    expect(c!.requestedExpiresAt).toBe(NOW + 315_360_000_000);
  });

  it('leaves shorter lifetimes alone, without a requested expiry', () => {
    const c = parse('id=1; Max-Age=86400');
    expect(c!.expiresAt).toBe(NOW + 86_400_000);
    expect(c).not.toHaveProperty('requestedExpiresAt');
  });
});

describe('partitioning per browser: the header cookie gets the partition the browser stores it under', () => {
  const tracker = 'https://ads.tracker.net/px.gif';
  const own = 'https://www.example.com/';
  const jarCookie = (overrides: Partial<ApiCookie>) =>
    fromApiCookie(apiCookie({ name: 'p', domain: 'ads.tracker.net', hostOnly: true, ...overrides }), NOW);

  it('Chromium (CHIPS): only Partitioned cookies, under the top-level site; the jar agrees', () => {
    const chips = parseSetCookie('p=1; Secure; SameSite=None; Partitioned', tracker, PAGE, NOW, 'chips')!;
    const plain = parseSetCookie('p=1; Secure; SameSite=None', tracker, PAGE, NOW, 'chips')!;
    expect(chips.partition).toBe('example.com');
    expect(plain.partition).toBe('');
    expect(cookieKey(chips)).toBe(cookieKey(jarCookie({ partitionKey: { topLevelSite: 'https://example.com' } })));
  });

  it('Firefox (Total Cookie Protection): a third-party cookie is partitioned without the attribute; first-party ones are not', () => {
    const third = parseSetCookie('p=1; Secure; SameSite=None', tracker, PAGE, NOW, 'total-cookie-protection')!;
    const first = parseSetCookie('p=1', own, PAGE, NOW, 'total-cookie-protection')!;
    expect(third.partition).toBe('example.com');
    expect(first.partition).toBe('');
    // One cookie: the header's and the one Firefox reports with partitionKey.topLevelSite.
    expect(cookieKey(third)).toBe(cookieKey(jarCookie({ partitionKey: { topLevelSite: 'https://example.com' } })));
  });

  it('Firefox (first-party isolation): every cookie is keyed by the top-level site, as firstPartyDomain says', () => {
    const first = parseSetCookie('p=1', own, PAGE, NOW, 'first-party-isolation')!;
    expect(first.partition).toBe('example.com');
    const third = parseSetCookie('p=1; Secure; SameSite=None', tracker, PAGE, NOW, 'first-party-isolation')!;
    expect(cookieKey(third)).toBe(cookieKey(jarCookie({ firstPartyDomain: 'example.com' })));
  });

  it('an unpartitioned jar cookie (Firefox reports partitionKey null, firstPartyDomain "") has no partition', () => {
    expect(jarCookie({ partitionKey: null, firstPartyDomain: '' }).partition).toBe('');
  });
});
