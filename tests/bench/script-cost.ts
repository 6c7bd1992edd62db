/**
 * What our page-side scripts cost the page's main thread, per build, side by side
 * (docs/ARCHITECTURE.md, "Page-load overhead"). page-load.ts counts V8 samples with a frame of
 * ours, which miss compiling a script and creating the extension's isolated world for it; Chrome's
 * trace events show both: `EvaluateScript` of a chrome-extension:// script (compile and run), and
 * the context set-up of the isolated world (`LocalWindowProxy::Initialize`, which the page's own
 * main world has too, so compare with the browser without the extension).
 *
 * - Browsers: one without the extension (`none` in BENCH_EXTENSION_DIRS) and one per build in
 *   BENCH_EXTENSION_DIRS (`;`-separated; default `none;.output/chrome-mv3`), all started alike;
 *   every round loads each page once in each browser, the order rotating per round, each load in a
 *   new tab (a renderer that has not compiled our scripts yet, as on a user's first page of a site)
 *   and on its own fixture-server port.
 * - Per load, from the page's Navigation Timing: responseStart, domInteractive, DOMContentLoaded,
 *   `load`; from a trace of the load (tracing inflates every figure; compare builds, not runs): the
 *   main thread's busy time until `load`, our `EvaluateScript` time before `load`, and the isolated
 *   worlds' and the page's context set-up before `load`.
 *
 * Environment: BENCH_SCRIPT_COST_LOADS (default 9), BENCH_PAGELOAD_PAGES (default
 * 'municipal;authority;shop'), BENCH_EXTENSION_DIRS. Not part of `npm run bench` (a diagnostic, like
 * worker-profile.ts). Run: npx tsx tests/bench/script-cost.ts
 */
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext } from '@playwright/test';
import { startFixtureServer } from '../e2e/fixture-server';
import { EXTENSION_DIR, launchChromium, launchWithExtension } from './chromium';
import { ARGS, NAVIGATION_TIMING, pageUrl, settle } from './page-load';
import { PAGES as ALL_PAGES, benchSites } from './page-set';
import { median } from './stats';

const LOADS = Number(process.env.BENCH_SCRIPT_COST_LOADS ?? 9);
const WANTED = (process.env.BENCH_PAGELOAD_PAGES ?? 'municipal;authority;shop').split(';');
const PAGES = ALL_PAGES.filter((p) => WANTED.includes(p.name));
const DIRS = (process.env.BENCH_EXTENSION_DIRS ?? `none;${EXTENSION_DIR}`).split(';');
// devtools.timeline: EvaluateScript, RunTask; blink.user_timing: navigationStart; v8: context set-up.
const CATEGORIES = ['blink.user_timing', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8'];

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { data?: Record<string, unknown> };
}

const FIELDS = ['responseStart', 'interactive', 'dcl', 'load', 'busyToLoad', 'oursEvaluate', 'contextSetUp'] as const;
type Measure = Record<(typeof FIELDS)[number], number>;

async function tracedLoad(context: BrowserContext, url: string): Promise<Measure> {
  const tab = await context.newPage();
  const cdp = await context.newCDPSession(tab);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e as unknown as { value: TraceEvent[] }).value));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: CATEGORIES } } as never);
  try {
    await tab.goto(url, { waitUntil: 'load' });
    const { dclMs, loadMs } = await tab.evaluate(NAVIGATION_TIMING);
    const phases = await tab.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return { responseStart: n.responseStart, interactive: n.domInteractive };
    });
    const complete = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
    await cdp.send('Tracing.end');
    await complete;
    const nav = events.find((e) => e.name === 'navigationStart' && e.args?.data?.documentLoaderURL === url);
    if (!nav) throw new Error(`no navigationStart for ${url} in the trace`);
    const loadTs = nav.ts + loadMs * 1000;
    const main = events.filter(
      (e) => e.pid === nav.pid && e.tid === nav.tid && e.ph === 'X' && e.ts >= nav.ts && e.ts < loadTs,
    );
    const ms = (list: TraceEvent[]) => list.reduce((sum, e) => sum + (e.dur ?? 0), 0) / 1000;
    return {
      ...phases,
      dcl: dclMs,
      load: loadMs,
      busyToLoad: ms(main.filter((e) => e.name === 'RunTask')),
      oursEvaluate: ms(
        main.filter(
          (e) => e.name === 'EvaluateScript' && String(e.args?.data?.url ?? '').startsWith('chrome-extension://'),
        ),
      ),
      contextSetUp: ms(main.filter((e) => e.name === 'LocalWindowProxy::Initialize')),
    };
  } finally {
    await cdp.detach().catch(() => undefined);
    await tab.close();
  }
}

const sites = benchSites();
const web = await startFixtureServer({ sitesDir: sites.sitesDir });
const browsers: { name: string; context: BrowserContext; close(): Promise<void> }[] = [];
try {
  for (const dir of DIRS) {
    const b =
      dir === 'none'
        ? await launchChromium('dsa-script-cost-none-', ARGS)
        : await launchWithExtension('dsa-script-cost-', ARGS, { extensionDir: path.resolve(dir) });
    browsers.push({ name: dir === 'none' ? 'none' : path.relative(process.cwd(), path.resolve(dir)), ...b });
  }
  const loadAtStart = os.loadavg();
  const results = new Map<string, Measure[]>();
  // Round -1 warms each browser up (first worker start, first compile of the page's own scripts).
  for (let round = -1; round < LOADS; round++)
    for (let i = 0; i < browsers.length; i++) {
      const b = browsers[(i + Math.max(round, 0)) % browsers.length]!;
      for (const page of PAGES) {
        const load = await web.load(`${b.name} ${page.name} ${round}`);
        const measure = await tracedLoad(b.context, pageUrl(load, page));
        await settle(load);
        const key = `${page.name}\t${b.name}`;
        if (round >= 0) results.set(key, [...(results.get(key) ?? []), measure]);
      }
    }
  const avg = (l: number[]) => l.map((x) => x.toFixed(1)).join(' ');
  console.log(
    `Chromium, ${os.cpus().length} CPUs; median of ${LOADS} traced loads per page and build, new tab each; load average ${avg(loadAtStart)} at the start, ${avg(os.loadavg())} at the end`,
  );
  console.log(['page', 'build', ...FIELDS].join('\t'));
  for (const [key, list] of results)
    console.log([key, ...FIELDS.map((f) => median(list.map((m) => m[f])).toFixed(1))].join('\t'));
  console.log(
    'ms from navigation start (responseStart … load), ms on the page main thread before load (busyToLoad: all tasks; oursEvaluate: EvaluateScript of chrome-extension:// scripts; contextSetUp: LocalWindowProxy::Initialize, the page world and every isolated world)',
  );
} finally {
  for (const b of browsers) await b.close();
  await web.close();
  sites.dispose();
}
