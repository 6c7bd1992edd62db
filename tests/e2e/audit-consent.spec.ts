/**
 * `--consent reject|accept` of the audit CLI end to end, on the fixture web's four consent
 * platforms (tests/fixtures/consent/cases.json): autoconsent's real rules find and answer each
 * banner in the CLI's fresh profile, the ignoring variants get tracking-after-reject with the right
 * hosts and cookies, the honouring ones do not, the second-layer variant gets
 * reject-not-on-first-layer, an opt-out through the platform's API is not judged. Ground truth for
 * the hosts is the fixture server's own log: every tracker hit names its page (dl=…) and has its
 * arrival time, and no page loads a tracker before the banner is answered. The accept run proves the honouring pages do load
 * their trackers once allowed, so their empty "after reject" is not an empty measurement.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Report } from '@/lib/verdict/report';
import type { Har } from '@/lib/export/har';
import { harSchemaErrors } from '../har-schema';
import { reportSchemaErrors } from '../report-schema';
import { HOST_RULES, audit } from './audit-cli';
import type { FixtureServer } from './fixture-server';
import { expect, test } from './fixtures';

interface Case {
  page: string;
  rule: string;
  clicks: number;
  optInClicks?: number;
  rejectOnFirstLayer?: boolean | null;
  trackingHosts: string[];
  trackingCookies: string[];
  withoutCookies?: boolean;
  findings?: string[];
}
const CASES = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../fixtures/consent/cases.json'), 'utf8')) as {
  reject: Case[];
  accept: Case[];
};
const CONSENT_FINDINGS = ['tracking-after-reject', 'reject-not-on-first-layer'];

/** The case's page on the fixture server (https, the server's port). */
const urlOf = (web: FixtureServer, page: string) => {
  const u = new URL(page);
  return web.httpsUrl(u.hostname, u.pathname);
};

/**
 * Hosts the server received a tracker hit from this page for between two times (every fixture
 * tracker URL carries dl=<page>); the opt-in probe's hits come after the measurement's end.
 */
const loggedTrackerHosts = (web: FixtureServer, url: string, from: number, until: number) =>
  [
    ...new Set(
      web.log
        .filter((e) => e.at >= from && e.at <= until && e.path.includes(`dl=${encodeURIComponent(url)}`))
        .map((e) => e.host),
    ),
  ].sort();
/** The audit's own measurement window from the report: the decision until the reload's report. */
const windowOf = (r: Report): [number, number] => [
  Date.parse(r.consent!.afterDecision!.decidedAt),
  Date.parse(r.consent!.afterDecision!.until!),
];

function reportsByUrl(stdout: string): Map<string, Report> {
  const reports = stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Report);
  return new Map(reports.map((r) => [r.url, r]));
}

const sorted = (xs: string[]) => [...xs].sort();
const trackingHosts = (r: Report) =>
  sorted((r.consent?.afterDecision?.thirdParties ?? []).filter((h) => h.tracking).map((h) => h.host));
const trackingCookies = (r: Report) =>
  sorted((r.consent?.afterDecision?.cookies ?? []).filter((c) => c.tracking).map((c) => c.name));

let out: string;
test.beforeEach(() => {
  out = mkdtempSync(path.join(tmpdir(), 'dsa-audit-consent-'));
});
test.afterEach(() => rmSync(out, { recursive: true, force: true }));

