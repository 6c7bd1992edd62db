/**
 * Evaluates the imprint and privacy-notice analysers against the labelled corpus in
 * tests/fixtures/corpus/{imprint,privacy}/*.json (issue 4): per element TP/FP/FN/TN, precision
 * and recall with PASS/FAIL against the targets, status accuracy, service-mention accuracy, and
 * every mistake with the analyser's evidence.
 *
 *   npm run eval            (always exits 0: it is a report; the unit test enforces the floor)
 *
 * `evaluateCorpus()` returns the same figures for tests/unit/legal/corpus-eval.test.ts.
 *
 * Conventions: an element counts as "found" only when the analyser reports `found: true`
 * (a `partial` finding counts as not found). Precision is 1 when the analyser never reported the
 * element (no false positives possible), recall is 1 when no text is labelled with it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { htmlToText } from '../lib/legal/html-text';
import { IMPRINT_ELEMENT_IDS, analyseImprint } from '../lib/legal/imprint';
import { PRIVACY_ELEMENT_IDS, analysePrivacyNotice } from '../lib/legal/privacy-notice';
import type { ElementFinding } from '../lib/legal/patterns';

export const TARGET_PRECISION = 0.9;
export const TARGET_RECALL = 0.85;

export type CorpusKind = 'imprint' | 'privacy';

export interface CorpusCase {
  id: string;
  lang: 'de' | 'en';
  kind: 'authority' | 'company' | 'association' | 'person';
  description: string;
  text?: string;
  html?: string;
  observedServiceIds?: string[];
  labels: Record<string, boolean>;
  status: 'found' | 'empty';
  services?: Record<string, 'named' | 'vendor-only' | 'not-named'>;
  /** Set by the loader: which analyser the case belongs to and the file it came from. */
  corpus: CorpusKind;
  file: string;
}

export interface ElementFigures {
  corpus: CorpusKind;
  element: string;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  precision: number;
  recall: number;
  pass: boolean;
}

export interface Mistake {
  corpus: CorpusKind;
  id: string;
  /** An element id, 'status', or 'service:<id>'. */
  what: string;
  expected: string;
  got: string;
  evidence: string;
}

export interface Accuracy {
  correct: number;
  total: number;
  accuracy: number;
}

export interface CorpusEvaluation {
  counts: Record<CorpusKind, number>;
  elements: ElementFigures[];
  status: Record<CorpusKind, Accuracy>;
  services: Accuracy;
  mistakes: Mistake[];
  /** True when every element meets both targets. */
  allPass: boolean;
}

export const CORPUS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'tests', 'fixtures', 'corpus');

export const ELEMENT_IDS: Record<CorpusKind, readonly string[]> = {
  imprint: IMPRINT_ELEMENT_IDS,
  privacy: PRIVACY_ELEMENT_IDS,
};

/** Reads every *.json of tests/fixtures/corpus/<kind>/ (sorted by file name). */
export function loadCorpus(dir = CORPUS_DIR): CorpusCase[] {
  const out: CorpusCase[] = [];
  for (const corpus of ['imprint', 'privacy'] as const) {
    const sub = join(dir, corpus);
    for (const file of readdirSync(sub)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      const raw = JSON.parse(readFileSync(join(sub, file), 'utf8')) as Omit<CorpusCase, 'corpus' | 'file'>;
      out.push({ ...raw, corpus, file: `${corpus}/${file}` });
    }
  }
  return out;
}

/** The text the analysers see: HTML goes through htmlToText, as the background does with fetched pages. */
export function textOf(c: Pick<CorpusCase, 'text' | 'html'>): string {
  return c.html !== undefined ? htmlToText(c.html).text : (c.text ?? '');
}

interface Outcome {
  status: string;
  elements: Record<string, ElementFinding>;
  services: Record<string, { status: string; evidence?: string }>;
}

function analyse(c: CorpusCase): Outcome {
  const text = textOf(c);
  if (c.corpus === 'imprint') {
    const r = analyseImprint(text);
    return { status: r.status, elements: r.elements, services: {} };
  }
  const r = analysePrivacyNotice(text, c.observedServiceIds ?? []);
  return {
    status: r.status,
    elements: r.elements,
    services: Object.fromEntries(r.services.map((s) => [s.id, { status: s.status, evidence: s.evidence }])),
  };
}

const ratio = (num: number, den: number): number => (den === 0 ? 1 : num / den);

function describeFinding(f: ElementFinding | undefined): string {
  if (!f) return '(no finding)';
  const kind = f.found ? 'found' : f.partial ? 'partial' : 'not found';
  return f.evidence ? `${kind}: ${f.evidence}` : kind;
}

