/**
 * The audit CLI end to end: `npx tsx scripts/audit.ts` spawned against the fixture web (one
 * fixture server for the file, the CLI starts its own Chromium per URL). Reports validate against
 * docs/report-schema.json, an unreachable URL is reported while the others are still written
 * (exit 3), --fail-on red exits 1 on a red page, usage errors exit 64, and the summaries are
 * exactly what the shared renderer produces in-process for the same report.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tsImport } from 'tsx/esm/api';
import type { buildComplaint as BuildComplaint } from '@/lib/export/complaint/build';
import type { ComplaintInput } from '@/lib/export/complaint/model';
import type { renderComplaintMarkdown as RenderComplaintMarkdown } from '@/lib/export/markdown';
import type { Report } from '@/lib/verdict/report';
import { reportSchemaErrors } from '../report-schema';
import { HOST_RULES, audit } from './audit-cli';
import { expect, test } from './fixtures';

/**
 * The shared renderer, in this process. lib/ imports rules.json without an import attribute
 * (fine for Vite and tsx, refused by Playwright's ESM loader), so it is loaded through tsx's API.
 */
async function renderMarkdown(input: ComplaintInput): Promise<string> {
  const { buildComplaint } = (await tsImport('../../lib/export/complaint/build.ts', import.meta.url)) as {
    buildComplaint: typeof BuildComplaint;
  };
  const { renderComplaintMarkdown } = (await tsImport('../../lib/export/markdown.ts', import.meta.url)) as {
    renderComplaintMarkdown: typeof RenderComplaintMarkdown;
  };
  return renderComplaintMarkdown(buildComplaint(input));
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

let out: string;
test.beforeEach(() => {
  out = mkdtempSync(path.join(tmpdir(), 'dsa-audit-out-'));
});
test.afterEach(() => rmSync(out, { recursive: true, force: true }));

test('audits each URL in a fresh profile; an unreachable URL is reported, the others written, exit 3', async ({
  loads,
}) => {
  test.setTimeout(150_000);
  const profileLoad = await loads.open('audit: www.instagram.com/jobcenter_musterstadt/');
  const modelLoad = await loads.open('audit: www.stadt-musterstadt.de/');
  const profile = profileLoad.httpsUrl('www.instagram.com', '/jobcenter_musterstadt/');
  const model = modelLoad.httpsUrl('www.stadt-musterstadt.de', '/');
  const unreachable = 'http://127.0.0.1:9/';
  const run = await audit([
    '--host-rules',
    HOST_RULES,
    '--insecure',
    '--out',
    out,
    '--wait',
    '1000',
    profile,
    unreachable,
    model,
  ]);
  expect(run.code, run.stderr).toBe(3);

  // Progress on stderr, a line per URL; the table on stdout with every URL.
  expect(run.stderr).toMatch(/\(1\/3\) ROT https:\/\/www\.instagram\.com:\d+\/jobcenter_musterstadt\//);
  expect(run.stderr).toMatch(/\(2\/3\) FEHLER http:\/\/127\.0\.0\.1:9\/ – net::ERR_/);
  expect(run.stderr).toContain('1 of 3 page(s) could not be audited');
  const rows = run.stdout.trim().split('\n');
  expect(rows[0]).toMatch(/^URL\s+Ampel\s+Dritte\s+Cookies\s+Wichtigster Befund$/);
  expect(rows.slice(2).map((r) => r.split(/\s{2,}/).slice(0, 2))).toEqual([
    [profile, 'ROT'],
    [unreachable, 'FEHLER'],
    [model, 'GRÜN'],
  ]);

  const slugs = [`instagram.com_${profileLoad.port}-jobcenter_musterstadt`, `stadt-musterstadt.de_${modelLoad.port}`];
  expect(readdirSync(out).sort()).toEqual(slugs.flatMap((s) => [`${s}.report.json`, `${s}.summary.md`]).sort());

  const reports = slugs.map((s) => readJson<Report>(path.join(out, `${s}.report.json`)));
  for (const r of reports) expect(reportSchemaErrors(r)).toEqual([]);
  const [red, green] = reports as [Report, Report];
  expect(red.url).toBe(profile);
  expect(red.verdict).toBe('red');
  expect(red.pageKind).toBe('social-profile');
  expect(red.authority.isAuthority).toBe(true);
  expect(green.url).toBe(model);
  expect(green.verdict).toBe('green');
  // Settled: the legal pages were fetched and read.
  expect([green.imprint.status, green.privacyNotice.status]).toEqual(['found', 'found']);
  // The counts equal the fixture server's log of each page.
  loads.checkReport(profileLoad, red);
  loads.checkReport(modelLoad, green);

  // The summary is exactly the shared renderer's output for this report (German by default).
  const markdown = readFileSync(path.join(out, `${slugs[0]}.summary.md`), 'utf8');
  const expected = await renderMarkdown({
    site: 'instagram.com/jobcenter_musterstadt',
    reports: [red],
    lang: 'de',
    toolVersion: red.tool.version,
    now: red.analysedAt,
  });
  expect(markdown.trimEnd()).toBe(expected.trimEnd());
  expect(markdown).toContain('Beschwerde');
});

test('--fail-on red exits 1 on the red link-in-bio page; --json, --lang en and --bundle', async ({ loads }) => {
  test.setTimeout(90_000);
  const load = await loads.open('audit: linktr.ee/jobcenter_musterstadt');
  const linkPage = load.httpsUrl('linktr.ee', '/jobcenter_musterstadt');
  const run = await audit([
    '--host-rules',
    HOST_RULES,
    '--insecure',
    '--out',
    out,
    '--bundle',
    '--lang',
    'en',
    '--json',
    '--fail-on',
    'red',
    '--wait',
    '1000',
    linkPage,
  ]);
  expect(run.code, run.stderr).toBe(1);
  expect(run.stderr).toContain('--fail-on red');

  // --json: one report per line on stdout, nothing else there; the table goes to stderr.
  const lines = run.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  const report = JSON.parse(lines[0]!) as Report;
  expect(reportSchemaErrors(report)).toEqual([]);
  expect(report.url).toBe(linkPage);
  expect(report.pageKind).toBe('link-in-bio');
  expect(report.verdict).toBe('red');
  expect(report.findings.map((f) => f.id)).toContain('cookies-before-consent');
  expect(report.cookies.items.find((c) => c.name === '_ga')?.beforeInteraction).toBe(true);
  expect(report.requests.thirdPartyHosts.map((h) => h.host)).toEqual(
    expect.arrayContaining(['www.google-analytics.com', 'connect.facebook.net']),
  );
  expect(run.stderr).toMatch(/URL\s+Verdict\s+Third parties\s+Cookies\s+Top finding/);
  loads.checkReport(load, report);

  const slug = `linktr.ee_${load.port}-jobcenter_musterstadt`;
  expect(readJson(path.join(out, `${slug}.report.json`))).toEqual(report);
  for (const ext of ['summary.md', 'summary.html', 'bundle.json', 'screenshot.jpg'])
    expect(existsSync(path.join(out, `${slug}.${ext}`)), ext).toBe(true);
  const markdown = readFileSync(path.join(out, `${slug}.summary.md`), 'utf8');
  expect(markdown).toContain('Complaint');
  // The bundle (version 2) lists the screenshot as a JPEG file of its own, with its hash.
  const bundle = readJson<{
    format: string;
    version: number;
    reports: Report[];
    files: { name: string; sha256: string }[];
  }>(path.join(out, `${slug}.bundle.json`));
  expect(bundle.format).toBe('datenschutz-ampel/evidence-bundle');
  expect(bundle.version).toBe(2);
  expect(bundle.reports).toHaveLength(1);
  const shot = bundle.files.find((f) => f.name === `${slug}.screenshot.jpg`)!;
  expect(markdown).toContain(shot.sha256);
  expect(readFileSync(path.join(out, `${slug}.summary.html`), 'utf8')).not.toContain('data:image');
});

test('usage errors print the usage and exit 64 without starting a browser', async () => {
  const run = await audit(['--fail-on', 'green', 'https://www.example.org/']);
  expect(run.code).toBe(64);
  expect(run.stderr).toContain('--fail-on must be red or yellow');
  expect(run.stderr).toContain('Usage: datenschutz-ampel audit');
  expect((await audit([])).code).toBe(64);
  // The evidence files are written next to the report: without --out there is nowhere to put them.
  for (const flag of ['--pdf', '--har', '--csv']) {
    const without = await audit([flag, 'https://www.example.org/']);
    expect(without.code, flag).toBe(64);
    expect(without.stderr, flag).toContain(`${flag} needs --out`);
  }
});