test('--consent reject on four consent platforms: tracking after reject, reject on the second layer, API opt-outs not judged', async ({
  web,
}) => {
  test.setTimeout(480_000);
  const urls = CASES.reject.map((c) => urlOf(web, c.page));
  const run = await audit([
    '--host-rules',
    HOST_RULES,
    '--insecure',
    '--consent',
    'reject',
    '--jobs',
    '2',
    '--json',
    '--out',
    out,
    '--har',
    '--wait',
    '500',
    ...urls,
  ]);
  expect(run.code, run.stderr).toBe(0);
  const reports = reportsByUrl(run.stdout);
  expect([...reports.keys()].sort()).toEqual([...urls].sort());

  for (const c of CASES.reject) {
    const url = urlOf(web, c.page);
    const r = reports.get(url)!;
    const what = `${c.page}: ${JSON.stringify(r.consent?.answer)}`;
    expect(reportSchemaErrors(r), what).toEqual([]);
    // The first load is the extension's own, untouched: its detection found the platform (the
    // banner may not yet have been seen showing when the report was taken), no tracker before the answer.
    expect(['banner-shown', 'cmp-present'], what).toContain(r.consent?.status);
    expect(
      r.findings.map((f) => f.id),
      what,
    ).not.toContain('cookies-before-consent');
    expect(
      r.requests.thirdPartyHosts.filter((h) =>
        ['advertising', 'analytics', 'social', 'session-replay'].includes(h.category),
      ),
      what,
    ).toEqual([]);

    expect(r.consent?.decision, what).toBe('rejected');
    expect(r.consent?.answer, what).toMatchObject({
      requested: 'reject',
      rule: c.rule,
      clicks: c.clicks,
      freshProfile: true,
      rejectOnFirstLayer: c.rejectOnFirstLayer,
    });
    if (c.optInClicks !== undefined)
      expect(r.consent?.answer?.optIn, what).toMatchObject({ clicks: c.optInClicks, rule: c.rule });
    else expect(r.consent?.answer?.optIn, what).toBeNull();
    // Reloaded, and the decision's time is inside the measurement.
    const after = r.consent?.afterDecision;
    expect(after?.reloadedAt, what).toBeTruthy();
    expect(Date.parse(after!.reloadedAt!), what).toBeGreaterThan(Date.parse(after!.decidedAt));

    expect(trackingHosts(r), what).toEqual(sorted(c.trackingHosts));
    expect(trackingCookies(r), what).toEqual(sorted(c.trackingCookies));
    // Ground truth: what the fixture server itself received from this page: nothing before the
    // decision, and exactly these hosts between the decision and the end of the measurement.
    const [decided, until] = windowOf(r);
    expect(loggedTrackerHosts(web, url, 0, decided - 1), what).toEqual([]);
    expect(loggedTrackerHosts(web, url, decided, until), what).toEqual(sorted(c.trackingHosts));
    // A site that tracks after reject does so again on the next visit.
    for (const h of after!.thirdParties.filter((x) => x.tracking))
      expect(h.phases, `${what} ${h.host}`).toContain('reload');

    expect(
      r.findings
        .map((f) => f.id)
        .filter((id) => CONSENT_FINDINGS.includes(id))
        .sort(),
      what,
    ).toEqual(sorted(c.findings ?? []));
    const finding = r.findings.find((f) => f.id === 'tracking-after-reject');
    if (finding) {
      expect(r.verdict).toBe('red');
      for (const host of c.trackingHosts) expect(finding.evidence).toContain(host);
      for (const cookie of c.trackingCookies) expect(finding.evidence).toContain(cookie);
      expect(finding.evidence).toContain(`(rule ${c.rule})`);
      expect(finding.evidence.includes('without cookies'), what).toBe(Boolean(c.withoutCookies));
    }
  }

  // The table (stderr with --json) has the column; the written report is the printed one.
  expect(run.stderr).toMatch(/URL\s+Ampel\s+Dritte\s+Cookies\s+nach Ablehnung\s+Wichtigster Befund/);
  expect(run.stderr).toMatch(/ignoriert\.html\s+ROT\s+\d+\s+\d+\s+3 Tracker, 2 Cookies/);
  expect(run.stderr).toMatch(
    /\(\d+\/11\) GELB https:\/\/www\.moebelhaus-beispiel\.de:\d+\/zweite-ebene\.html \(abgelehnt \(Onetrust, 2 Klicks\)\)/,
  );
  const slug = `moebelhaus-beispiel.de_${web.httpsPort}-ignoriert.html`;
  const ignoring = reports.get(urlOf(web, 'https://www.moebelhaus-beispiel.de/ignoriert.html'))!;
  expect(JSON.parse(readFileSync(path.join(out, `${slug}.report.json`), 'utf8'))).toEqual(ignoring);
  // The complaint summary: done by the tool in a fresh profile, the rule named, the click and what followed.
  const summary = readFileSync(path.join(out, `${slug}.summary.md`), 'utf8');
  expect(summary).toContain('frischen, leeren Browserprofil');
  // '.', '@' and '://' of page text come escaped: no GFM renderer links them (markdown-gfm.test.ts).
  expect(summary).toContain('Regel „Onetrust“ von \\@duckduckgo/autoconsent');
  expect(summary).toContain('„Alle ablehnen“ ausgeführt (letzter von 1 Klick)');
  expect(summary).toMatch(
    /Nach der Entscheidung: Anfrage an www\\\.google-analytics\\\.com \(Google, [^)]+\) – \d+,\d s nach dem Klick/,
  );
  expect(summary).toContain('Nach „Alle ablehnen“ werden weiter Tracker kontaktiert');
  // --har: the first load and everything from the decision on as two pages of one HAR 1.2; the
  // trackers only on the second.
  const har = JSON.parse(readFileSync(path.join(out, `${slug}.har`), 'utf8')) as Har;
  expect(harSchemaErrors(har)).toEqual([]);
  expect(har.log.pages.map((p) => p.id)).toEqual(['page_1', 'page_2']);
  expect(Date.parse(har.log.pages[1]!.startedDateTime)).toBe(Date.parse(ignoring.consent!.afterDecision!.decidedAt));
  const hostsOn = (page: string) =>
    new Set(har.log.entries.filter((e) => e.pageref === page).map((e) => new URL(e.request.url).hostname));
  for (const host of sorted(CASES.reject.find((c) => c.page.endsWith('/ignoriert.html'))!.trackingHosts)) {
    expect(hostsOn('page_1').has(host), host).toBe(false);
    expect(hostsOn('page_2').has(host), host).toBe(true);
  }
  // The report of the first load is taken before the answer; requests between that moment and the
  // click still belong to page_1, so page_1 holds at least the report's count.
  expect(har.log.entries.filter((e) => e.pageref === 'page_1' && !e._notSent).length).toBeGreaterThanOrEqual(
    ignoring.requests.total,
  );
});

