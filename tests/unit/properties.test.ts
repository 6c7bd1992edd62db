/**
 * Property tests (fast-check): the functions that see what pages, servers and stored data hand us
 * must be total — never throw, finish in bounded time — and keep their promises on any input,
 * not only on the examples in the other unit tests (docs/security.md, "What the tests prove").
 * Run counts are tuned so the whole file stays well under 20 s.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSetCookie } from '@/lib/tally/cookies';
import { htmlToText } from '@/lib/legal/html-text';
import { IMPRINT_ELEMENT_IDS, analyseImprint } from '@/lib/legal/imprint';
import { MAX_ANALYSED_CHARS } from '@/lib/legal/patterns';
import { FACTS_LIMITS, type PageFacts, parsePageFacts } from '@/lib/page/facts';
import { type LinkCandidate, findLegalLinks, unwrapRedirector } from '@/lib/page/links';
import { PRIVACY_ELEMENT_IDS, analysePrivacyNotice } from '@/lib/legal/privacy-notice';
import { normaliseHost, parseHttpUrl, siteOfHost } from '@/lib/site';
import { cpuMs } from './helpers/cpu-time';
import { loadCorpus, textOf } from '../../scripts/eval-analysers';
import { loadLegalCorpus } from '../../scripts/eval-legal';

/** Every text of the team's corpus and of the legal corpus, as the analysers see it. */
function corpusTexts(): { name: string; text: string }[] {
  return [
    ...loadCorpus().map((c) => ({ name: c.file, text: textOf(c) })),
    ...loadLegalCorpus().map((d) => ({ name: d.id, text: htmlToText(d.html).text })),
  ];
}

const NOW = Date.UTC(2026, 10, 1);

// ------------------------------------------------------------------------------------------------
// Generators

/** Host-like strings: labels of letters/digits/hyphens, IDN, IP literals, odd dots and brackets. */
const label = fc.stringMatching(/^[a-z0-9-]{1,12}$/);
const hostLike = fc.oneof(
  fc.array(label, { minLength: 1, maxLength: 5 }).map((ls) => ls.join('.')),
  fc.domain(),
  fc.ipV4(),
  fc.tuple(fc.ipV6(), fc.constantFrom('', '.', '..')).map(([ip, dots]) => `[${ip}]${dots}`),
  fc.tuple(fc.domain(), fc.constantFrom('.', '..', '', 'É', 'ü.de', '.github.io', '.co.uk')).map(([d, s]) => d + s),
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '',
    '.',
    '..',
    '[',
    ']',
    '[]',
    '[::1]',
    'localhost',
    'github.io',
    'co.uk',
    'xn--bcher-kva.example',
    'bücher.de',
    'A.B.C.',
  ),
);

/** URL-like strings: real URLs, weird schemes, broken escapes, huge ones. */
const urlLike = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc
    .tuple(
      fc.constantFrom('http://', 'https://', 'HTTP://', 'javascript:', 'data:text/html,', 'blob:', 'ftp://', '//', ''),
      fc.string({ maxLength: 60 }),
    )
    .map(([a, b]) => a + b),
  fc
    .tuple(
      fc.constantFrom(
        'https://l.instagram.com/?u=',
        'https://www.google.com/url?q=',
        'https://l.facebook.com/l.php?u=',
        'https://www.youtube.com/redirect?q=',
      ),
      fc.string({ maxLength: 60 }),
    )
    .map(([a, b]) => a + encodeURIComponent(b)),
  fc.constantFrom(
    'http://[::1',
    'http://%zz/',
    'http://exa mple.com/',
    'https://bücher.example/impressum',
    'http://0x7f.1/',
    'http://192.0.2.1/datenschutz',
    `https://a.example/${'x'.repeat(5000)}`,
  ),
  fc.string({ maxLength: 80 }),
);