export function evaluateCorpus(cases: readonly CorpusCase[] = loadCorpus()): CorpusEvaluation {
  const mistakes: Mistake[] = [];
  const tallies = new Map<string, ElementFigures>();
  for (const corpus of ['imprint', 'privacy'] as const) {
    for (const element of ELEMENT_IDS[corpus]) {
      tallies.set(`${corpus}:${element}`, {
        corpus,
        element,
        tp: 0,
        fp: 0,
        fn: 0,
        tn: 0,
        precision: 1,
        recall: 1,
        pass: true,
      });
    }
  }
  const status: Record<CorpusKind, Accuracy> = {
    imprint: { correct: 0, total: 0, accuracy: 1 },
    privacy: { correct: 0, total: 0, accuracy: 1 },
  };
  const services: Accuracy = { correct: 0, total: 0, accuracy: 1 };
  const counts: Record<CorpusKind, number> = { imprint: 0, privacy: 0 };

  for (const c of cases) {
    counts[c.corpus]++;
    const got = analyse(c);
    for (const element of ELEMENT_IDS[c.corpus]) {
      const t = tallies.get(`${c.corpus}:${element}`);
      const expected = c.labels[element];
      if (!t || typeof expected !== 'boolean') continue;
      const finding = got.elements[element];
      const found = finding?.found === true;
      if (expected && found) t.tp++;
      else if (!expected && found) t.fp++;
      else if (expected && !found) t.fn++;
      else t.tn++;
      if (expected !== found) {
        mistakes.push({
          corpus: c.corpus,
          id: c.id,
          what: element,
          expected: expected ? 'found' : 'absent',
          got: found ? 'found' : finding?.partial ? 'partial' : 'not found',
          evidence: describeFinding(finding),
        });
      }
    }
    status[c.corpus].total++;
    if (got.status === c.status) status[c.corpus].correct++;
    else
      mistakes.push({ corpus: c.corpus, id: c.id, what: 'status', expected: c.status, got: got.status, evidence: '' });

    for (const [id, expected] of Object.entries(c.services ?? {})) {
      services.total++;
      const s = got.services[id];
      if (s?.status === expected) services.correct++;
      else
        mistakes.push({
          corpus: c.corpus,
          id: c.id,
          what: `service:${id}`,
          expected,
          got: s?.status ?? '(not reported)',
          evidence: s?.evidence ?? '',
        });
    }
  }

  const elements = [...tallies.values()].map((t) => {
    const precision = ratio(t.tp, t.tp + t.fp);
    const recall = ratio(t.tp, t.tp + t.fn);
    return { ...t, precision, recall, pass: precision >= TARGET_PRECISION && recall >= TARGET_RECALL };
  });
  for (const a of [status.imprint, status.privacy, services]) a.accuracy = ratio(a.correct, a.total);
  return { counts, elements, status, services, mistakes, allPass: elements.every((e) => e.pass) };
}

// ---------------------------------------------------------------------------------------------
// Report

const pct = (x: number): string => x.toFixed(3);

export function formatReport(ev: CorpusEvaluation): string {
  const lines: string[] = [];
  lines.push(
    `Corpus: ${ev.counts.imprint} imprint + ${ev.counts.privacy} privacy texts = ${ev.counts.imprint + ev.counts.privacy}` +
      `  (targets: precision >= ${TARGET_PRECISION}, recall >= ${TARGET_RECALL})`,
  );
  for (const corpus of ['imprint', 'privacy'] as const) {
    lines.push('', `${corpus === 'imprint' ? 'Imprint' : 'Privacy notice'} elements`);
    lines.push(
      `${'element'.padEnd(26)}${'TP'.padStart(4)}${'FP'.padStart(4)}${'FN'.padStart(4)}${'TN'.padStart(4)}  precision  recall  result`,
    );
    for (const e of ev.elements.filter((x) => x.corpus === corpus)) {
      lines.push(
        `${e.element.padEnd(26)}${String(e.tp).padStart(4)}${String(e.fp).padStart(4)}${String(e.fn).padStart(4)}${String(e.tn).padStart(4)}` +
          `  ${pct(e.precision).padStart(9)}  ${pct(e.recall).padStart(6)}  ${e.pass ? 'PASS' : 'FAIL'}`,
      );
    }
    const s = ev.status[corpus];
    lines.push(`status accuracy: ${s.correct}/${s.total} = ${pct(s.accuracy)}`);
  }
  lines.push(
    '',
    `Service-mention accuracy: ${ev.services.correct}/${ev.services.total} = ${pct(ev.services.accuracy)}`,
  );
  lines.push('', ev.mistakes.length === 0 ? 'Mistakes: none' : `Mistakes (${ev.mistakes.length}):`);
  for (const m of ev.mistakes) {
    lines.push(
      `- ${m.corpus}/${m.id} · ${m.what}: expected ${m.expected}, got ${m.got}${m.evidence ? ` — ${m.evidence}` : ''}`,
    );
  }
  lines.push(
    '',
    ev.allPass
      ? 'Overall: every element meets the targets.'
      : `Overall: ${ev.elements.filter((e) => !e.pass).length} element(s) below target.`,
  );
  return lines.join('\n');
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) {
  console.log(formatReport(evaluateCorpus()));
}
