/**
 * Page-load overhead, side by side: what a user notices when the extension is installed.
 *
 * Method (Chromium; Firefox in page-load-firefox.ts):
 * - Two headless Chromium browsers with fresh profiles and the same flags, one with the built
 *   extension (.output/chrome-mv3, or BENCH_EXTENSION_DIR: a variant build for attributing a
 *   cost), one without. Both load the pages of page-set.ts from the fixture web.
 * - Every load gets a port of its own (the fixture server's per-load markers): no connection,
 *   cache entry or cookie carries over from one load to the next, and the server's log tells
 *   which requests belong to the load. The page's requests (the extension's own fetches left out)
 *   must be the same with and without: the extension may only watch.
 * - Round r loads every page once in each browser; the browser that goes first alternates per
 *   round. After a load the page stays DWELL_MS, then the tab goes to about:blank and we wait
 *   until the server has heard nothing of this load for QUIET_MS, so a browser's trailing work
 *   (the extension's legal-page fetches) does not fall into the other browser's next load.
 * - Figures come from the page's own Navigation Timing entry: `domContentLoadedEventStart` and
 *   `loadEventStart`, both from navigation start (this includes the main document's request).
 *   Per page: the median of RUNS loads each; the overhead is the ratio of the two medians.
 * - CPU: the user + system time of all the browser's processes (proc-cpu.ts) from the navigation
 *   until `load` and until the load is over; unlike the load times it barely depends on how long a
 *   process waited for a core, so it attributes costs on a shared machine.
 * - Our main-thread time: TRACES more loads per page with the extension, each traced over CDP
 *   (V8's sampling profiler, ~0.2 ms interval, and the renderer's task events) from navigation
 *   to load + TRACE_WINDOW_MS. A sample counts as ours when a frame of its stack comes from
 *   chrome-extension://<our id>/ (the content scripts, compiled and run); its weight is the time
 *   to the next sample, clipped to the end of its task. Reported: ours before DOMContentLoaded,
 *   before load, in the whole window, and the most of ours in one task (a long task is ≥ 50 ms,
 *   https://w3c.github.io/longtasks/). Traced loads are not in the timing medians.
 *   The worker's own CPU time is not in this figure: it runs in another process and reaches the
 *   page only through the network path and the machine's two cores (the load times show it).
 *
 * Environment: BENCH_PAGELOAD_RUNS (default 11), BENCH_PAGELOAD_TRACES (default 3),
 * BENCH_EXTENSION_DIR (default .output/chrome-mv3), BENCH_PAGELOAD_PAGES (page names separated by
 * `;`; default all), BENCH_FRESH_TAB=1 (`FRESH_TAB`).
 * Run alone: npx tsx tests/bench/page-load.ts (or BENCH_ONLY=pageload npm run bench).
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { type LogLine, type PageLoad, startFixtureServer } from '../e2e/fixture-server';
import { isExtensionLine } from '../e2e/counts';
import { CHROMIUM, EXTENSION_DIR, browserBenchSkipReason, launchChromium, launchWithExtension } from './chromium';
import { type BenchPage, PAGES as ALL_PAGES, benchSites } from './page-set';
import { median, quantile } from './stats';
import { browserCpu, cpuBetween } from './proc-cpu';

/** BENCH_PAGELOAD_PAGES='municipal;shop': only these pages (quick variant comparisons; names as in the table). */
const PAGES: readonly BenchPage[] = process.env.BENCH_PAGELOAD_PAGES
  ? ALL_PAGES.filter((p) => process.env.BENCH_PAGELOAD_PAGES!.split(';').includes(p.name))
  : ALL_PAGES;

/**
 * BENCH_FRESH_TAB=1: every load (timed and traced) in a new tab, closed after it. A tab that goes
 * back to about:blank keeps its renderer, and a renderer that has compiled our content scripts once
 * finds them in V8's compilation cache at the next load of the same site (compile ~0.05 ms instead
 * of 10–26 ms for consent detection, traced); a new tab gets a new renderer, as the first page of
 * every site a user opens does.
 */
