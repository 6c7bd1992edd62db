/**
 * The audit CLI's pure parts (lib/cli/audit-args.ts): arguments and usage errors, URL lists, slugs, the
 * --fail-on decision and exit codes, the summary table and progress output.
 */
import { describe, expect, it } from 'vitest';
import {
  type AuditResult,
  DEFAULTS,
  EXIT,
  UsageError,
  buildIsStale,
  chromiumCandidates,
  complaintSiteOf,
  exitCodeFor,
  forceResolveOf,
  formatTable,
  meetsFailOn,
  normaliseUrl,
  parseArgs,
  parseUrlList,
  progressBar,
  progressLine,
  slugOf,
  topFinding,
  uniqueSlugs,
} from '@/lib/cli/audit-args';
import type { Report } from '@/lib/verdict/report';

type Finding = Report['findings'][number];
const finding = (id: string, severity: Finding['severity'], en: string, de = en): Finding => ({
  id,
  severity,
  certainty: 'observed',
  legal: [],
  evidence: '–',
  text: { de, en },
});

/** Only the fields the CLI reads; the rest is not looked at. */
function fakeReport(
  p: { url?: string; verdict?: Report['verdict']; hosts?: number; cookies?: number; findings?: Finding[] } = {},
): Report {
  return {
    url: p.url ?? 'https://www.example.org/',
    verdict: p.verdict ?? 'green',
    pageKind: 'website',
    page: { title: '', profileName: null, handle: null },
    findings: p.findings ?? [],
    requests: { thirdPartyHosts: Array.from({ length: p.hosts ?? 0 }, (_, i) => ({ host: `h${i}.example` })) },
    cookies: { total: p.cookies ?? 0 },
  } as unknown as Report;
}

const ok = (
  url: string,
  verdict: Report['verdict'],
  extra: Partial<Parameters<typeof fakeReport>[0]> = {},
): AuditResult => ({
  url,
  slug: slugOf(url),
  ok: true,
  report: fakeReport({ url, verdict, ...extra }),
  ms: 4200,
  finalUrl: url,
  settled: true,
  httpStatus: 200,
});
const failed = (url: string, error = 'net::ERR_CONNECTION_REFUSED'): AuditResult => ({
  url,
  slug: slugOf(url),
  ok: false,
  error,
  ms: 120,
});

