/**
 * Figures that only a real browser can give, measured in Debian's headless Chromium with the
 * built extension (.output/chrome-mv3):
 *
 * - content script main-thread time on a 5,000-link page: the content script measures its own busy
 *   time between yields (`collectMs` in the facts it reports, lib/page/facts.ts); we read it back
 *   from storage.session. Median of RUNS page loads. Target ≤ 5 ms.
 * - popup time to the first rendered verdict with 500 third-party hosts on the page: from the
 *   popup's navigation start to the verdict element being in the DOM (performance.now() in the
 *   popup). Median of RUNS openings. Target ≤ 100 ms.
 *
 * Pages are generated in memory and served from loopback; every hostname is mapped to 127.0.0.1.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { browserBenchSkipReason, launchWithExtension } from './chromium';

export interface BrowserBenchResult {
  runs: number;
  contentScript: { links: number; medianMs: number; maxMs: number };
  popup: {
    thirdPartyHosts: number;
    medianMs: number;
    maxMs: number;
    /** Popup script start to request, the background's answer, and rendering it. */
    phasesMedianMs: { untilRequest: number; backgroundAnswer: number; render: number };
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function linksPage(n: number): string {
  const links: string[] = [];
  for (let i = 0; i < n; i++)
    links.push(`<li><a href="/article/${i}.html">Artikel Nummer ${i} über etwas Wichtiges</a></li>`);
  return `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Viele Links</title></head><body><main><ul>${links.join('')}</ul></main><footer><a href="/impressum.html">Impressum</a> <a href="/datenschutz.html">Datenschutz</a></footer></body></html>`;
}

function thirdPartiesPage(n: number, port: number): string {
  const imgs: string[] = [];
  for (let i = 0; i < n; i++) imgs.push(`<img src="http://cdn${i}.tracker${i}.example:${port}/p.gif" alt="">`);
  return `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Viele Dritte</title></head><body>${imgs.join('')}<footer><a href="/impressum.html">Impressum</a></footer></body></html>`;
}

export async function measureBrowser(runs = 9): Promise<BrowserBenchResult | { skipped: string }> {
  const skip = browserBenchSkipReason();
  if (skip) return { skipped: skip };
  let port = 0;
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url.startsWith('/links'))
      return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(linksPage(5000));
    if (url.startsWith('/third'))
      return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(thirdPartiesPage(500, port));
    if (url.endsWith('.gif'))
      return res.writeHead(200, { 'content-type': 'image/gif' }).end(Buffer.from('R0lGODlhAQABAAAAACw=', 'base64'));
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end('<!doctype html><title>x</title><p>Impressum</p>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  const browser = await launchWithExtension('dsa-bench-browser-', [
    '--host-resolver-rules=MAP * 127.0.0.1, EXCLUDE localhost',
  ]);
  const { context, worker, extensionId } = browser;
  try {
    const tabIdOf = async (url: string) =>
      worker.evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url === u)?.id ?? -1, url);

    // Content script on a 5,000-link page.
    const collect: number[] = [];
    const page = await context.newPage();
    for (let i = 0; i < runs; i++) {
      const url = `http://www.viele-links.example:${port}/links?run=${i}`;
      await page.goto(url, { waitUntil: 'load' });
      const tabId = await tabIdOf(url);
      let ms: number | undefined;
      for (let tries = 0; tries < 200 && ms === undefined; tries++) {
        ms = await worker.evaluate(async (id) => {
          const key = `facts:${id}`;
          const stored = (await chrome.storage.session.get(key))[key] as
            | { facts?: { collectMs?: number; url?: string } }
            | undefined;
          return stored?.facts?.url?.includes('run=') ? stored.facts.collectMs : undefined;
        }, tabId);
        if (ms === undefined) await new Promise((r) => setTimeout(r, 50));
      }
      if (ms === undefined) throw new Error('the content script never reported');
      collect.push(ms);
      await worker.evaluate(async (id) => chrome.storage.session.remove(`facts:${id}`), tabId);
    }

    // Popup with 500 third-party hosts.
    const url = `http://www.viele-dritte.example:${port}/third`;
    await page.goto(url, { waitUntil: 'load' });
    const tabId = await tabIdOf(url);
    const popupTimes: number[] = [];
    const phases: { request: number; response: number; rendered: number }[] = [];
    for (let i = 0; i < runs; i++) {
      const popup = await context.newPage();
      await popup.goto(`chrome-extension://${extensionId}/popup.html?tabId=${tabId}`);
      await popup.waitForSelector('[data-testid="verdict"]');
      popupTimes.push(await popup.evaluate(() => performance.now()));
      phases.push(
        // No inner named functions here: tsx would wrap them in __name(), unknown in the page.
        await popup.evaluate(() => ({
          request: performance.getEntriesByName('dsa-request')[0]?.startTime ?? Number.NaN,
          response: performance.getEntriesByName('dsa-response')[0]?.startTime ?? Number.NaN,
          rendered: performance.getEntriesByName('dsa-rendered')[0]?.startTime ?? Number.NaN,
        })),
      );
      const summary = (await popup.getByTestId('party-summary').textContent()) ?? '';
      if (!/\b500\b/.test(summary)) throw new Error(`popup summary does not report 500 third parties: ${summary}`);
      await popup.close();
    }
    return {
      runs,
      contentScript: { links: 5000, medianMs: median(collect), maxMs: Math.max(...collect) },
      popup: {
        thirdPartyHosts: 500,
        medianMs: median(popupTimes),
        maxMs: Math.max(...popupTimes),
        phasesMedianMs: {
          untilRequest: median(phases.map((p) => p.request)),
          backgroundAnswer: median(phases.map((p) => p.response - p.request)),
          render: median(phases.map((p) => p.rendered - p.response)),
        },
      },
    };
  } finally {
    await browser.close();
    server.close();
  }
}

declare const chrome: {
  tabs: { query(q: object): Promise<{ id?: number; url?: string }[]> };
  storage: { session: { get(k: string): Promise<Record<string, unknown>>; remove(k: string): Promise<void> } };
};

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  console.log(JSON.stringify(await measureBrowser(), null, 2));
}
