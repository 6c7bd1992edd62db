/**
 * The audit CLI's evidence files (scripts/audit-evidence.ts, docs/audit.md): `--pdf`, `--har`,
 * `--csv` with `--bundle`, for the demo's authority profile and a page whose third party sets a
 * cookie by header, on the fixture web. The PDF is a PDF and fits upload forms; the HAR validates
 * as HAR 1.2, holds exactly the requests the report counts (per host, what the fixture server's
 * log of the load holds) and no cookie value; the CSV tables have their columns; and every hash
 * the bundle lists matches the file on disk.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tsImport } from 'tsx/esm/api';
import type { verifyBundle as VerifyBundle, EvidenceBundle } from '@/lib/export/bundle';
import type { Har } from '@/lib/export/har';
import type { Report } from '@/lib/verdict/report';
import { siteOfHost } from '../../lib/site';
import { harSchemaErrors } from '../har-schema';
import { HOST_RULES, audit } from './audit-cli';
import { serverCounts } from './counts';
import { expect, test } from './fixtures';

let out: string;
test.beforeEach(() => {
  out = mkdtempSync(path.join(tmpdir(), 'dsa-audit-evidence-'));
});
test.afterEach(() => rmSync(out, { recursive: true, force: true }));

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

/** Per host, the HAR's requests that were sent (not flagged `_notSent`). */
function sentPerHost(har: Har): Record<string, number> {
  const perHost: Record<string, number> = {};
  for (const e of har.log.entries.filter((x) => !x._notSent)) {
    const host = new URL(e.request.url).hostname;
    perHost[host] = (perHost[host] ?? 0) + 1;
  }
  return perHost;
}

test('--pdf --har --csv --bundle: a PDF under 1.5 MB, a valid HAR of the counted requests, both tables, every hash matching', async ({
  loads,
}) => {
  test.setTimeout(180_000);
  const load = await loads.open('audit --pdf --har --csv: www.instagram.com/jobcenter_musterstadt/');
  const cookieLoad = await loads.open('audit --har: www.ampel-test.de/cookies.html');
  const profile = load.httpsUrl('www.instagram.com', '/jobcenter_musterstadt/');
  const cookiePage = cookieLoad.httpsUrl('www.ampel-test.de', '/cookies.html');
  const run = await audit([
    '--host-rules',
    HOST_RULES,
    '--insecure',
    '--out',
    out,
    '--wait',
    '1000',
    '--pdf',
    '--har',
    '--csv',
    '--bundle',
    profile,
    cookiePage,
  ]);
  expect(run.code, run.stderr).toBe(0);
  const slug = `instagram.com_${load.port}-jobcenter_musterstadt`;
  const cookieSlug = `ampel-test.de_${cookieLoad.port}-cookies.html`;
  const kinds = [
    'bundle.json',
    'cookies.csv',
    'har',
    'report.json',
    'requests.csv',
    'screenshot.jpg',
    'summary.html',
    'summary.md',
    'summary.pdf',
  ];
  expect(readdirSync(out).sort()).toEqual([slug, cookieSlug].flatMap((s) => kinds.map((e) => `${s}.${e}`)).sort());
  const file = (ext: string, of = slug) => readFileSync(path.join(out, `${of}.${ext}`));
  const report = readJson<Report>(path.join(out, `${slug}.report.json`));
  loads.checkReport(load, report);

  // PDF: Chromium's own print of the summary, with the screenshot, small enough for upload forms.
  const pdf = file('summary.pdf');
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(pdf.byteLength).toBeLessThan(1_500_000);
  test.info().annotations.push({
    type: 'sizes',
    description: `pdf ${pdf.byteLength} B, screenshot ${file('screenshot.jpg').byteLength} B, har ${file('har').byteLength} B`,
  });
  expect([...file('screenshot.jpg').subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);

  // HAR 1.2 with exactly the requests the report counts; per host, what the fixture server
  // received for this load (the ground truth).
  const har = readJson<Har>(path.join(out, `${slug}.har`));
  expect(harSchemaErrors(har)).toEqual([]);
  expect(har.log.entries.filter((e) => !e._notSent)).toHaveLength(report.requests.total);
  expect(har.log.pages.map((p) => p.id)).toEqual(['page_1']);
  expect(
    har.log.entries
      .filter((e) => !e._notSent)
      .every((e) => e.serverIPAddress === '127.0.0.1' || e.response.status === 0),
  ).toBe(true);
  expect(sentPerHost(har)).toEqual(serverCounts(load.lines(), siteOfHost('www.instagram.com')).hosts);

  // A page with a third party that sets cookies by header: its HAR names the third party, as the
  // report and the server do, and carries no cookie value (fp_session=abc from the page,
  // tp_id=u-123 from ads.tracker-netz.com; tests/fixtures/sites/…/_headers.json).
  const cookieReport = readJson<Report>(path.join(out, `${cookieSlug}.report.json`));
  loads.checkReport(cookieLoad, cookieReport);
  const cookieHarText = file('har', cookieSlug).toString('utf8');
  const cookieHar = JSON.parse(cookieHarText) as Har;
  expect(harSchemaErrors(cookieHar)).toEqual([]);
  expect(cookieHar.log.entries.filter((e) => !e._notSent)).toHaveLength(cookieReport.requests.total);
  const cookieHosts = sentPerHost(cookieHar);
  expect(cookieHosts).toEqual(serverCounts(cookieLoad.lines(), 'ampel-test.de').hosts);
  expect(Object.keys(cookieHosts)).toContain('ads.tracker-netz.com');
  expect(cookieHarText).toContain('fp_session=REDACTED');
  expect(cookieHarText).not.toMatch(/fp_session=abc/);
  expect(cookieHarText).not.toContain('u-123');

  // CSV: BOM, German headers and ';', one row per third party and per cookie.
  const requests = file('requests.csv').toString('utf8');
  expect(requests.startsWith('\uFEFFSeite;Besuch;Host;Unternehmen;')).toBe(true);
  expect(requests.trimEnd().split('\r\n')).toHaveLength(1 + report.requests.thirdPartyHosts.length);
  const cookies = file('cookies.csv').toString('utf8');
  expect(cookies.startsWith('\uFEFFSeite;Besuch;Name;Domain;Partei;Laufzeit;')).toBe(true);
  expect(cookies.trimEnd().split('\r\n')).toHaveLength(1 + report.cookies.items.length);
  expect(file('requests.csv', cookieSlug).toString('utf8')).toContain('ads.tracker-netz.com');

  // Hashes in one direction: the summaries name every attachment's hash, the bundle every file's.
  const bundle = readJson<EvidenceBundle>(path.join(out, `${slug}.bundle.json`));
  const { verifyBundle } = (await tsImport('../../lib/export/bundle.ts', import.meta.url)) as {
    verifyBundle: typeof VerifyBundle;
  };
  const onDisk = Object.fromEntries(
    readdirSync(out)
      .filter((f) => f.startsWith(`${slug}.`))
      .map((f) => [f, new Uint8Array(readFileSync(path.join(out, f)))]),
  );
  expect(await verifyBundle(bundle, onDisk)).toEqual({ ok: true, mismatches: [], unchecked: [] });
  expect(bundle.files.map((f) => f.kind).sort()).toEqual([
    'cookies-csv',
    'har',
    'requests-csv',
    'screenshot',
    'summary-html',
    'summary-md',
    'summary-pdf',
  ]);
  const md = file('summary.md').toString('utf8');
  for (const f of bundle.files.filter((x) => x.role === 'attachment')) expect(md).toContain(f.sha256);
});