/** Text that exercises the analysers' patterns: legal words, addresses, numbers, e-mail, markup. */
const legalToken = fc.constantFrom(
  'Impressum',
  'Datenschutz',
  'Verantwortlicher',
  'Datenschutzbeauftragter',
  'Art. 6 Abs. 1 lit. a DSGVO',
  'Art. 15',
  'Auskunft',
  'Berichtigung',
  'Löschung',
  'Widerspruch',
  'Aufsichtsbehörde',
  'Hauptstraße 12',
  '12345 Musterstadt',
  'Postfach 10 01 23',
  'Tel.: +49 30 123456-0',
  'E-Mail:',
  'info@example.de',
  'info [at] example [dot] de',
  'HRB 12345',
  'USt-IdNr.: DE123456789',
  'GmbH',
  'e.V.',
  'Geschäftsführer',
  'vertreten durch',
  'Google Analytics',
  'Meta',
  'USA',
  'Drittland',
  'Speicherdauer',
  '§ 5 TMG',
  '§ 18 Abs. 2 MStV',
  '<div>',
  '</div>',
  '<p>',
  '<br>',
  '<script>',
  '</script>',
  '<!--',
  '-->',
  '&amp;',
  '&#x',
  '&#99999999;',
  '<a href="',
  '"',
  "'",
  '>',
  '<',
  '\n',
  ' ',
  '   ',
  '\t',
  '.',
  ':',
  '0',
  '9',
  '-',
  '@',
  'ä',
  '\u00a0',
  '\u0000',
  '\ud800',
);
const legalText = fc.array(legalToken, { maxLength: 300 }).map((t) => t.join(''));
const anyText = fc.oneof(legalText, fc.string({ maxLength: 2000 }), fc.string({ unit: 'grapheme', maxLength: 500 }));

/** Long runs that catch regex backtracking: one token repeated many times. */
const runs = fc
  .tuple(
    fc.constantFrom(
      'a',
      '1',
      ' ',
      '-',
      '.',
      '@',
      'Straße ',
      '12345 ',
      '<div>',
      '<a ',
      '&#',
      'aaaa@',
      'Tel. ',
      '\n\n',
      'Art. ',
    ),
    fc.integer({ min: 1000, max: 30_000 }),
  )
  .map(([t, n]) => t.repeat(Math.ceil(n / t.length)));

const region = fc.constantFrom('footer', 'nav', 'header', 'main', 'bio', 'link-list', 'other') as fc.Arbitrary<
  LinkCandidate['region']
>;
const candidate: fc.Arbitrary<LinkCandidate> = fc.record(
  {
    href: urlLike,
    text: fc.oneof(legalToken, fc.string({ maxLength: 300 })),
    title: fc.string({ maxLength: 50 }),
    ariaLabel: fc.oneof(legalToken, fc.string({ maxLength: 50 })),
    rel: fc.string({ maxLength: 20 }),
    region,
  },
  { requiredKeys: ['href', 'text', 'region'] },
);

const elapsed = cpuMs;

// ------------------------------------------------------------------------------------------------

describe('URL and site logic (lib/site.ts)', () => {
  it('parseHttpUrl never throws and returns only http(s) with a clean host', () => {
    fc.assert(
      fc.property(urlLike, (url) => {
        const parsed = parseHttpUrl(url);
        if (parsed === null) return;
        expect(['http', 'https']).toContain(parsed.scheme);
        expect(parsed.host).not.toBe('');
        expect(parsed.host).toBe(parsed.host.toLowerCase());
        expect(parsed.host.endsWith('.')).toBe(false);
        expect(parsed.href.startsWith(`${parsed.scheme}:`)).toBe(true);
      }),
      { numRuns: 1500 },
    );
    for (const junk of [undefined, null, 42, {}, []]) expect(parseHttpUrl(junk as unknown as string)).toBeNull();
  });

  it('normaliseHost is idempotent', () => {
    fc.assert(
      fc.property(hostLike, (host) => {
        const once = normaliseHost(host);
        expect(normaliseHost(once)).toBe(once);
      }),
      { numRuns: 1500 },
    );
  });

  it('normaliseHost is idempotent on a bracketed IPv6 literal with a trailing dot (found by the property above)', () => {
    // "[::1]." -> "[::1]" (the trailing dot is stripped after the bracket check) -> "::1".
    expect(normaliseHost(normaliseHost('[::1].'))).toBe(normaliseHost('[::1].'));
  });

  it('siteOfHost never throws, and the site of a host is a suffix of the (normalised) host', () => {
    fc.assert(
      fc.property(hostLike, (host) => {
        const site = siteOfHost(host);
        const normal = normaliseHost(host);
        expect(normal.endsWith(site)).toBe(true);
        // A site is the whole host or a whole-label suffix of it.
        if (site !== normal && site !== '') expect(normal.endsWith(`.${site}`)).toBe(true);
        expect(siteOfHost(site)).toBe(site === '' ? '' : siteOfHost(normal));
      }),
      { numRuns: 1500 },
    );
  });
});

