/**
 * The page-load bench in Firefox (tests/bench/page-load.ts has the method): Debian's Firefox ESR
 * with the built add-on (.output/firefox-mv2, `npm run build:firefox`) and without it, driven over
 * WebDriver BiDi by puppeteer-core like the Firefox rig (scripts/firefox-driver.ts), the same pages
 * and the same alternating rounds.
 *
 * Not measured here: our main-thread time. Firefox has no CDP tracing, and its own profiler
 * (about:profiling, the Gecko profiler) is not reachable over BiDi; the load and DOMContentLoaded
 * figures are the same Navigation Timing fields as in Chromium.
 *
 * Environment as page-load.ts (BENCH_PAGELOAD_RUNS, BENCH_PAGELOAD_PAGES, BENCH_EXTENSION_DIR: here a
 * Firefox build). Run alone: npx tsx tests/bench/page-load-firefox.ts (or BENCH_ONLY=pageload npm run bench).
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { backgroundReady, extensionPage, findFirefox, launchFirefox } from '../../scripts/firefox-driver';
import { startFixtureServer } from '../e2e/fixture-server';
import {
  type PageLoadResult,
  type LoadTiming,
  NAVIGATION_TIMING,
  alternate,
  pageLoadTable,
  pageRequests,
  pageUrl,
  settle,
} from './page-load';
import { type BenchPage, benchSites } from './page-set';

/** BENCH_EXTENSION_DIR: another build of the add-on (a before/after pair, as in page-load.ts). */
export const FIREFOX_EXTENSION_DIR = path.resolve(
  process.env.BENCH_EXTENSION_DIR ?? path.join(import.meta.dirname, '../../.output/firefox-mv2'),
);
const DWELL_MS = 300;

export async function measurePageLoadFirefox(
  runs = Number(process.env.BENCH_PAGELOAD_RUNS ?? 11),
): Promise<PageLoadResult | { skipped: string }> {
  const executablePath = findFirefox();
  if (!executablePath) return { skipped: 'no Firefox (apt-get install firefox-esr, or FIREFOX_PATH)' };
  if (!existsSync(path.join(FIREFOX_EXTENSION_DIR, 'manifest.json')))
    return { skipped: 'not built (.output/firefox-mv2 missing): run npm run build:firefox' };
  const started = performance.now();
  const loadAtStart = os.loadavg();
  const sites = benchSites();
  const web = await startFixtureServer({ sitesDir: sites.sitesDir });
  const setup = { executablePath, forceResolve: '127.0.0.1', insecure: true, allowThirdPartyCookies: true };
  const withAddOn = await launchFirefox({ ...setup, extensionDir: FIREFOX_EXTENSION_DIR });
  const plain = await launchFirefox({ ...setup, extensionDir: null });
  try {
    await backgroundReady(await extensionPage(withAddOn, 'about.html'));
    const tabs: Record<'with' | 'without', Page> = { with: await withAddOn.newPage(), without: await plain.newPage() };
    const loadOnce = async (which: 'with' | 'without', page: BenchPage, name: string): Promise<LoadTiming> => {
      const tab = tabs[which];
      const load = await web.load(name);
      await tab.goto(pageUrl(load, page), { waitUntil: 'load' });
      const timing = await tab.evaluate(NAVIGATION_TIMING);
      await new Promise((r) => setTimeout(r, DWELL_MS));
      await tab.goto('about:blank');
      await settle(load);
      return { ...timing, requests: pageRequests(load.lines()) };
    };
    const rows = await alternate(loadOnce, runs);
    return {
      browser: `${await withAddOn.version()} headless`,
      runs,
      traces: 0,
      extensionDir: path.relative(process.cwd(), FIREFOX_EXTENSION_DIR),
      loadAverage: { start: loadAtStart, end: os.loadavg() },
      seconds: (performance.now() - started) / 1000,
      rows,
    };
  } finally {
    await withAddOn.close();
    await plain.close();
    await web.close();
    sites.dispose();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const result = await measurePageLoadFirefox();
  console.log('skipped' in result ? `skipped: ${result.skipped}` : pageLoadTable(result));
}
