import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseHttpHostHref,
  sameOrigin,
  isIpHost,
  isThirdPartyHost,
  normaliseHost,
  parseHttpUrl,
  siteOfCookieDomain,
  siteOfHost,
  siteOfUrl,
} from '@/lib/site';

describe('parseHttpUrl', () => {
  it('parses http and https URLs', () => {
    expect(parseHttpUrl('http://www.example.com/a?b=c#d')).toEqual({
      host: 'www.example.com',
      scheme: 'http',
      href: 'http://www.example.com/a?b=c#d',
      pathname: '/a',
    });
    expect(parseHttpUrl('https://Example.COM/')).toEqual({
      host: 'example.com',
      scheme: 'https',
      href: 'https://example.com/',
      pathname: '/',
    });
  });

  it('accepts an upper-case scheme', () => {
    expect(parseHttpUrl('HTTPS://example.com/x')).toMatchObject({ scheme: 'https', host: 'example.com' });
  });

  it('strips IPv6 brackets and trailing dots from the host', () => {
    expect(parseHttpUrl('http://[::1]:8080/')?.host).toBe('::1');
    expect(parseHttpUrl('http://www.example.com./')?.host).toBe('www.example.com');
  });

  it('converts an IDN host to punycode', () => {
    const parsed = parseHttpUrl('http://münchen.de/');
    expect(parsed?.host).toBe('xn--mnchen-3ya.de');
    expect(parsed?.href).toBe('http://xn--mnchen-3ya.de/');
  });

  it.each([
    'data:text/html,<p>hi</p>',
    'blob:https://example.com/550e8400-e29b-41d4-a716-446655440000',
    'about:blank',
    'chrome-extension://x/y',
    'moz-extension://abc/popup.html',
    'javascript:alert(1)',
    'ws://example.com/socket',
    'wss://example.com/socket',
    'ftp://example.com/file',
    'file:///etc/passwd',
    '',
    'http://',
    'https://',
    'not a url',
    '   ',
    'http://exa mple.com/',
    'http://[::1/',
  ])('returns null for %j', (url) => {
    expect(() => parseHttpUrl(url)).not.toThrow();
    expect(parseHttpUrl(url)).toBeNull();
  });

  it('returns null for very long non-URL strings and never throws', () => {
    const junk = 'a'.repeat(1_000_000);
    expect(parseHttpUrl(junk)).toBeNull();
    expect(parseHttpUrl('http://' + ' '.repeat(100_000))).toBeNull();
    expect(parseHttpUrl('http://[' + ':'.repeat(100_000) + ']/')).toBeNull();
  });

  it('handles a very long but valid URL without throwing', () => {
    const url = 'https://example.com/' + 'p'.repeat(200_000);
    expect(() => parseHttpUrl(url)).not.toThrow();
    expect(parseHttpUrl(url)?.host).toBe('example.com');
  });

  it('returns null for non-string input instead of throwing', () => {
    expect(parseHttpUrl(undefined as unknown as string)).toBeNull();
    expect(parseHttpUrl(null as unknown as string)).toBeNull();
    expect(parseHttpUrl(42 as unknown as string)).toBeNull();
  });
});

describe('normaliseHost', () => {
  it('lower-cases', () => {
    expect(normaliseHost('WWW.Example.COM')).toBe('www.example.com');
  });
  it('strips trailing dots, also several', () => {
    expect(normaliseHost('example.com.')).toBe('example.com');
    expect(normaliseHost('example.com...')).toBe('example.com');
  });
  it('strips IPv6 brackets', () => {
    expect(normaliseHost('[::1]')).toBe('::1');
    expect(normaliseHost('[2001:DB8::1]')).toBe('2001:db8::1');
  });
  it('leaves an already normal host alone', () => {
    expect(normaliseHost('a.b.example')).toBe('a.b.example');
    expect(normaliseHost('')).toBe('');
  });
});

describe('isIpHost', () => {
  it('recognises IPv4 and IPv6 literals only', () => {
    expect(isIpHost('8.8.8.8')).toBe(true);
    expect(isIpHost('::1')).toBe(true);
    expect(isIpHost('2001:db8::1')).toBe(true);
    expect(isIpHost('example.com')).toBe(false);
    expect(isIpHost('1.2.3.example')).toBe(false);
  });
});

describe('siteOfHost', () => {
  it.each([
    ['www.example.co.uk', 'example.co.uk'],
    ['a.b.c.example.co.uk', 'example.co.uk'],
    ['cdn.linktr.ee', 'linktr.ee'],
    ['example.com', 'example.com'],
    ['www.example.com', 'example.com'],
    ['alice.github.io', 'alice.github.io'],
    ['assets.alice.github.io', 'alice.github.io'],
    ['github.io', 'github.io'],
    ['co.uk', 'co.uk'],
    ['8.8.8.8', '8.8.8.8'],
    ['192.168.0.1', '192.168.0.1'],
    ['2001:db8::1', '2001:db8::1'],
    ['[::1]', '::1'],
    ['localhost', 'localhost'],
    ['WWW.Example.COM.', 'example.com'],
    ['xn--mnchen-3ya.de', 'xn--mnchen-3ya.de'],
    ['www.xn--mnchen-3ya.de', 'xn--mnchen-3ya.de'],
    ['', ''],
  ])('%j -> %j', (host, site) => {
    expect(siteOfHost(host)).toBe(site);
  });

  it('does not split IPv4 addresses at dots', () => {
    // A naive eTLD+1 would turn 10.0.0.1 into "0.1".
    expect(siteOfHost('10.0.0.1')).toBe('10.0.0.1');
    expect(siteOfHost('10.0.0.1')).not.toBe(siteOfHost('10.9.0.1'));
  });

  it('never throws for odd input', () => {
    for (const h of ['.', '..', '[', ']', '[]', ':::', 'a..b', '-.-', 'x'.repeat(100_000)]) {
      expect(() => siteOfHost(h)).not.toThrow();
      expect(typeof siteOfHost(h)).toBe('string');
    }
  });
});