/** parseArgs' usage error message, or null when it parsed. */
function usageError(argv: string[]): string | null {
  try {
    parseArgs(argv);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
}

describe('parseArgs', () => {
  it('has the documented defaults', () => {
    const o = parseArgs(['https://www.example.org/']);
    expect(o).toEqual({ ...DEFAULTS, urls: ['https://www.example.org/'] });
    expect(o.lang).toBe('de');
    expect(o.waitMs).toBe(3000);
    expect(o.allowThirdPartyCookies).toBe(true);
  });

  it('reads every option, in both --opt value and --opt=value form', () => {
    const o = parseArgs([
      'audit',
      '--out',
      'out/dir',
      '--bundle',
      '--host-rules=MAP * 127.0.0.1, EXCLUDE localhost',
      '--insecure',
      '--lang',
      'en',
      '--wait=500',
      '--settle-timeout',
      '2000',
      '--timeout',
      '9000',
      '--no-allow-third-party-cookies',
      '--json',
      '--fail-on',
      'yellow',
      '--from',
      'urls.txt',
      'https://a.example/x',
      'b.example',
    ]);
    expect(o).toMatchObject({
      out: 'out/dir',
      bundle: true,
      hostRules: 'MAP * 127.0.0.1, EXCLUDE localhost',
      insecure: true,
      lang: 'en',
      waitMs: 500,
      settleTimeoutMs: 2000,
      navTimeoutMs: 9000,
      allowThirdPartyCookies: false,
      json: true,
      failOn: 'yellow',
      from: 'urls.txt',
      urls: ['https://a.example/x', 'https://b.example/'],
    });
  });

  it('accepts --from without command-line URLs, and "-" for stdin', () => {
    expect(parseArgs(['--from', 'list.txt']).urls).toEqual([]);
    expect(parseArgs(['-']).from).toBe('-');
  });

  it('--pdf, --har and --csv with --out; --pdf and --csv also with --browser firefox and --consent', () => {
    expect(parseArgs(['--out', 'o', '--pdf', '--har', '--csv', 'https://a.example/'])).toMatchObject({
      pdf: true,
      har: true,
      csv: true,
      bundle: false,
    });
    expect(parseArgs(['--out', 'o', '--pdf', '--csv', '--browser', 'firefox', 'https://a.example/'])).toMatchObject({
      pdf: true,
      csv: true,
      browser: 'firefox',
    });
    expect(parseArgs(['--out', 'o', '--har', '--consent', 'reject', 'https://a.example/'])).toMatchObject({
      har: true,
      consent: 'reject',
    });
    expect(parseArgs(['https://a.example/'])).toMatchObject({ pdf: false, har: false, csv: false });
  });

  it('--help wins over missing URLs', () => {
    expect(parseArgs(['--help']).help).toBe(true);
    expect(parseArgs(['-h', '--bogus-but-later']).help).toBe(true);
  });

  it.each([
    [[], 'no URL given'],
    [['--lang', 'fr', 'https://a.example/'], '--lang must be de or en'],
    [['--fail-on', 'green', 'https://a.example/'], '--fail-on must be red or yellow'],
    [['--wait', 'soon', 'https://a.example/'], '--wait needs a whole number'],
    [['--wait', '-5', 'https://a.example/'], '--wait needs a whole number'],
    [['--wait', '9999999', 'https://a.example/'], '--wait must be between'],
    [['--out'], '--out needs a value'],
    [['--out', '--json', 'https://a.example/'], '--out needs a value'],
    [['--bundle', 'https://a.example/'], '--bundle needs --out'],
    [['--json=yes', 'https://a.example/'], '--json takes no value'],
    [['--frobnicate', 'https://a.example/'], 'unknown option --frobnicate'],
    [['--host-rules', '"MAP * 127.0.0.1"', 'https://a.example/'], 'without surrounding quotes'],
    [['ftp://a.example/'], 'only http and https'],
    [['mailto:x@a.example'], 'only http and https'],
    [['https://exa mple.org/'], 'white space'],
    [['--from', 'a.txt', '-'], 'cannot be combined'],
    [['--pdf', 'https://a.example/'], '--pdf needs --out'],
    [['--har', '--bundle', 'https://a.example/'], '--bundle needs --out'],
    [['--har', 'https://a.example/'], '--har needs --out'],
    [['--csv', 'https://a.example/'], '--csv needs --out'],
    [['--csv=yes', '--out', 'o', 'https://a.example/'], '--csv takes no value'],
    [['--out', 'o', '--har', '--browser', 'firefox', 'https://a.example/'], 'use it with --browser chromium'],
  ])('%j is a usage error (%s)', (argv, message) => {
    expect(usageError(argv)).toContain(message);
  });
});

describe('normaliseUrl', () => {
  it('keeps proper URLs as given', () => {
    expect(normaliseUrl('https://www.instagram.com/jobcenter_musterstadt')).toBe(
      'https://www.instagram.com/jobcenter_musterstadt',
    );
    expect(normaliseUrl(' http://127.0.0.1:9/ ')).toBe('http://127.0.0.1:9/');
  });
  it('reads bare hosts as https, also with a port', () => {
    expect(normaliseUrl('example.org')).toBe('https://example.org/');
    expect(normaliseUrl('localhost:8080/x')).toBe('https://localhost:8080/x');
  });
  it('normalises an upper-case scheme (the report schema wants ^https?://)', () => {
    expect(normaliseUrl('HTTPS://Example.org/A')).toBe('https://example.org/A');
  });
});

describe('parseUrlList', () => {
  it('skips blank lines and # comments, also after a URL', () => {
    expect(
      parseUrlList('# demo\nhttps://a.example/\n\n  https://b.example/#frag  # the b page\r\n#https://c.example/\n'),
    ).toEqual(['https://a.example/', 'https://b.example/#frag']);
  });
});

describe('slugs', () => {
  it('are host and path, file-name safe', () => {
    expect(slugOf('https://www.instagram.com/jobcenter_musterstadt/')).toBe('instagram.com-jobcenter_musterstadt');
    expect(slugOf('https://linktr.ee/jobcenter_musterstadt')).toBe('linktr.ee-jobcenter_musterstadt');
    expect(slugOf('https://www.stadt-musterstadt.de/')).toBe('stadt-musterstadt.de');
    expect(slugOf('http://127.0.0.1:9/')).toBe('127.0.0.1_9');
    expect(slugOf('https://a.example/../../etc/passwd?x=<y>')).toMatch(/^[a-z0-9._-]+$/);
    expect(slugOf('https://a.example/../../etc/passwd')).not.toContain('..');
  });
  it('are at most 80 characters and never empty', () => {
    expect(slugOf(`https://a.example/${'x'.repeat(300)}`).length).toBeLessThanOrEqual(80);
    expect(slugOf('https://---/')).not.toBe('');
  });
  it('are unique within a run', () => {
    expect(
      uniqueSlugs(['https://a.example/', 'https://www.a.example/', 'http://a.example/', 'https://b.example/']),
    ).toEqual(['a.example', 'a.example-2', 'a.example-3', 'b.example']);
  });
});

describe('--fail-on and exit codes', () => {
  it('meetsFailOn: red meets both levels, yellow only "yellow", green and grey none', () => {
    expect(meetsFailOn('red', 'red')).toBe(true);
    expect(meetsFailOn('red', 'yellow')).toBe(true);
    expect(meetsFailOn('yellow', 'red')).toBe(false);
    expect(meetsFailOn('yellow', 'yellow')).toBe(true);
    expect(meetsFailOn('green', 'yellow')).toBe(false);
    expect(meetsFailOn('grey', 'yellow')).toBe(false);
    expect(meetsFailOn('red', null)).toBe(false);
  });

  it('exitCodeFor', () => {
    const green = ok('https://g.example/', 'green');
    const yellow = ok('https://y.example/', 'yellow');
    const red = ok('https://r.example/', 'red');
    expect(exitCodeFor([green, yellow, red], null)).toBe(EXIT.ok);
    expect(exitCodeFor([green, yellow], 'red')).toBe(EXIT.ok);
    expect(exitCodeFor([green, yellow], 'yellow')).toBe(EXIT.failOn);
    expect(exitCodeFor([green, red], 'red')).toBe(EXIT.failOn);
    // An unloadable page makes the audit incomplete: that outranks --fail-on.
    expect(exitCodeFor([green, failed('http://127.0.0.1:9/')], null)).toBe(EXIT.loadFailed);
    expect(exitCodeFor([red, failed('http://127.0.0.1:9/')], 'red')).toBe(EXIT.loadFailed);
    expect(exitCodeFor([], 'red')).toBe(EXIT.ok);
    expect([EXIT.ok, EXIT.failOn, EXIT.noBrowser, EXIT.loadFailed, EXIT.usage]).toEqual([0, 1, 2, 3, 64]);
  });
});

describe('table and progress', () => {
  const results = [
    ok('https://www.instagram.com/jobcenter_musterstadt/', 'red', {
      hosts: 3,
      cookies: 12,
      findings: [
        finding('x-info', 'info', 'Very many third parties.'),
        finding('imprint-empty', 'red', 'The linked imprint has no content.', 'Das verlinkte Impressum ist leer.'),
      ],
    }),
    ok('https://www.stadt-musterstadt.de/', 'green'),
    failed('http://127.0.0.1:9/'),
  ];

  it('has a header, a rule and one aligned row per URL', () => {
    const table = formatTable(results, 'en');
    const lines = table.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^URL\s+Verdict\s+Third parties\s+Cookies\s+Top finding$/);
    expect(lines[1]).toMatch(/^-+( +-+){4}$/);
    expect(lines[2]).toMatch(
      /^https:\/\/www\.instagram\.com\/jobcenter_musterstadt\/\s+RED\s+3\s+12\s+The linked imprint has no content\.$/,
    );
    expect(lines[3]).toMatch(/^https:\/\/www\.stadt-musterstadt\.de\/\s+GREEN\s+0\s+0\s+–$/);
    expect(lines[4]).toMatch(/^http:\/\/127\.0\.0\.1:9\/\s+FAILED\s+–\s+–\s+net::ERR_CONNECTION_REFUSED$/);
    // Columns line up: the verdict column starts at the same offset in every row.
    const at = lines[0]!.indexOf('Verdict');
    for (const line of lines.slice(2)) expect(line.slice(at)).toMatch(/^(RED|GREEN|FAILED)/);
    expect(table.endsWith('\n')).toBe(true);
  });

  it('speaks German by default wording and clips long cells', () => {
    const long = ok(`https://a.example/${'p'.repeat(200)}`, 'yellow', {
      findings: [finding('f', 'yellow', 'x'.repeat(300))],
    });
    const table = formatTable([long, ...results], 'de', { maxUrl: 40, maxTop: 30 });
    const lines = table.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^URL\s+Ampel\s+Dritte\s+Cookies\s+Wichtigster Befund$/);
    expect(lines[2]).toContain('GELB');
    expect(lines[2]).toContain(`https://a.example/${'p'.repeat(21)}…`);
    expect(lines[3]).toContain('Das verlinkte Impressum ist l…');
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(40 + 2 + 6 + 2 + 6 + 2 + 7 + 2 + 30);
  });

  it('topFinding skips info findings when there are others', () => {
    expect(topFinding(fakeReport({ findings: [finding('i', 'info', 'info first')] }), 'en')).toBe('info first');
    expect(
      topFinding(fakeReport({ findings: [finding('i', 'info', 'info'), finding('y', 'yellow', 'yellow')] }), 'en'),
    ).toBe('yellow');
    expect(topFinding(fakeReport(), 'en')).toBe('–');
    // The reason is stored in English and shown in the table's language.
    expect(
      topFinding(
        { ...fakeReport({ verdict: 'grey' }), greyReason: 'the imprint or privacy notice could not be read' },
        'de',
      ),
    ).toBe('Impressum oder Datenschutzerklärung konnten nicht gelesen werden');
  });

  it('progress bar and lines', () => {
    expect(progressBar(0, 20, 10)).toBe('[..........] 0/20');
    expect(progressBar(10, 20, 10)).toBe('[#####.....] 10/20');
    expect(progressBar(20, 20, 10)).toBe('[##########] 20/20');
    expect(progressLine(results[0]!, 0, 3, 'en')).toBe(
      '(1/3) RED https://www.instagram.com/jobcenter_musterstadt/ [4.2 s]',
    );
    expect(progressLine(failed('http://127.0.0.1:9/'), 2, 3, 'de')).toBe(
      '(3/3) FEHLER http://127.0.0.1:9/ – net::ERR_CONNECTION_REFUSED [0.1 s]',
    );
    const redirected: AuditResult = {
      ...(ok('http://a.example/', 'yellow') as AuditResult & { ok: true }),
      finalUrl: 'https://a.example/',
      settled: false,
    };
    expect(progressLine(redirected, 0, 1, 'en')).toBe(
      '(1/1) YELLOW http://a.example/ (→ https://a.example/; checks not settled) [4.2 s]',
    );
  });
});

