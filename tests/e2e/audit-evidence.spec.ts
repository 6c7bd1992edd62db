/**
 * The audit CLI's evidence files (scripts/audit-evidence.ts, docs/audit.md): `--pdf`, `--har`,
 * `--csv` with `--bundle`, for the demo's authority profile on the fixture web. The PDF is a PDF
 * and fits upload forms; the HAR validates as HAR 1.2 and holds exactly the requests the report
 * counts (checked against the fixture server's access log too); the CSV tables have their
 * columns; and every hash the bundle lists matches the file on disk.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tsImport } from 'tsx/esm/api';
import type { verifyBundle as VerifyBundle, EvidenceBundle } from '@/lib/export/bundle';
import type { Har } from '@/lib/export/har';
import type { Report } from '@/lib/verdict/report';
import { harSchemaErrors } from '../har-schema';
import { HOST_RULES, audit } from './audit-cli';
import { expect, test } from './fixtures';

let out: string;
test.beforeEach(() => {
  out = mkdtempSync(path.join(tmpdir(), 'dsa-audit-evidence-'));
});
test.afterEach(() => rmSync(out, { recursive: true, force: true }));

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

test('--pdf --har --csv --bundle: a PDF under 1.5 MB, a valid HAR of the counted requests, both tables, every hash matching', async ({ web }) => {
  test.setTimeout(120_000);
  const profile = web.httpsUrl('www.instagram.com', '/jobcenter_musterstadt/');
  const run = await audit(['--host-rules', HOST_RULES, '--insecure', '--out', out, '--wait', '1000', '--pdf', '--har', '--csv', '--bundle', profile]);
  expect(run.code, run.stderr).toBe(0);
  const slug = `instagram.com_${web.httpsPort}-jobcenter_musterstadt`;
  expect(readdirSync(out).sort()).toEqual(
    ['bundle.json', 'cookies.csv', 'har', 'report.json', 'requests.csv', 'screenshot.jpg', 'summary.html', 'summary.md', 'summary.pdf'].map((e) => `${slug}.${e}`).sort(),
  );
  const file = (ext: string) => readFileSync(path.join(out, `${slug}.${ext}`));
  const report = readJson<Report>(path.join(out, `${slug}.report.json`));

  // PDF: Chromium's own print of the summary, with the screenshot, small enough for upload forms.
  const pdf = file('summary.pdf');
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(pdf.byteLength).toBeLessThan(1_500_000);
  test.info().annotations.push({ type: 'sizes', description: `pdf ${pdf.byteLength} B, screenshot ${file('screenshot.jpg').byteLength} B, har ${file('har').byteLength} B` });
  expect([...file('screenshot.jpg').subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);

  // HAR 1.2 with exactly the requests the report counts, which the server saw.
  const har = readJson<Har>(path.join(out, `${slug}.har`));
  expect(harSchemaErrors(har)).toEqual([]);
  const sent = har.log.entries.filter((e) => !e._notSent);
  expect(sent).toHaveLength(report.requests.total);
  expect(har.log.pages.map((p) => p.id)).toEqual(['page_1']);
  const hosts = (urls: string[]) => [...new Set(urls.map((u) => new URL(u).hostname))].sort();
  expect(hosts(sent.map((e) => e.request.url)).filter((h) => !h.endsWith('instagram.com'))).toEqual(report.requests.thirdPartyHosts.map((h) => h.host).sort());
  expect(sent.every((e) => e.serverIPAddress === '127.0.0.1' || e.response.status === 0)).toBe(true);

  // CSV: BOM, German headers and ';', one row per third party and per cookie.
  const requests = file('requests.csv').toString('utf8');
  expect(requests.startsWith('\uFEFFSeite;Besuch;Host;Unternehmen;')).toBe(true);
  expect(requests.trimEnd().split('\r\n')).toHaveLength(1 + report.requests.thirdPartyHosts.length);
  const cookies = file('cookies.csv').toString('utf8');
  expect(cookies.startsWith('\uFEFFSeite;Besuch;Name;Domain;Partei;Laufzeit;')).toBe(true);
  expect(cookies.trimEnd().split('\r\n')).toHaveLength(1 + report.cookies.items.length);

  // Hashes in one direction: the summaries name every attachment's hash, the bundle every file's.
  const bundle = readJson<EvidenceBundle>(path.join(out, `${slug}.bundle.json`));
  const { verifyBundle } = (await tsImport('../../lib/export/bundle.ts', import.meta.url)) as { verifyBundle: typeof VerifyBundle };
  const onDisk = Object.fromEntries(readdirSync(out).map((f) => [f, new Uint8Array(readFileSync(path.join(out, f)))]));
  expect(await verifyBundle(bundle, onDisk)).toEqual({ ok: true, mismatches: [], unchecked: [] });
  expect(bundle.files.map((f) => f.kind).sort()).toEqual(['cookies-csv', 'har', 'requests-csv', 'screenshot', 'summary-html', 'summary-md', 'summary-pdf']);
  const md = file('summary.md').toString('utf8');
  for (const f of bundle.files.filter((x) => x.role === 'attachment')) expect(md).toContain(f.sha256);
});