export const FRESH_TAB = process.env.BENCH_FRESH_TAB === '1';

const DWELL_MS = 300;
const QUIET_MS = 250;
const TRACE_WINDOW_MS = 4000;
const LONG_TASK_MS = 50;

/** Targets (docs/ARCHITECTURE.md, "Page-load overhead"). */
export const PAGE_LOAD_TARGETS = {
  loadRatio: 1.05,
  smallPageLoadMs: 10,
  dclRatio: 1.02,
  longTaskMs: LONG_TASK_MS,
} as const;

export const ARGS = [
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--ignore-certificate-errors',
  '--host-resolver-rules=MAP * 127.0.0.1, EXCLUDE localhost',
];

export interface LoadTiming {
  dclMs: number;
  loadMs: number;
  /** The page's own requests that reached the server (the extension's fetches left out). */
  requests: number;
  /**
   * CPU ms of all the browser's processes (proc-cpu.ts), from the navigation until `load` and
   * until the load is over (dwell, about:blank, quiet server: the extension's trailing work).
   * Absent where /proc is not available (and in the Firefox bench).
   */
  cpuToLoadMs?: number;
  cpuMs?: number;
}

export interface OurTime {
  beforeDclMs: number;
  beforeLoadMs: number;
  /** Navigation start to load + TRACE_WINDOW_MS. */
  windowMs: number;
  /** The most of our time in one task of the page's main thread, before load and in the window. */
  longestTaskBeforeLoadMs: number;
  longestTaskMs: number;
}

export interface PageLoadRow {
  page: string;
  kind: string;
  small: boolean;
  without: LoadTiming[];
  with: LoadTiming[];
  ours: OurTime[];
}

export interface PageLoadResult {
  browser: string;
  runs: number;
  traces: number;
  extensionDir: string;
  loadAverage: { start: number[]; end: number[] };
  seconds: number;
  rows: PageLoadRow[];
}