test('--consent accept: the honouring pages load their trackers once allowed, and nothing is reported as after a reject', async ({
  web,
}) => {
  test.setTimeout(240_000);
  const urls = CASES.accept.map((c) => urlOf(web, c.page));
  const run = await audit([
    '--host-rules',
    HOST_RULES,
    '--insecure',
    '--consent',
    'accept',
    '--jobs',
    '2',
    '--json',
    '--lang',
    'en',
    '--wait',
    '500',
    ...urls,
  ]);
  expect(run.code, run.stderr).toBe(0);
  const reports = reportsByUrl(run.stdout);
  for (const c of CASES.accept) {
    const url = urlOf(web, c.page);
    const r = reports.get(url)!;
    const what = `${c.page}: ${JSON.stringify(r.consent?.answer)}`;
    expect(reportSchemaErrors(r), what).toEqual([]);
    expect(r.consent?.decision, what).toBe('accepted');
    expect(r.consent?.answer, what).toMatchObject({
      requested: 'accept',
      rule: c.rule,
      clicks: c.clicks,
      rejectOnFirstLayer: null,
    });
    expect(trackingHosts(r), what).toEqual(sorted(c.trackingHosts));
    expect(trackingCookies(r), what).toEqual(sorted(c.trackingCookies));
    expect(loggedTrackerHosts(web, url, ...windowOf(r)), what).toEqual(sorted(c.trackingHosts));
    expect(
      r.findings.map((f) => f.id).filter((id) => CONSENT_FINDINGS.includes(id)),
      what,
    ).toEqual([]);
  }
  expect(run.stderr).toMatch(/URL\s+Verdict\s+Third parties\s+Cookies\s+after accept\s+Top finding/);
});

test('--consent with anything but reject, accept or none is a usage error', async () => {
  const run = await audit(['--consent', 'maybe', 'https://www.example.org/']);
  expect(run.code).toBe(64);
  expect(run.stderr).toContain('--consent must be reject, accept or none');
});