describe('build and browser discovery', () => {
  it('a missing or older build is stale', () => {
    expect(buildIsStale(null, [])).toBe(true);
    expect(buildIsStale(100, [50, 99])).toBe(false);
    expect(buildIsStale(100, [50, 101])).toBe(true);
  });
  it('CHROMIUM_PATH comes first', () => {
    expect(chromiumCandidates('/opt/chrome')[0]).toBe('/opt/chrome');
    expect(chromiumCandidates(undefined)).toEqual([
      '/usr/bin/chromium',
      '/usr/bin/chromium-browser',
      '/usr/bin/google-chrome',
      '/snap/bin/chromium',
    ]);
  });
});

describe('complaintSiteOf', () => {
  it('names the account, the link page or the site', () => {
    expect(
      complaintSiteOf({
        url: 'https://www.instagram.com/jobcenter_musterstadt/',
        pageKind: 'social-profile',
        page: { title: '', profileName: null, handle: '@jobcenter_musterstadt' },
      }),
    ).toBe('instagram.com/jobcenter_musterstadt');
    expect(
      complaintSiteOf({
        url: 'https://linktr.ee/jobcenter_musterstadt',
        pageKind: 'link-in-bio',
        page: { title: '', profileName: null, handle: null },
      }),
    ).toBe('linktr.ee/jobcenter_musterstadt');
    expect(
      complaintSiteOf({
        url: 'https://www.stadt-musterstadt.de/rathaus/',
        pageKind: 'website',
        page: { title: '', profileName: null, handle: null },
      }),
    ).toBe('stadt-musterstadt.de');
  });
});