/** Waits until the server has heard nothing of this load for `quietMs` (at most `maxMs`). */
export async function settle(load: PageLoad, quietMs = QUIET_MS, maxMs = 5000): Promise<void> {
  const end = Date.now() + maxMs;
  let count = load.lines().length;
  let since = Date.now();
  while (Date.now() < end) {
    await new Promise((r) => setTimeout(r, 50));
    const now = load.lines().length;
    if (now !== count) {
      count = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return;
  }
}

export const pageRequests = (lines: readonly LogLine[]): number => lines.filter((l) => !isExtensionLine(l)).length;

export function pageUrl(load: PageLoad, page: BenchPage): string {
  return page.scheme === 'https' ? load.httpsUrl(page.host, page.pathname) : load.url(page.host, page.pathname);
}

/**
 * Runs in the page: its Navigation Timing once the load event has finished (Playwright and
 * puppeteer resolve `load` when the event fires; loadEventEnd follows a moment later).
 */
export const NAVIGATION_TIMING = async (): Promise<{ dclMs: number; loadMs: number }> => {
  for (let i = 0; i < 100; i++) {
    const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    if (n && n.loadEventEnd > 0) return { dclMs: n.domContentLoadedEventStart, loadMs: n.loadEventStart };
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('no load event');
};

/**
 * The timed loads: a warm-up load of every page in each browser (first compile, first worker
 * wake-up), then RUNS rounds of every page in both browsers, the first browser alternating.
 */
export async function alternate(
  loadOnce: (which: 'with' | 'without', page: BenchPage, name: string) => Promise<LoadTiming>,
  runs: number,
): Promise<PageLoadRow[]> {
  const rows: PageLoadRow[] = PAGES.map((p) => ({
    page: p.name,
    kind: p.kind,
    small: p.small,
    without: [],
    with: [],
    ours: [],
  }));
  for (const page of PAGES)
    for (const which of ['with', 'without'] as const) await loadOnce(which, page, `warm-up ${page.name} ${which}`);
  for (let r = 0; r < runs; r++) {
    const order = r % 2 ? (['with', 'without'] as const) : (['without', 'with'] as const);
    for (const [i, page] of PAGES.entries()) {
      for (const which of order) rows[i]![which].push(await loadOnce(which, page, `${page.name} ${which} ${r}`));
    }
  }
  return rows;
}

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  id?: string;
  args?: { data?: Record<string, unknown> };
}
interface ProfileNode {
  id: number;
  parent?: number;
  callFrame: { url?: string };
}

/**
 * Our time on the page's main thread, from one trace (see the header for the method). `timing`
 * is the page's Navigation Timing of the traced load, `origin` chrome-extension://<id>/.
 */
export function ourTimeFromTrace(
  events: readonly TraceEvent[],
  url: string,
  timing: { dclMs: number; loadMs: number },
  origin: string,
): OurTime {
  const nav = events.find((e) => e.name === 'navigationStart' && e.args?.data?.documentLoaderURL === url);
  if (!nav) throw new Error(`no navigationStart for ${url} in the trace`);
  const dclTs = nav.ts + timing.dclMs * 1000;
  const loadTs = nav.ts + timing.loadMs * 1000;
  const endTs = loadTs + TRACE_WINDOW_MS * 1000;
  const tasks = events
    .filter((e) => e.pid === nav.pid && e.tid === nav.tid && e.ph === 'X' && e.name === 'RunTask')
    .map((e) => ({ start: e.ts, end: e.ts + (e.dur ?? 0), ours: 0, oursBeforeLoad: 0 }))
    .sort((a, b) => a.start - b.start);
  const taskAt = (ts: number) => {
    let lo = 0;
    let hi = tasks.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const t = tasks[mid]!;
      if (ts < t.start) hi = mid - 1;
      else if (ts >= t.end) lo = mid + 1;
      else return t;
    }
    return null;
  };
  const result: OurTime = {
    beforeDclMs: 0,
    beforeLoadMs: 0,
    windowMs: 0,
    longestTaskBeforeLoadMs: 0,
    longestTaskMs: 0,
  };
  // One V8 profile per thread: `Profile` gives its start, `ProfileChunk`s the nodes and samples.
  for (const profile of events.filter((e) => e.name === 'Profile' && e.pid === nav.pid)) {
    const nodes = new Map<number, ProfileNode>();
    const ours = new Map<number, boolean>();
    const isOurs = (id: number): boolean => {
      const known = ours.get(id);
      if (known !== undefined) return known;
      const node = nodes.get(id);
      const value =
        !!node && ((node.callFrame.url ?? '').startsWith(origin) || (node.parent !== undefined && isOurs(node.parent)));
      ours.set(id, value);
      return value;
    };
    const samples: { ts: number; node: number }[] = [];
    let ts = Number((profile.args?.data as { startTime?: number } | undefined)?.startTime ?? 0);
    const chunks = events
      .filter((e) => e.name === 'ProfileChunk' && e.pid === profile.pid && e.id === profile.id)
      .sort((a, b) => a.ts - b.ts);
    for (const chunk of chunks) {
      const data = chunk.args?.data as
        | { cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] }; timeDeltas?: number[] }
        | undefined;
      for (const node of data?.cpuProfile?.nodes ?? []) nodes.set(node.id, node);
      const deltas = data?.timeDeltas ?? [];
      (data?.cpuProfile?.samples ?? []).forEach((node, i) => {
        ts += deltas[i] ?? 0;
        samples.push({ ts, node });
      });
    }
    for (let i = 0; i < samples.length; i++) {
      const s = samples[i]!;
      if (s.ts < nav.ts || s.ts >= endTs || !isOurs(s.node)) continue;
      const task = taskAt(s.ts);
      // A sample stands for the time until the next one, but not past its task (the thread may idle).
      const next = samples[i + 1]?.ts ?? s.ts;
      const weight = (Math.min(next, task ? task.end : s.ts + 1000) - s.ts) / 1000;
      result.windowMs += weight;
      if (s.ts < dclTs) result.beforeDclMs += weight;
      if (s.ts < loadTs) result.beforeLoadMs += weight;
      if (task) {
        task.ours += weight;
        if (s.ts < loadTs) task.oursBeforeLoad += weight;
      }
    }
  }
  for (const t of tasks) {
    result.longestTaskMs = Math.max(result.longestTaskMs, t.ours);
    result.longestTaskBeforeLoadMs = Math.max(result.longestTaskBeforeLoadMs, t.oursBeforeLoad);
  }
  return result;
}

