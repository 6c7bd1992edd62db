/**
 * The popup's time from opening to its first rendered verdict, in Debian's headless Chromium with
 * the built extension (.output/chrome-mv3): a page with 500 third-party hosts (the case) and, in
 * the same run and interleaved with it, a page with none (the baseline: what opening an extension
 * page and asking the background costs at all; on a loaded machine compare the difference, not
 * the absolute figure).
 *
 * Each opening is a fresh popup document opened as a tab (../shared/notes/browser-testing.md) at
 * the address the toolbar button would open at that moment (`action.getPopup` for the tab: the
 * background sets it with the tab's first view, lib/toolbar/popup-url.ts). In the same run, the
 * 500-host page is also opened at the bare `popup.html?tabId=N` ("asking"): what a popup opened
 * before the tab's first report does. Times come from the popup's own performance marks
 * (entrypoints/popup/App.tsx), measured from the document's navigation start: `dsa-request` (the
 * head script asked), `dsa-response` (the background's answer arrived), `dsa-script` (the main
 * script runs: style sheet and script loaded), `dsa-rendered` (the verdict is in the DOM). When
 * the address carries the first view there is no question: main script at, render. When it asks,
 * the question travels while the document loads, so the profile reads: asked at, answered after,
 * main script at, render (from the later of answer and main script). Median and p99 of RUNS
 * openings.
 *
 * The floor: opening any extension document costs time before a line of ours runs (a new
 * document, the chrome-extension:// loader). In the same run and interleaved, the extension's
 * manifest.json is opened as a document (no script, no style) and its DOMContentLoaded is
 * reported: what no popup on this machine can beat. The popup's own part is its time above that.
 *
 * Run alone: npx tsx tests/bench/popup-bench.ts (or BENCH_ONLY=popup npm run bench);
 * BENCH_EXTENSION_DIR: another built extension (an earlier build, for a before/after).
 */
import path from 'node:path';
import type { BrowserContext } from '@playwright/test';
import { browserBenchSkipReason, launchWithPages, type PagesBrowser } from './chromium';

export const POPUP_TARGET_MS = 100;

interface Phases {
  /** The address carried the first view (no question to the background before the first render). */
  carried: boolean;
  total: number;
  untilRequest: number;
  backgroundAnswer: number;
  untilMainScript: number;
  render: number;
}

export interface PopupFigures {
  thirdPartyHosts: number;
  /** Openings whose address carried the first view. */
  carried: number;
  medianMs: number;
  p99Ms: number;
  phasesMedianMs: Omit<Phases, 'total' | 'carried'>;
}

export interface PopupBenchResult {
  runs: number;
  case: PopupFigures;
  baseline: PopupFigures;
  /** The 500-host page opened at the bare address: the popup asks the background first. */
  asking: PopupFigures;
  /** An extension document without script: median DOMContentLoaded from navigation start. */
  floorMedianMs: number;
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
};
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function page(n: number, port: number): string {
  const imgs: string[] = [];
  for (let i = 0; i < n; i++) imgs.push(`<img src="http://cdn${i}.tracker${i}.example:${port}/p.gif" alt="">`);
  return `<!doctype html><html lang="de"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Dritte: ${n}</title></head><body>${imgs.join('')}<footer><a href="/impressum.html">Impressum</a></footer></body></html>`;
}

function figures(hosts: number, runs: Phases[]): PopupFigures {
  return {
    thirdPartyHosts: hosts,
    carried: runs.filter((r) => r.carried).length,
    medianMs: median(runs.map((r) => r.total)),
    p99Ms: quantile(
      runs.map((r) => r.total),
      0.99,
    ),
    phasesMedianMs: {
      untilRequest: median(runs.map((r) => r.untilRequest)),
      backgroundAnswer: median(runs.map((r) => r.backgroundAnswer)),
      untilMainScript: median(runs.map((r) => r.untilMainScript)),
      render: median(runs.map((r) => r.render)),
    },
  };
}

/** The address the toolbar button of the tab opens now (the bare page when the background set none). */
async function popupAddress(browser: PagesBrowser, tabId: number, bare: boolean): Promise<string> {
  const fallback = `chrome-extension://${browser.extensionId}/popup.html?tabId=${tabId}`;
  if (bare) return fallback;
  const set = await browser.worker.evaluate((id) => chrome.action.getPopup({ tabId: id }), tabId);
  return set.includes('?') ? set : fallback;
}

async function openOnce(browser: PagesBrowser, tabId: number, hosts: number, bare = false): Promise<Phases> {
  const popup = await browser.context.newPage();
  await popup.goto(await popupAddress(browser, tabId, bare));
  await popup.waitForSelector('[data-testid="verdict"]');
  // No inner named functions here: tsx would wrap them in __name(), unknown in the page.
  const marks = await popup.evaluate(() => ({
    carried: performance.getEntriesByName('dsa-carried').length > 0,
    request: performance.getEntriesByName('dsa-request')[0]?.startTime ?? Number.NaN,
    response: performance.getEntriesByName('dsa-response')[0]?.startTime ?? Number.NaN,
    script: performance.getEntriesByName('dsa-script')[0]?.startTime ?? Number.NaN,
    rendered: performance.getEntriesByName('dsa-rendered')[0]?.startTime ?? Number.NaN,
  }));
  // The full answer follows the first paint: it must name all the hosts.
  await popup
    .waitForFunction(
      (n) => new RegExp(`\\b${n}\\b`).test(document.querySelector('[data-testid="party-summary"]')?.textContent ?? ''),
      hosts,
      { timeout: 5000 },
    )
    .catch(() => undefined);
  const summary = (await popup.locator('[data-testid="party-summary"]').textContent()) ?? '';
  await popup.close();
  if (hosts && !new RegExp(`\\b${hosts}\\b`).test(summary))
    throw new Error(`the popup does not report ${hosts} third parties: ${summary}`);
  return {
    carried: marks.carried,
    total: marks.rendered,
    untilRequest: marks.request,
    backgroundAnswer: marks.response - marks.request,
    untilMainScript: marks.script,
    render: marks.rendered - (marks.carried ? marks.script : Math.max(marks.response, marks.script)),
  };
}

