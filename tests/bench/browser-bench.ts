/**
 * Figures that only a real browser can give, measured in Debian's headless Chromium with the
 * built extension (.output/chrome-mv3):
 *
 * - content script main-thread time on a 5,000-link page: the content script measures its own busy
 *   time between yields (`collectMs` in the facts it reports, lib/page/facts.ts); we read it back
 *   from storage.session. Median of RUNS page loads. Target ≤ 5 ms.
 * (The popup's time to its first verdict is tests/bench/popup-bench.ts.)
 *
 * Pages are generated in memory and served from loopback; every hostname is mapped to 127.0.0.1.
 */
import path from 'node:path';
import { browserBenchSkipReason, launchWithPages } from './chromium';

export interface BrowserBenchResult {
  runs: number;
  contentScript: { links: number; medianMs: number; maxMs: number };
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

export async function measureBrowser(runs = 9): Promise<BrowserBenchResult | { skipped: string }> {
  const skip = browserBenchSkipReason();
  if (skip) return { skipped: skip };
  const browser = await launchWithPages('dsa-bench-browser-', (url) =>
    url.startsWith('/links') ? linksPage(5000) : null,
  );
  const { context, worker, tabIdOf, port } = browser;
  try {
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

    return {
      runs,
      contentScript: { links: 5000, medianMs: median(collect), maxMs: Math.max(...collect) },
    };
  } finally {
    await browser.close();
  }
}

declare const chrome: {
  storage: { session: { get(k: string): Promise<Record<string, unknown>>; remove(k: string): Promise<void> } };
};

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  console.log(JSON.stringify(await measureBrowser(), null, 2));
}