// RunTask (the task boundaries) comes with disabled-by-default-devtools.timeline; navigationStart with blink.user_timing.
const TRACE_CATEGORIES = [
  'blink.user_timing',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-v8.cpu_profiler',
];

async function tracedLoad(tab: Page, url: string, origin: string): Promise<OurTime> {
  const cdp = await tab.context().newCDPSession(tab);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e as unknown as { value: TraceEvent[] }).value));
  const complete = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: TRACE_CATEGORIES } } as never);
  try {
    await tab.goto(url, { waitUntil: 'load' });
    const timing = await tab.evaluate(NAVIGATION_TIMING);
    await tab.waitForTimeout(
      Math.max(0, timing.loadMs + TRACE_WINDOW_MS - (await tab.evaluate(() => performance.now()))),
    );
    await cdp.send('Tracing.end');
    await complete;
    return ourTimeFromTrace(events, url, timing, origin);
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

export async function measurePageLoad(
  runs = Number(process.env.BENCH_PAGELOAD_RUNS ?? 11),
  traces = Number(process.env.BENCH_PAGELOAD_TRACES ?? 3),
): Promise<PageLoadResult | { skipped: string }> {
  const extensionDir = path.resolve(process.env.BENCH_EXTENSION_DIR ?? EXTENSION_DIR);
  const skip = browserBenchSkipReason();
  if (skip) return { skipped: skip };
  const started = performance.now();
  const loadAtStart = os.loadavg();
  const sites = benchSites();
  const web = await startFixtureServer({ sitesDir: sites.sitesDir });
  const withExt = await launchWithExtension('dsa-bench-pageload-with-', ARGS, { extensionDir });
  const plain = await launchChromium('dsa-bench-pageload-without-', ARGS);
  try {
    // Listeners are registered once the background says so (browser-testing.md: early navigations can be missed).
    await withExt.worker.evaluate(async () => {
      for (let i = 0; i < 200 && !(globalThis as { dsaReadyAt?: number }).dsaReadyAt; i++)
        await new Promise((r) => setTimeout(r, 25));
    });
    const browsers = { with: await withExt.context.newPage(), without: await plain.context.newPage() };
    const version =
      /[\d.]{5,}/.exec(
        execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
      )?.[0] ?? '?';
    const profiles = { with: withExt.userDataDir, without: plain.userDataDir };
    const contexts = { with: withExt.context, without: plain.context };
    const loadOnce = async (which: 'with' | 'without', page: BenchPage, name: string): Promise<LoadTiming> => {
      const tab = FRESH_TAB ? await contexts[which].newPage() : browsers[which];
      const load = await web.load(name);
      const cpu0 = browserCpu(profiles[which]);
      await tab.goto(pageUrl(load, page), { waitUntil: 'load' });
      const cpu1 = browserCpu(profiles[which]);
      const timing = await tab.evaluate(NAVIGATION_TIMING);
      await tab.waitForTimeout(DWELL_MS);
      await tab.goto('about:blank');
      await settle(load);
      const cpu2 = browserCpu(profiles[which]);
      if (FRESH_TAB) await tab.close();
      const cpu = cpu0.size ? { cpuToLoadMs: cpuBetween(cpu0, cpu1), cpuMs: cpuBetween(cpu0, cpu2) } : {};
      return { ...timing, requests: pageRequests(load.lines()), ...cpu };
    };
    const rows = await alternate(loadOnce, runs);
    const origin = `chrome-extension://${withExt.extensionId}/`;
    for (const [i, page] of PAGES.entries()) {
      for (let t = 0; t < traces; t++) {
        const load = await web.load(`${page.name} traced ${t}`);
        const tab = FRESH_TAB ? await withExt.context.newPage() : browsers.with;
        rows[i]!.ours.push(await tracedLoad(tab, pageUrl(load, page), origin));
        await tab.goto('about:blank');
        await settle(load);
        if (FRESH_TAB) await tab.close();
      }
    }
    return {
      browser: `Chromium ${version} headless (${path.basename(CHROMIUM)})`,
      runs,
      traces,
      extensionDir: path.relative(process.cwd(), extensionDir) || '.',
      loadAverage: { start: loadAtStart, end: os.loadavg() },
      seconds: (performance.now() - started) / 1000,
      rows,
    };
  } finally {
    await withExt.close();
    await plain.close();
    await web.close();
    sites.dispose();
  }
}

export interface PageLoadSummary {
  /** Per page: medians with and without, ratios. */
  pages: {
    page: string;
    small: boolean;
    requests: [number, number];
    dcl: [number, number];
    load: [number, number];
    dclRatio: number;
    loadRatio: number;
    loadDeltaMs: number;
  }[];
  loadRatioMedian: number;
  dclRatioMedian: number;
  /** Largest share of ours in one task before load, over all traced loads (NaN when none were traced). */
  longestTaskBeforeLoadMs: number;
  /** null: not traced (Firefox). */
  pass: { load: boolean; smallPages: boolean; dcl: boolean; longTask: boolean | null };
}

export function summarisePageLoad(result: PageLoadResult): PageLoadSummary {
  const pages = result.rows.map((row) => {
    const m = (which: 'with' | 'without', key: 'dclMs' | 'loadMs' | 'requests') =>
      median(row[which].map((t) => t[key]));
    const dcl: [number, number] = [m('without', 'dclMs'), m('with', 'dclMs')];
    const load: [number, number] = [m('without', 'loadMs'), m('with', 'loadMs')];
    return {
      page: row.page,
      small: row.small,
      requests: [m('without', 'requests'), m('with', 'requests')] as [number, number],
      dcl,
      load,
      dclRatio: dcl[1] / dcl[0],
      loadRatio: load[1] / load[0],
      loadDeltaMs: load[1] - load[0],
    };
  });
  const loadRatioMedian = median(pages.map((p) => p.loadRatio));
  const dclRatioMedian = median(pages.map((p) => p.dclRatio));
  const traced = result.rows.flatMap((r) => r.ours);
  const longestTaskBeforeLoadMs = traced.length
    ? Math.max(...traced.map((o) => o.longestTaskBeforeLoadMs))
    : Number.NaN;
  return {
    pages,
    loadRatioMedian,
    dclRatioMedian,
    longestTaskBeforeLoadMs,
    pass: {
      load: loadRatioMedian <= PAGE_LOAD_TARGETS.loadRatio,
      smallPages: pages.filter((p) => p.small).every((p) => p.loadDeltaMs <= PAGE_LOAD_TARGETS.smallPageLoadMs),
      dcl: dclRatioMedian <= PAGE_LOAD_TARGETS.dclRatio,
      longTask: traced.length ? longestTaskBeforeLoadMs < PAGE_LOAD_TARGETS.longTaskMs : null,
    },
  };
}

const pct = (ratio: number) => `${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(1)} %`;
const ms = (x: number, digits = 0) => x.toFixed(digits);
const la = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(' ');
/** Median CPU ms without | with (+difference), or – where not measured. */
function cpu(row: PageLoadRow, key: 'cpuToLoadMs' | 'cpuMs'): string {
  const m = (which: 'with' | 'without') => {
    const xs = row[which].map((t) => t[key]).filter((x): x is number => x !== undefined);
    return xs.length ? median(xs) : Number.NaN;
  };
  const [a, b] = [m('without'), m('with')];
  if (Number.isNaN(a) || Number.isNaN(b)) return '–';
  return `${ms(a)} | ${ms(b)} (${b >= a ? '+' : ''}${ms(b - a)})`;
}

/** The with/without table `npm run bench` prints. */
export function pageLoadTable(result: PageLoadResult): string {
  const s = summarisePageLoad(result);
  const lines: string[] = [];
  lines.push(
    `${result.browser}, ${os.cpus().length} CPUs; median of ${result.runs} loads per page and browser, alternating; extension ${result.extensionDir}; load average ${la(result.loadAverage.start)} at the start, ${la(result.loadAverage.end)} at the end; ${result.seconds.toFixed(0)} s`,
  );
  const head = [
    'page',
    'req',
    'DCL without',
    'with',
    'Δ',
    'load without',
    'with',
    'Δ',
    'Δ ms',
    'load p25–p75 without | with',
    'CPU to load without | with',
    'CPU whole load without | with',
    'ours <DCL',
    'ours <load',
    `ours ${TRACE_WINDOW_MS / 1000} s`,
    'max/task',
  ];
  const table: string[][] = [head];
  for (const [i, p] of s.pages.entries()) {
    const row = result.rows[i]!;
    const spread = (which: 'with' | 'without') =>
      `${ms(
        quantile(
          row[which].map((t) => t.loadMs),
          0.25,
        ),
      )}–${ms(
        quantile(
          row[which].map((t) => t.loadMs),
          0.75,
        ),
      )}`;
    const ours = (key: keyof OurTime) => (row.ours.length ? `${median(row.ours.map((o) => o[key])).toFixed(1)}` : '–');
    const req = p.requests[0] === p.requests[1] ? String(p.requests[0]) : `${p.requests[0]}≠${p.requests[1]}`;
    table.push([
      p.page,
      req,
      ms(p.dcl[0]),
      ms(p.dcl[1]),
      pct(p.dclRatio),
      ms(p.load[0]),
      ms(p.load[1]),
      pct(p.loadRatio),
      `${p.loadDeltaMs >= 0 ? '+' : ''}${ms(p.loadDeltaMs, 1)}`,
      `${spread('without')} | ${spread('with')}`,
      cpu(row, 'cpuToLoadMs'),
      cpu(row, 'cpuMs'),
      ours('beforeDclMs'),
      ours('beforeLoadMs'),
      ours('windowMs'),
      `${ours('longestTaskBeforeLoadMs')} (${ours('longestTaskMs')})`,
    ]);
  }
  const widths = head.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
  for (const r of table)
    lines.push(`  ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')}`);
  lines.push(
    `  ms from navigation start; CPU: median ms of all the browser's processes per load (proc-cpu.ts), until load and until the load is over; "ours": median of ${result.traces} traced loads, our content scripts on the page's main thread (V8 samples), before DOMContentLoaded, before load, until load + ${TRACE_WINDOW_MS / 1000} s; max/task: the most of ours in one task before load (in the whole window)`,
  );
  const small = s.pages
    .filter((p) => p.small)
    .map((p) => `${p.page} ${p.loadDeltaMs >= 0 ? '+' : ''}${p.loadDeltaMs.toFixed(1)} ms`)
    .join(', ');
  lines.push(
    `  targets: ${s.pass.load ? 'PASS' : 'FAIL'} load overhead ≤ 5 % (median over the pages: ${pct(s.loadRatioMedian)}); ${s.pass.smallPages ? 'PASS' : 'FAIL'} ≤ 10 ms on the small pages (${small}); ${s.pass.dcl ? 'PASS' : 'FAIL'} DOMContentLoaded overhead ≤ 2 % (${pct(s.dclRatioMedian)}); ${s.pass.longTask === null ? `no task of ours ≥ ${LONG_TASK_MS} ms before load: not measured (no trace)` : `${s.pass.longTask ? 'PASS' : 'FAIL'} no task of ours ≥ ${LONG_TASK_MS} ms before load (most: ${s.longestTaskBeforeLoadMs.toFixed(1)} ms)`}`,
  );
  const mismatched = s.pages.filter((p) => p.requests[0] !== p.requests[1]);
  if (mismatched.length)
    lines.push(
      `  WARNING: the page's requests differ with the extension (${mismatched.map((p) => p.page).join(', ')}): it must only watch`,
    );
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const result = await measurePageLoad();
  console.log('skipped' in result ? `skipped: ${result.skipped}` : pageLoadTable(result));
}