/** The floor: the extension's manifest opened as a document (no script, no style), its DOMContentLoaded. */
async function openFloor(context: BrowserContext, extensionId: string): Promise<number> {
  const doc = await context.newPage();
  await doc.goto(`chrome-extension://${extensionId}/manifest.json`, { waitUntil: 'domcontentloaded' });
  const ms = await doc.evaluate(
    () =>
      (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)
        ?.domContentLoadedEventEnd ?? Number.NaN,
  );
  await doc.close();
  return ms;
}

export async function measurePopup(runs = 31): Promise<PopupBenchResult | { skipped: string }> {
  const skip = browserBenchSkipReason();
  if (skip) return { skipped: skip };
  const browser = await launchWithPages(
    'dsa-bench-popup-',
    (url, port) => (url.startsWith('/third') ? page(500, port) : url.startsWith('/none') ? page(0, port) : null),
    process.env.BENCH_EXTENSION_DIR && path.resolve(process.env.BENCH_EXTENSION_DIR),
  );
  const { context, extensionId, tabIdOf, port } = browser;
  try {
    const many = `http://www.viele-dritte.example:${port}/third`;
    const none = `http://www.keine-dritte.example:${port}/none`;
    const tabs: Record<number, number> = {};
    for (const [hosts, url] of [
      [500, many],
      [0, none],
    ] as const) {
      const p = await context.newPage();
      await p.goto(url, { waitUntil: 'load' });
      tabs[hosts] = await tabIdOf(url);
    }
    // Warm-up: one opening each (the first report of a tab is computed then, later ones come from
    // the background's cache as when a user opens the popup after the page settled).
    await openOnce(browser, tabs[500]!, 500);
    await openOnce(browser, tabs[0]!, 0);
    await openFloor(context, extensionId);
    const measured: Record<number, Phases[]> = { 500: [], 0: [] };
    const asking: Phases[] = [];
    const floor: number[] = [];
    for (let i = 0; i < runs; i++) {
      for (const hosts of i % 2 ? [0, 500] : [500, 0])
        measured[hosts]!.push(await openOnce(browser, tabs[hosts]!, hosts));
      asking.push(await openOnce(browser, tabs[500]!, 500, true));
      floor.push(await openFloor(context, extensionId));
    }
    return {
      runs,
      case: figures(500, measured[500]!),
      baseline: figures(0, measured[0]!),
      asking: figures(500, asking),
      floorMedianMs: median(floor),
    };
  } finally {
    await browser.close();
  }
}

/** The lines `npm run bench` prints. */
export function popupLines(r: PopupBenchResult): string[] {
  const ms = (x: number) => x.toFixed(0);
  const line = (label: string, f: PopupFigures) => {
    const p = f.phasesMedianMs;
    const how =
      f.carried === r.runs
        ? `first view in the address; main script at ${ms(p.untilMainScript)}; render ${ms(p.render)}`
        : `${f.carried ? `${f.carried} of ${r.runs} with the first view in the address; ` : ''}asked at ${ms(p.untilRequest)}, answered after ${ms(p.backgroundAnswer)}; main script at ${ms(p.untilMainScript)}; render ${ms(p.render)}`;
    return `  ${label}: ${ms(f.medianMs)} ms median, p99 ${ms(f.p99Ms)} ms (${how})`;
  };
  return [
    `${line(`${r.case.thirdPartyHosts} third-party hosts`, r.case)} -> ${r.case.medianMs <= POPUP_TARGET_MS ? 'PASS' : 'FAIL'} (target ≤ ${POPUP_TARGET_MS} ms median)`,
    line('baseline, no third parties', r.baseline),
    line(`${r.asking.thirdPartyHosts} hosts, opened at the bare popup.html (asks the background)`, r.asking),
    `  the 500 hosts add ${ms(r.case.medianMs - r.baseline.medianMs)} ms to the median opening`,
    `  floor, an extension document without script: ${ms(r.floorMedianMs)} ms median; the popup's own part with 500 hosts: ${ms(r.case.medianMs - r.floorMedianMs)} ms`,
  ];
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const r = await measurePopup(Number(process.env.BENCH_POPUP_RUNS ?? 31));
  const os = await import('node:os');
  console.log(
    `load average ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  if ('skipped' in r) console.log(`skipped: ${r.skipped}`);
  else {
    console.log(`Popup to first verdict (Chromium, built extension, ${r.runs} openings each)`);
    for (const l of popupLines(r)) console.log(l);
  }
}

declare const chrome: { action: { getPopup(details: { tabId: number }): Promise<string> } };