describe('--jobs', () => {
  it('defaults to 2, accepts 1..8, refuses the rest with a usage error', async () => {
    const { parseArgs } = await import('@/lib/cli/audit-args');
    expect(parseArgs(['https://a.example/']).jobs).toBe(2);
    expect(parseArgs(['--jobs', '4', 'https://a.example/']).jobs).toBe(4);
    expect(() => parseArgs(['--jobs', '0', 'https://a.example/'])).toThrow();
    expect(() => parseArgs(['--jobs', '9', 'https://a.example/'])).toThrow();
  });
});

describe('--browser', () => {
  it('defaults to chromium and takes firefox', () => {
    expect(parseArgs(['https://a.de/']).browser).toBe('chromium');
    expect(parseArgs(['--browser', 'firefox', 'https://a.de/']).browser).toBe('firefox');
    expect(parseArgs(['--browser=chromium', 'https://a.de/']).browser).toBe('chromium');
  });

  it('refuses other browsers and a missing value', () => {
    expect(() => parseArgs(['--browser', 'webkit', 'https://a.de/'])).toThrow(/chromium or firefox/);
    expect(() => parseArgs(['https://a.de/', '--browser'])).toThrow(UsageError);
  });

  it('with firefox, --host-rules must be one address for every name (network.dns.forceResolve)', () => {
    expect(
      parseArgs(['--browser', 'firefox', '--host-rules', 'MAP * 127.0.0.1, EXCLUDE localhost', 'https://a.de/'])
        .hostRules,
    ).toBe('MAP * 127.0.0.1, EXCLUDE localhost');
    expect(() => parseArgs(['--browser', 'firefox', '--host-rules', 'MAP * 127.0.0.1:8443', 'https://a.de/'])).toThrow(
      /cannot be done in Firefox/,
    );
    expect(() => parseArgs(['--browser', 'firefox', '--host-rules', 'MAP a.de 127.0.0.1', 'https://a.de/'])).toThrow(
      UsageError,
    );
    // Chromium takes any rule.
    expect(parseArgs(['--host-rules', 'MAP * 127.0.0.1:8443', 'https://a.de/']).hostRules).toBe('MAP * 127.0.0.1:8443');
  });

  it('refuses --consent reject|accept with firefox (autoconsent is answered through Playwright); none is fine', () => {
    expect(() => parseArgs(['--browser', 'firefox', '--consent', 'reject', 'https://a.de/'])).toThrow(
      /--consent .*--browser chromium/,
    );
    expect(() => parseArgs(['--consent', 'accept', '--browser', 'firefox', 'https://a.de/'])).toThrow(UsageError);
    expect(parseArgs(['--browser', 'firefox', '--consent', 'none', 'https://a.de/']).consent).toBe('none');
    expect(parseArgs(['--consent', 'reject', 'https://a.de/']).consent).toBe('reject');
  });
});

describe('forceResolveOf', () => {
  it.each([
    ['MAP * 127.0.0.1', '127.0.0.1'],
    ['map * 10.0.0.2 , exclude localhost', '10.0.0.2'],
    ['MAP * [::1]', '::1'],
    ['MAP * 127.0.0.1:8080', null],
    ['MAP *.de 127.0.0.1', null],
    ['MAP * example.org', null],
    ['MAP * 127.0.0.1, EXCLUDE example.org', null],
    ['', null],
  ])('%j -> %j', (rules, want) => {
    expect(forceResolveOf(rules)).toBe(want);
  });
});
