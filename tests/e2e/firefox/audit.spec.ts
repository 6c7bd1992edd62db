/**
 * The audit CLI with `--browser firefox`: the same audit repeated in Firefox (scripts/audit.ts,
 * scripts/firefox-driver.ts). The report is schema-valid and names the browser that measured it;
 * `--pdf` is printed by Firefox itself; a host rule Firefox cannot follow and `--har` are refused
 * with exit 64 (docs/audit.md).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Report } from '@/lib/verdict/report';
import { reportSchemaErrors } from '../../report-schema';
import { audit as runAudit } from '../audit-cli';
import { assertFirefoxInstalled, expect, test } from './fixtures';

const audit = (args: string[]) => runAudit(['--browser', 'firefox', ...args]);

test('audits a page in Firefox: schema-valid report naming Firefox, same verdict as in Chromium; --pdf printed by Firefox, --csv', async ({
  web,
}) => {
  test.setTimeout(120_000);
  assertFirefoxInstalled();
  const out = mkdtempSync(path.join(tmpdir(), 'dsa-ff-audit-'));
  try {
    const url = web.httpsUrl('www.stadt-musterstadt.de', '/');
    const run = await audit([
      '--host-rules',
      'MAP * 127.0.0.1',
      '--insecure',
      '--lang',
      'en',
      '--out',
      out,
      '--pdf',
      '--csv',
      url,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('GREEN');
    const report = JSON.parse(
      readFileSync(path.join(out, `stadt-musterstadt.de_${web.httpsPort}.report.json`), 'utf8'),
    ) as Report;
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.verdict).toBe('green');
    expect(report.tool.browser?.name).toBe('Firefox');
    expect(report.tool.browser?.version).toMatch(/^\d+\.\d+/);
    // --pdf: Firefox's own print (WebDriver BiDi browsingContext.print) of the summary with its screenshot.
    const file = (ext: string) => readFileSync(path.join(out, `stadt-musterstadt.de_${web.httpsPort}.${ext}`));
    expect(file('summary.pdf').subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect([...file('screenshot.jpg').subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect(file('requests.csv').toString('utf8')).toMatch(/^\uFEFFPage,Visit,Host,/);
    expect(file('cookies.csv').toString('utf8')).toMatch(/^\uFEFFPage,Visit,Name,/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('a host rule Firefox cannot follow (a port), and --har, are refused with exit 64 and say why', async () => {
  const run = await audit(['--host-rules', 'MAP * 127.0.0.1:8443', 'https://www.ampel-test.de/']);
  expect(run.code).toBe(64);
  expect(run.stderr).toContain('cannot be done in Firefox');
  const har = await audit(['--out', 'unused', '--har', 'https://www.ampel-test.de/']);
  expect(har.code).toBe(64);
  expect(har.stderr).toContain('use it with --browser chromium');
});