describe('siteOfUrl', () => {
  it('ignores ports', () => {
    expect(siteOfUrl('http://a.example.com:8080/x')).toBe('example.com');
    expect(siteOfUrl('https://[::1]:8443/')).toBe('::1');
  });
  it('gives the punycode site of an IDN URL', () => {
    expect(siteOfUrl('http://www.münchen.de/')).toBe('xn--mnchen-3ya.de');
  });
  it('is null for non-http URLs', () => {
    expect(siteOfUrl('data:,x')).toBeNull();
    expect(siteOfUrl('about:blank')).toBeNull();
  });
});

describe('isThirdPartyHost', () => {
  it('treats same-site subdomains as first party', () => {
    expect(isThirdPartyHost('static.example.com', 'example.com')).toBe(false);
    expect(isThirdPartyHost('example.com', 'example.com')).toBe(false);
    expect(isThirdPartyHost('WWW.EXAMPLE.COM.', 'example.com')).toBe(false);
  });
  it('treats a different registrable domain as third party', () => {
    expect(isThirdPartyHost('tracker.net', 'example.com')).toBe(true);
    expect(isThirdPartyHost('example.com.evil.net', 'example.com')).toBe(true);
    expect(isThirdPartyHost('badexample.com', 'example.com')).toBe(true);
  });
  it('treats different github.io users as different sites', () => {
    expect(isThirdPartyHost('bob.github.io', siteOfHost('alice.github.io'))).toBe(true);
    expect(isThirdPartyHost('cdn.alice.github.io', siteOfHost('alice.github.io'))).toBe(false);
  });
  it('treats different IPs as different sites', () => {
    expect(isThirdPartyHost('8.8.4.4', '8.8.8.8')).toBe(true);
    expect(isThirdPartyHost('8.8.8.8', '8.8.8.8')).toBe(false);
  });
});

describe('siteOfCookieDomain', () => {
  it('treats a leading dot as the same site as the bare domain', () => {
    expect(siteOfCookieDomain('.example.com')).toBe('example.com');
    expect(siteOfCookieDomain('www.example.com')).toBe('example.com');
    expect(siteOfCookieDomain('.alice.github.io')).toBe('alice.github.io');
  });
});

describe('sameOrigin', () => {
  it('compares scheme, host and port; unparsable URLs never match', () => {
    expect(sameOrigin('https://a.example/x', 'https://a.example/y?z')).toBe(true);
    expect(sameOrigin('https://a.example/', 'http://a.example/')).toBe(false);
    expect(sameOrigin('https://a.example/', 'https://a.example:8443/')).toBe(false);
    expect(sameOrigin('not a url', 'not a url')).toBe(false);
  });
});

describe('parseHttpHostHref (the fast path the tally uses)', () => {
  const slow = (url: string) => {
    const p = parseHttpUrl(url);
    return p ? { host: p.host, href: p.href } : null;
  };

  it('equals parseHttpUrl on canonical and on tricky URLs', () => {
    for (const url of [
      'https://www.example.com/a/b.js?x=1&y=%20#frag',
      'http://localhost:8080/',
      'http://127.0.0.1:4000/ip.gif',
      'https://example.com:443/default-port',
      'http://example.com:80/default-port',
      'http://example.com:/empty-port',
      'http://example.com:0080/leading-zero',
      'http://EXAMPLE.com/upper',
      'http://example.com',
      'http://example.com?q',
      'http://example.com/a/../b',
      'http://example.com/a/%2e%2E/b',
      'http://example.com/ä',
      'http://example.com/a b',
      "http://example.com/?q='x'",
      'http://example.com/a|b^c`d{e}',
      'http://0x7f.1/',
      'http://1.2.3.04/',
      'http://a.1/',
      'http://xn--mnchen-3ya.de/',
      'http://user:pw@example.com/',
      'http://exa mple.com/',
      'http://example.com./trailing-dot',
      'data:text/plain,x',
      'javascript:alert(1)',
      '',
    ])
      expect(parseHttpHostHref(url), url).toEqual(slow(url));
  });

  it('equals parseHttpUrl on generated URLs', () => {
    const label = fc.stringMatching(/^[a-zA-Z0-9-]{1,8}$/);
    const host = fc.oneof(
      fc.array(label, { minLength: 1, maxLength: 4 }).map((l) => l.join('.')),
      fc.ipV4(),
      fc.constantFrom('a.1', '0x10.2', 'xn--x.de', 'EXAMPLE.COM'),
    );
    const port = fc.oneof(
      fc.constant(''),
      fc.integer({ min: 0, max: 70000 }).map((n) => `:${n}`),
      fc.constantFrom(':', ':080', ':80', ':443'),
    );
    const tail = fc.string({
      unit: fc.constantFrom(...'abcXYZ019/._-~%2eE?#&=;:@!$\'()*+,[] "<>\\^`{|}äé\t'.split('')),
      maxLength: 24,
    });
    fc.assert(
      fc.property(fc.constantFrom('http://', 'https://', 'HTTP://', 'ftp://'), host, port, tail, (scheme, h, p, t) => {
        const url = `${scheme}${h}${p}${t}`;
        expect(parseHttpHostHref(url)).toEqual(slow(url));
      }),
      { numRuns: 3000 },
    );
  });
});
