/**
 * The page-check analysers on 200 KB of a real privacy notice and imprint: what the background
 * spends per fetched legal page. Input: the pinned files tests/bench/legal-privacy-200k.html and
 * legal-imprint-200k.html (real published texts of the legal corpus's tuning split, written once by
 * make-legal-input.ts and never regenerated, so figures stay comparable across commits).
 *
 * Measured: each analyser alone on the already extracted text (the target: ≤ 10 ms median each),
 * the unavoidable parse `htmlToText` as the baseline, and the two together. Wall-clock medians of
 * `runs` calls after a warm-up, plus the process's CPU time per call (on a loaded machine the
 * wall clock also counts other processes; the CPU time does not).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { htmlToText } from '@/lib/legal/html-text';
import { analyseImprint } from '@/lib/legal/imprint';
import { analysePrivacyNotice } from '@/lib/legal/privacy-notice';

export const ANALYSER_TARGET_MS = 10;
const SERVICES = [
  'instagram',
  'linktree',
  'google_analytics',
  'facebook',
  'whatsapp',
  'youtube',
  'google_fonts',
  'matomo',
];

interface Timing {
  medianMs: number;
  p99Ms: number;
  /** Median CPU time of this process per call. */
  cpuMedianMs: number;
}

function timeMs(fn: () => unknown, runs: number): Timing {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const at = (xs: number[], q: number) =>
    [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.max(0, Math.ceil(xs.length * q) - 1))]!;
  return { medianMs: at(wall, 0.5), p99Ms: at(wall, 0.99), cpuMedianMs: at(cpu, 0.5) };
}

export function measureAnalysers(runs = 41) {
  const privacyHtml = readFileSync(path.join(import.meta.dirname, 'legal-privacy-200k.html'), 'utf8');
  const imprintHtml = readFileSync(path.join(import.meta.dirname, 'legal-imprint-200k.html'), 'utf8');
  const privacyText = htmlToText(privacyHtml).text;
  const imprintText = htmlToText(imprintHtml).text;
  // Warm-up: the first call compiles the rule regexes (reported separately).
  const t0 = performance.now();
  analysePrivacyNotice(privacyText, SERVICES);
  analyseImprint(imprintText);
  const firstMs = performance.now() - t0;
  for (let i = 0; i < 5; i++) {
    analysePrivacyNotice(privacyText, SERVICES);
    analyseImprint(imprintText);
  }
  return {
    bytes: { privacy: privacyHtml.length, imprint: imprintHtml.length },
    firstCallMs: firstMs,
    baselineHtmlToText: timeMs(() => htmlToText(privacyHtml), runs),
    privacy: timeMs(() => analysePrivacyNotice(privacyText, SERVICES), runs),
    imprint: timeMs(() => analyseImprint(imprintText), runs),
    privacyWithParse: timeMs(() => analysePrivacyNotice(htmlToText(privacyHtml).text, SERVICES), runs),
    imprintWithParse: timeMs(() => analyseImprint(htmlToText(imprintHtml).text), runs),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  console.log(JSON.stringify(measureAnalysers(), null, 2));
}
