/**
 * Consent-banner detection cost on the page's main thread (entrypoints/consent.content.ts).
 *
 * The extension runs @duckduckgo/autoconsent with the rules for the page's URL; one detection
 * attempt checks every rule once. In the extension each rule's check is its own task (the content
 * script yields to the page before each), so what matters is the cost of one attempt in total and
 * of the slowest single rule. Both are measured here in headless Chromium by running the same
 * library, rules and detection-only config in a page: each rule's check awaits only microtasks, so
 * its wall time is its main-thread time. Baseline in the same browser: the same attempt on a page
 * with 50 links.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM } from './chromium';

const ROOT = path.resolve(import.meta.dirname, '../..');
const RULES = path.join(ROOT, 'public/data/consent-rules.json');

export interface ConsentFigures {
  rules: number;
  links: number;
  attemptMedianMs: number;
  attemptP99Ms: number;
  slowestRuleMs: number;
  slowestRule: string;
  baselineAttemptMedianMs: number;
  runs: number;
}

const HARNESS = `
import AutoConsent, { filterCompactRules } from '@duckduckgo/autoconsent';
import { DETECTION_ONLY_CONFIG } from './lib/page/consent';
globalThis.consentAttempt = async (compact) => {
  const rules = filterCompactRules(compact, { url: location.href, mainFrame: true });
  // isMainWorld: the page-context snippets run inline here instead of through the background.
  const ac = new AutoConsent(async () => {}, { ...DETECTION_ONLY_CONFIG, isMainWorld: true, detectRetries: 0 }, { autoconsent: [], compact: rules });
  const t0 = performance.now();
  await Promise.all(ac.rules.map((r) => r.detectCmp().catch(() => false)));
  const attempt = performance.now() - t0;
  let slowest = 0, slowestName = '';
  for (const r of ac.rules) {
    const t = performance.now();
    await r.detectCmp().catch(() => false);
    const d = performance.now() - t;
    if (d > slowest) { slowest = d; slowestName = r.name; }
  }
  return { rules: ac.rules.length, attempt, slowest, slowestName };
};`;

async function bundleHarness(): Promise<string> {
  // esbuild comes with tsx (a devDependency); bundling here keeps the bench on the installed library.
  const esbuild = await import('esbuild');
  const out = await esbuild.build({
    stdin: { contents: HARNESS, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    format: 'iife',
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

const pageWith = (links: number) =>
  `<!doctype html><html lang="de"><head><title>Bench</title></head><body><header><nav>${Array.from({ length: 20 }, (_, i) => `<a href="/nav/${i}">Rubrik ${i}</a>`).join(' ')}</nav></header><main><ul>${Array.from(
    { length: links },
    (_, i) =>
      `<li><a href="/artikel/${i}">Artikel ${i}: eine Überschrift mit etwas Text</a> <span>vor ${i % 60} Minuten</span></li>`,
  ).join(
    '',
  )}</ul></main><footer><a href="/impressum">Impressum</a> <a href="/datenschutz">Datenschutz</a></footer></body></html>`;

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
};

export async function measureConsent(runs = 9, links = 5000): Promise<ConsentFigures | { skipped: string }> {
  let harness: string;
  try {
    harness = await bundleHarness();
  } catch (error) {
    return { skipped: `cannot bundle the library: ${error instanceof Error ? error.message : String(error)}` };
  }
  const compact = JSON.parse(readFileSync(RULES, 'utf8')) as unknown;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const attempts = async (n: number) => {
      const page = await browser.newPage();
      await page.route('https://bench.ampel-test.de/', (r) =>
        r.fulfill({ contentType: 'text/html; charset=utf-8', body: pageWith(n) }),
      );
      await page.goto('https://bench.ampel-test.de/');
      await page.addScriptTag({ content: harness });
      const results: { rules: number; attempt: number; slowest: number; slowestName: string }[] = [];
      // The first attempt also compiles the library's code: not counted.
      await page.evaluate('consentAttempt(' + JSON.stringify(compact) + ')');
      await page.evaluate((c) => {
        (globalThis as { rulesCache?: unknown }).rulesCache = c;
      }, compact);
      for (let i = 0; i < runs; i++)
        results.push((await page.evaluate('consentAttempt(globalThis.rulesCache)')) as (typeof results)[number]);
      await page.close();
      return results;
    };
    const baseline = await attempts(50);
    const big = await attempts(links);
    const slowest = big.reduce((a, b) => (b.slowest > a.slowest ? b : a));
    return {
      rules: big[0]?.rules ?? 0,
      links,
      attemptMedianMs: quantile(
        big.map((r) => r.attempt),
        0.5,
      ),
      attemptP99Ms: quantile(
        big.map((r) => r.attempt),
        0.99,
      ),
      slowestRuleMs: slowest.slowest,
      slowestRule: slowest.slowestName,
      baselineAttemptMedianMs: quantile(
        baseline.map((r) => r.attempt),
        0.5,
      ),
      runs,
    };
  } finally {
    await browser.close();
  }
}

if (process.argv[1] === import.meta.filename) {
  console.log(await measureConsent());
}