describe('cookie parsing (lib/tally/cookies.ts)', () => {
  const attribute = fc.oneof(
    fc.constantFrom(
      'Secure',
      'HttpOnly',
      'Partitioned',
      'SameSite=None',
      'SameSite=lax',
      'Path=/',
      'Path=x',
      'Max-Age=0',
      'Max-Age=-1',
      'Max-Age=3600',
      'Max-Age=1e9',
      'Expires=Thu, 01 Jan 1970 00:00:00 GMT',
      'Expires=garbage',
    ),
    fc.tuple(fc.constantFrom('Domain=', 'domain=.', 'DOMAIN=..', 'Domain= '), hostLike).map(([a, b]) => a + b),
    fc.string({ maxLength: 30 }),
  );
  const setCookie = fc.oneof(
    fc
      .tuple(fc.string({ maxLength: 30 }), fc.string({ maxLength: 60 }), fc.array(attribute, { maxLength: 6 }))
      .map(([n, v, attrs]) => [`${n}=${v}`, ...attrs].join('; ')),
    fc.string({ maxLength: 200 }),
    fc.constant(`a=${'x'.repeat(9000)}`),
  );
  const requestUrl = fc.oneof(
    fc
      .tuple(fc.constantFrom('http://', 'https://'), hostLike, fc.constantFrom('/', '/a/b', '/a/b/', ''))
      .map(([s, h, p]) => s + h + p),
    urlLike,
  );

  it('never throws, and a cookie it accepts obeys the domain-match rule', () => {
    fc.assert(
      fc.property(setCookie, requestUrl, hostLike, (line, url, pageSite) => {
        const c = parseSetCookie(line, url, pageSite, NOW);
        if (!c) return;
        const host = parseHttpUrl(url)!.host;
        if (c.domain.startsWith('.')) {
          const bare = c.domain.slice(1);
          expect(host === bare || host.endsWith(`.${bare}`), `${c.domain} on ${host}`).toBe(true);
        } else expect(c.domain).toBe(host);
        expect(c.path.startsWith('/')).toBe(true);
        expect(c.expiresAt === null || c.expiresAt > NOW).toBe(true);
        expect(c.partition === '' || c.partition === pageSite).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('a Domain attribute that does not domain-match the request host sets nothing', () => {
    fc.assert(
      fc.property(fc.domain(), fc.domain(), (a, b) => {
        fc.pre(a !== b && !a.endsWith(`.${b}`));
        expect(parseSetCookie(`id=1; Domain=${b}`, `https://${a}/`, a, NOW)).toBeNull();
      }),
      { numRuns: 500 },
    );
  });
});

describe('text analysers (lib/legal/html-text.ts, lib/legal/imprint.ts, lib/legal/privacy-notice.ts)', () => {
  const checkAll = (input: string) => {
    const html = htmlToText(input);
    expect(typeof html.text).toBe('string');
    expect(typeof html.truncated).toBe('boolean');
    const imprint = analyseImprint(input);
    for (const id of IMPRINT_ELEMENT_IDS) expect(typeof imprint.elements[id].found, id).toBe('boolean');
    expect(['found', 'empty']).toContain(imprint.status);
    const privacy = analysePrivacyNotice(input, ['google_analytics', 'facebook', 'unknown-service']);
    for (const id of PRIVACY_ELEMENT_IDS) expect(typeof privacy.elements[id].found, id).toBe('boolean');
    for (const v of Object.values(privacy.legalBases)) expect(typeof v).toBe('boolean');
    expect(['found', 'empty']).toContain(privacy.status);
  };

  it('never throw and return booleans for every element, on random and legal-looking text', () => {
    fc.assert(fc.property(anyText, checkAll), { numRuns: 300 });
  });

  it('finish within a bound on adversarial runs (no catastrophic backtracking)', () => {
    fc.assert(
      fc.property(runs, (input) => {
        // Linear-ish work on ≤ 30 kB: far below the bound even on a slow, busy machine.
        expect(elapsed(() => checkAll(input))).toBeLessThan(1500);
      }),
      { numRuns: 40 },
    );
  });

  it('stay bounded on multi-megabyte input and say they cut it', () => {
    const huge = `<div>${'<p>Verantwortlicher: Beispiel GmbH, Hauptstraße 12, 12345 Musterstadt &amp; mehr</p>'.repeat(40_000)}`;
    expect(huge.length).toBeGreaterThan(2_000_000);
    let result!: ReturnType<typeof htmlToText>;
    expect(elapsed(() => (result = htmlToText(huge)))).toBeLessThan(5000);
    expect(result.truncated).toBe(true);
    expect(elapsed(() => expect(analyseImprint(result.text).truncated).toBe(true))).toBeLessThan(5000);
    expect(
      elapsed(() => expect(analysePrivacyNotice(result.text).truncated).toBe(result.text.length > MAX_ANALYSED_CHARS)),
    ).toBeLessThan(5000);
    // The privacy analyser's own cap (MAX_ANALYSED_CHARS) is larger: cut there, and said so.
    const huger = 'Art. 6 DSGVO Verantwortlicher 12345 '.repeat(Math.ceil((MAX_ANALYSED_CHARS + 1000) / 36));
    expect(elapsed(() => expect(analysePrivacyNotice(huger).truncated).toBe(true))).toBeLessThan(8000);
  });

  it('finish within a bound on every text of both labelled corpora, with evidence of at most 120 characters', () => {
    for (const { name, text } of corpusTexts()) {
      let imprint!: ReturnType<typeof analyseImprint>;
      let privacy!: ReturnType<typeof analysePrivacyNotice>;
      // Real documents are at most ~30 kB: a tenth of a second is generous even on a busy machine.
      expect(
        cpuMs(() => (imprint = analyseImprint(text))),
        name,
      ).toBeLessThan(500);
      expect(
        cpuMs(() => (privacy = analysePrivacyNotice(text, ['google_analytics', 'youtube']))),
        name,
      ).toBeLessThan(500);
      for (const f of [
        ...Object.values(imprint.elements),
        ...Object.values(imprint.extras),
        ...Object.values(privacy.elements),
        ...Object.values(privacy.extras),
      ]) {
        expect((f.evidence ?? '').length, name).toBeLessThanOrEqual(120);
      }
    }
  });

  it('stay bounded on pathological structure: wrapped lines, heading floods, list floods, label floods', () => {
    const inputs = {
      'a wrapped paragraph of 100 000 lines': `${'bitte beachten Sie die folgenden Hinweise und\n'.repeat(100_000)}`,
      'a heading flood (table-of-contents map)': 'Verantwortliche Stelle\nZweck der Verarbeitung\n'.repeat(80_000),
      'a list flood under one lead line': `Sie haben das Recht auf:\n${'Recht auf Auskunft\n'.repeat(150_000)}`,
      'a label flood': 'Verantwortlicher ist:\nDatenschutzbeauftragter:\n'.repeat(70_000),
      'one line without a full stop': 'Verantwortlich ist die Beispiel GmbH Hauptstraße 12 12345 Musterstadt '.repeat(
        40_000,
      ),
      'address digits everywhere': '12345 Musterstadt 1 Straße 2 Weg 3 Platz '.repeat(70_000),
    };
    for (const [name, input] of Object.entries(inputs)) {
      expect(input.length, name).toBeGreaterThan(1_500_000);
      expect(
        cpuMs(() => analyseImprint(input)),
        name,
      ).toBeLessThan(3000);
      expect(
        cpuMs(() => analysePrivacyNotice(input, ['instagram'])),
        name,
      ).toBeLessThan(3000);
    }
  });

  it('htmlToText never lets markup through as tags: no "<script" survives from a script element', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (inner) => {
        fc.pre(!/<\/script/i.test(inner));
        expect(htmlToText(`<p>a</p><script>${inner}</script><p>b</p>`).text).toBe('a\nb');
      }),
      { numRuns: 300 },
    );
  });
});

describe('link logic (lib/page/links.ts)', () => {
  it('unwrapRedirector never throws; its result is the input unchanged or an http(s) URL', () => {
    fc.assert(
      fc.property(urlLike, (href) => {
        const out = unwrapRedirector(href);
        if (out !== href) expect(out).toMatch(/^https?:\/\//);
      }),
      { numRuns: 1500 },
    );
    // Nested redirectors around a non-http target: unwrapped only as far as the target is http(s).
    const evil = `https://l.instagram.com/?u=${encodeURIComponent('https://l.facebook.com/l.php?u=javascript%3Aalert(1)')}`;
    expect(unwrapRedirector(evil)).toBe('https://l.facebook.com/l.php?u=javascript%3Aalert(1)');
  });

  it('findLegalLinks never throws and only ever returns absolute http(s) URLs, at most 10 per kind', () => {
    fc.assert(
      fc.property(fc.array(candidate, { maxLength: 40 }), fc.oneof(fc.webUrl(), urlLike), (candidates, pageUrl) => {
        const links = findLegalLinks(candidates, pageUrl);
        for (const kind of ['imprint', 'privacy'] as const) {
          expect(links[kind].length).toBeLessThanOrEqual(10);
          for (const l of links[kind]) {
            expect(l.url).toMatch(/^https?:\/\//);
            expect(new URL(l.url).protocol).toMatch(/^https?:$/);
            expect(typeof l.weak).toBe('boolean');
          }
        }
      }),
      { numRuns: 400 },
    );
    expect(findLegalLinks(null as unknown as LinkCandidate[], 'x')).toEqual({ imprint: [], privacy: [] });
  });
});

describe('page-facts schema (lib/page/facts.ts)', () => {
  const valid = (): PageFacts => ({
    url: 'https://www.example.de/',
    title: 'Start',
    lang: 'de',
    meta: { 'og:title': 'Start' },
    links: [{ href: '/impressum', text: 'Impressum', region: 'footer' }],
    linkCount: 1,
    textSample: 'Hallo',
    truncated: false,
    collectMs: 1.5,
  });

  it('accepts the valid shape', () => {
    expect(parsePageFacts(valid())).toEqual(valid());
  });

  it('rejects anything oversized, whichever field it is', () => {
    const over = (n: number) => 'x'.repeat(n + 1);
    const link = { href: '/impressum', text: 'Impressum', region: 'footer' as const };
    const oversized: ((f: PageFacts) => void)[] = [
      (f) => (f.url = over(FACTS_LIMITS.hrefChars * 4)),
      (f) => (f.title = over(FACTS_LIMITS.metaChars)),
      (f) => (f.lang = over(35)),
      (f) => (f.textSample = over(FACTS_LIMITS.textSampleChars)),
      (f) => (f.meta = { [over(60)]: 'x' }),
      (f) => (f.meta = { description: over(FACTS_LIMITS.metaChars) }),
      (f) => (f.links = Array.from({ length: FACTS_LIMITS.candidates + 1 }, () => link)),
      (f) => (f.links = [{ ...link, href: over(FACTS_LIMITS.hrefChars) }]),
      (f) => (f.links = [{ ...link, text: over(FACTS_LIMITS.labelChars) }]),
      (f) => (f.links = [{ ...link, title: over(FACTS_LIMITS.labelChars) }]),
      (f) => (f.links = [{ ...link, ariaLabel: over(FACTS_LIMITS.labelChars) }]),
      (f) => (f.links = [{ ...link, rel: over(100) }]),
    ];
    for (const [i, mutate] of oversized.entries()) {
      const f = valid();
      mutate(f);
      expect(parsePageFacts(f), `oversized case ${i}`).toBeNull();
    }
  });

  it('rejects random mutations: extra keys, wrong types, bad numbers; never throws', () => {
    const junk = fc.oneof(
      fc.string({ maxLength: 10 }),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
      fc.object({ maxDepth: 2 }),
      fc.array(fc.anything(), { maxLength: 3 }),
    );
    const keys = [
      'url',
      'title',
      'lang',
      'meta',
      'links',
      'linkCount',
      'textSample',
      'truncated',
      'collectMs',
      'extra',
      '__proto__',
    ];
    fc.assert(
      fc.property(fc.constantFrom(...keys), junk, (key, value) => {
        const f = valid() as unknown as Record<string, unknown>;
        const before = f[key];
        Object.defineProperty(f, key, { value, enumerable: true, configurable: true, writable: true });
        const parsed = parsePageFacts(f);
        if (parsed !== null) {
          // Only a value of the right kind may pass, never an extra key.
          expect(keys.slice(0, 9)).toContain(key);
          expect(typeof parsed[key as keyof PageFacts]).toBe(typeof before);
        }
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.anything(), (x) => void parsePageFacts(x)),
      { numRuns: 500 },
    );
    for (const bad of [
      { ...valid(), linkCount: -1 },
      { ...valid(), linkCount: 1.5 },
      { ...valid(), collectMs: -1 },
      { ...valid(), links: [{ href: 'x', text: 'y', region: 'sidebar' }] },
    ])
      expect(parsePageFacts(bad)).toBeNull();
  });
});
