/**
 * `npm run demo`: the audit CLI on the demo web, offline. Starts the fixture server
 * (tests/e2e/fixture-server.ts) and audits, each in a fresh Chromium profile with the extension:
 *
 *   - the authority's Instagram-like profile  https://www.instagram.com/jobcenter_musterstadt/  (red)
 *   - its Linktree-like link-in-bio page       https://linktr.ee/jobcenter_musterstadt          (red)
 *   - the authority's own site                 https://www.jobcenter-musterstadt.de/
 *   - the model municipal site                 https://www.stadt-musterstadt.de/                (green)
 *
 * and then, with `--consent reject` (the CLI answers the banner with "Alle ablehnen" and watches what
 * follows), a shop whose tags ignore the answer (CONSENT_DEMO_URL, red: tracking-after-reject).
 *
 * The URLs are the real ones: Chromium maps every host to the fixture server
 * (`--host-resolver-rules=MAP * 127.0.0.1:PORT, EXCLUDE localhost`, which also replaces the port).
 * Reports and complaint summaries go to ./demo-output/ (or --out DIR); --lang de|en; --bundle,
 * --pdf, --har, --csv (docs/audit.md).
 * `--bench` audits 20 fixture pages instead and prints the time (docs/audit.md).
 */
import path from 'node:path';
import { startFixtureServer } from '../tests/e2e/fixture-server';
import { type AuditOptions, DEFAULTS, EXIT, NO_CHROMIUM_HELP, UsageError, parseArgs } from '../lib/cli/audit-args';
import { ROOT, ensureBuilt, findChromium, runAudit } from './audit';

export const DEMO_URLS = [
  'https://www.instagram.com/jobcenter_musterstadt/',
  'https://linktr.ee/jobcenter_musterstadt',
  'https://www.jobcenter-musterstadt.de/',
  'https://www.stadt-musterstadt.de/',
];

/** Audited with --consent reject: a OneTrust-style banner whose shop loads Google Analytics and the Meta pixel after any answer. */
export const CONSENT_DEMO_URL = 'https://www.moebelhaus-beispiel.de/ignoriert.html';

/** `--bench`: 20 pages of the fixture web, for the timing in docs/audit.md. */
export const BENCH_URLS = [
  ...DEMO_URLS,
  'https://www.instagram.com/stories/highlights/17890/',
  'https://www.jobcenter-musterstadt.de/impressum.html',
  'https://www.jobcenter-musterstadt.de/datenschutz.html',
  'https://www.stadt-musterstadt.de/impressum.html',
  'https://www.stadt-musterstadt.de/datenschutz.html',
  'https://www.shop-beispiel.de/',
  'https://www.shop-beispiel.de/impressum.html',
  'https://www.shop-beispiel.de/datenschutz.html',
  'https://www.ampel-test.de/burst.html',
  'https://www.ampel-test.de/companies.html',
  'https://www.ampel-test.de/cookies.html',
  'https://www.ampel-test.de/counts.html',
  'https://www.ampel-test.de/next.html',
  'https://hostile.ampel-test.de/',
  'https://hostile.ampel-test.de/footer.html',
  'https://hostile.ampel-test.de/deep.html',
];

async function main(argv: string[]): Promise<number> {
  let options: AuditOptions;
  let bench = false;
  try {
    bench = argv.includes('--bench');
    const urls = bench ? BENCH_URLS : DEMO_URLS;
    // The demo takes the audit's options (--lang, --out, --bundle, --pdf, --har, --csv, --wait, --json,
    // --fail-on); URLs are fixed, and the output folder defaults to ./demo-output.
    const hasOut = argv.some((a) => a === '--out' || a.startsWith('--out='));
    const parsed = parseArgs([
      ...(hasOut ? [] : ['--out', path.join(ROOT, 'demo-output')]),
      ...argv.filter((a) => a !== '--bench'),
      ...urls,
    ]);
    if (parsed.help) {
      process.stdout.write(
        'Usage: npm run demo [-- --lang en] [--out DIR] [--bundle] [--pdf] [--har] [--csv] [--wait MS] [--bench]\n',
      );
      return EXIT.ok;
    }
    options = { ...parsed, urls };
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`demo: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
  const chromium = findChromium();
  if (!chromium) {
    process.stderr.write(`${NO_CHROMIUM_HELP}\n`);
    return EXIT.noBrowser;
  }
  ensureBuilt();
  const web = await startFixtureServer();
  try {
    const run: AuditOptions = {
      ...DEFAULTS,
      ...options,
      hostRules: `MAP * 127.0.0.1:${web.httpPort}, EXCLUDE localhost`,
      insecure: true, // the fixture server's certificate is self-signed
    };
    const started = Date.now();
    process.stderr.write(`Demo web on 127.0.0.1:${web.httpPort}; auditing ${run.urls.length} pages …\n`);
    const first = await runAudit(run, chromium);
    const secs = (Date.now() - started) / 1000;
    process.stderr.write(
      `Done: ${run.urls.length} pages in ${secs.toFixed(1)} s (${(secs / run.urls.length).toFixed(1)} s per page, --wait ${run.waitMs} ms).\n`,
    );
    const results = [...first.results];
    let exitCode = first.exitCode;
    if (!bench) {
      // The same audit answering the banner: what happens after "Alle ablehnen" (docs/audit.md, --consent).
      process.stderr.write(
        `\n${run.lang === 'de' ? 'Mit --consent reject (Banner wird mit „Alle ablehnen“ beantwortet)' : 'With --consent reject (the banner is answered with "reject all")'}: ${CONSENT_DEMO_URL}\n`,
      );
      const second = await runAudit({ ...run, urls: [CONSENT_DEMO_URL], consent: 'reject' }, chromium);
      results.push(...second.results);
      exitCode = Math.max(exitCode, second.exitCode);
    }
    const out = path.resolve(run.out!);
    process.stdout.write(
      `\n${run.lang === 'de' ? 'Zusammenfassungen (Beschwerde-Entwürfe)' : 'Summaries (complaint drafts)'}:\n`,
    );
    for (const r of results) if (r.ok) process.stdout.write(`  ${path.join(out, `${r.slug}.summary.md`)}\n`);
    return exitCode;
  } finally {
    await web.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`demo: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(EXIT.internal);
  },
);
