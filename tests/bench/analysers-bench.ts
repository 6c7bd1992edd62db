/**
 * The page-check analysers on a 200 KB privacy notice and imprint (issue "page checks"): what the
 * background spends per fetched legal page. Input: the labelled corpus texts (tests/fixtures/corpus)
 * concatenated to 200 KB of HTML, so the text is realistic legal prose, not random bytes.
 * Baseline in the same process: `htmlToText` alone (the unavoidable parse).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { htmlToText } from '@/lib/legal/html-text';
import { analyseImprint } from '@/lib/legal/imprint';
import { analysePrivacyNotice } from '@/lib/legal/privacy-notice';

const CORPUS = path.resolve(import.meta.dirname, '../fixtures/corpus');

function corpusHtml(kind: 'privacy' | 'imprint', bytes: number): string {
  const texts = readdirSync(path.join(CORPUS, kind))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(path.join(CORPUS, kind, f), 'utf8')) as { text?: string; html?: string })
    .map((c) => c.html ?? `<section><p>${(c.text ?? '').replace(/\n/g, '</p><p>')}</p></section>`);
  let html = '<!doctype html><html><body><main>';
  for (let i = 0; html.length < bytes; i++) html += texts[i % texts.length];
  return `${html.slice(0, bytes)}</main></body></html>`;
}

function timeMs(fn: () => unknown, runs: number): { medianMs: number; p99Ms: number } {
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    xs.push(performance.now() - t0);
  }
  xs.sort((a, b) => a - b);
  return { medianMs: xs[Math.floor(xs.length / 2)]!, p99Ms: xs[Math.min(xs.length - 1, Math.ceil(xs.length * 0.99) - 1)]! };
}

export function measureAnalysers(runs = 21) {
  const privacyHtml = corpusHtml('privacy', 200_000);
  const imprintHtml = corpusHtml('imprint', 200_000);
  const services = ['instagram', 'linktree', 'google_analytics', 'facebook', 'whatsapp', 'youtube', 'google_fonts', 'matomo'];
  // Warm-up: the first call compiles the rule regexes (reported separately).
  const t0 = performance.now();
  analysePrivacyNotice(htmlToText(privacyHtml).text, services);
  analyseImprint(htmlToText(imprintHtml).text);
  const firstMs = performance.now() - t0;
  return {
    bytes: 200_000,
    firstCallMs: firstMs,
    baselineHtmlToText: timeMs(() => htmlToText(privacyHtml), runs),
    privacy: timeMs(() => analysePrivacyNotice(htmlToText(privacyHtml).text, services), runs),
    imprint: timeMs(() => analyseImprint(htmlToText(imprintHtml).text), runs),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  console.log(JSON.stringify(measureAnalysers(), null, 2));
}
