/**
 * The legal-text evaluation: the imprint and privacy-notice analysers on real, published texts
 * nobody on the team wrote (tests/fixtures/legal-corpus/, labelled by docs/legal-labels.md).
 *
 *   npm run eval -- legal            both splits: per element precision, recall, F1 and support,
 *                                    macro F1, the misses of both splits with their evidence,
 *                                    Cohen's κ of the two labellers
 *   npm run eval -- legal --blind    while tuning: the test split as figures only (no misses)
 *   npm run eval -- legal --tuning-only
 *                                    while tuning: the tuning split only — no test figures at all,
 *                                    so the test split is looked at once, after the last change
 *   npm run eval -- legal --addition=<seed>
 *                                    only the documents of one split addition (a later collection
 *                                    pass, split.json additions[].seed), both splits
 *
 * The test split (split.json, frozen before any analyser change) is never tuned on.
 * The scoring functions (`confusion`, `figuresOf`, `macroF1`, `cohensKappa`, `scoreSplit`,
 * `headingEvidence`) are pure; tests/unit/eval/legal-score.test.ts covers them.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { htmlToText } from '../lib/legal/html-text';
import { IMPRINT_EXTRA_IDS, analyseImprint } from '../lib/legal/imprint';
import { analysePrivacyNotice } from '../lib/legal/privacy-notice';
import { normaliseText, type ElementFinding } from '../lib/legal/patterns';

export const LEGAL_CORPUS_DIR = path.resolve(import.meta.dirname, '../tests/fixtures/legal-corpus');

export type LegalKind = 'imprint' | 'privacy';
export type Split = 'tuning' | 'test';

/** Element ids per kind, in the rulebook's order (docs/legal-labels.md § 2 and § 3). */
export const LABEL_IDS: Record<LegalKind, readonly string[]> = {
  privacy: [
    'controller',
    'dpo',
    'legal-basis',
    'purposes',
    'recipients',
    'third-country',
    'storage-period',
    'rights',
    'withdraw-consent',
    'complaint-right',
    'cookies',
    'joint-control',
    'legitimate-interests',
    'social-media',
    'controller-by-reference',
    'outdated-refs',
    'supervisory-authority-named',
  ],
  imprint: [
    'address',
    'email',
    'phone',
    'representative',
    'supervisory-authority',
    'register',
    'vat-id',
    'responsible-for-content',
    'covers-profiles',
    'outdated-refs',
    'second-contact-channel',
    'legal-form',
    'public-law-entity',
  ],
};

export interface Label {
  present: boolean;
  evidence: string | null;
}

export interface LegalDoc {
  id: string;
  kind: LegalKind;
  lang: string;
  split: Split;
  /** The stored HTML fragment. */
  html: string;
  labels: Record<string, Label>;
  /** The blind second labeller's labels (20 % of the documents), or null. */
  second: Record<string, Label> | null;
}

export interface SplitFile {
  test: string[];
  /** Later collection passes, each with its own seed and ids (the assignment of earlier ones unchanged). */
  additions?: { seed: string; ids: string[]; test: string[] }[];
}

/**
 * The ids of one split addition (`--addition=<seed>`): a later collection pass is reported on its own
 * as text the rules were not written against. Throws on an unknown seed rather than report nothing.
 */
export function additionIds(split: SplitFile, seed: string): Set<string> {
  const addition = split.additions?.find((a) => a.seed === seed);
  if (!addition) throw new Error(`split.json has no addition with seed ${seed}`);
  return new Set(addition.ids);
}

/** Reads every document of the corpus with its labels and split (sorted by id). */
export function loadLegalCorpus(dir = LEGAL_CORPUS_DIR): LegalDoc[] {
  const split = JSON.parse(readFileSync(path.join(dir, 'split.json'), 'utf8')) as SplitFile;
  const test = new Set(split.test);
  const out: LegalDoc[] = [];
  for (const kind of ['imprint', 'privacy'] as const) {
    const sub = path.join(dir, kind);
    const files = new Set(readdirSync(sub));
    for (const file of [...files].filter((f) => f.endsWith('.json') && !f.endsWith('.second.json')).sort()) {
      const id = file.slice(0, -'.json'.length);
      const meta = JSON.parse(readFileSync(path.join(sub, file), 'utf8')) as {
        kind: LegalKind;
        lang: string;
        labels: { elements: Record<string, Label> };
      };
      const secondFile = `${id}.second.json`;
      const second = files.has(secondFile)
        ? (
            JSON.parse(readFileSync(path.join(sub, secondFile), 'utf8')) as {
              labels: { elements: Record<string, Label> };
            }
          ).labels.elements
        : null;
      out.push({
        id,
        kind: meta.kind,
        lang: meta.lang,
        split: test.has(id) ? 'test' : 'tuning',
        html: readFileSync(path.join(sub, `${id}.html`), 'utf8'),
        labels: meta.labels.elements,
        second,
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Analyser output → label ids (docs/legal-labels.md § 4)

/** What the analysers say about one element: found or not, and the evidence they quote. */
export interface Prediction {
  found: boolean;
  evidence: string | null;
}

const fromFinding = (f: ElementFinding | undefined): Prediction => ({
  found: f?.found === true,
  evidence: f?.found ? (f.evidence ?? null) : null,
});

/**
 * Runs the analyser of the document's kind on its visible text (htmlToText, as the background does
 * with a fetched page) and maps its output onto the rulebook's element ids. The privacy analysis
 * gets no imprint: the labels judge the document alone (controller-by-reference is its own element).
 */
export function predict(doc: Pick<LegalDoc, 'kind' | 'html'>): Record<string, Prediction> {
  const text = htmlToText(doc.html).text;
  const out: Record<string, Prediction> = {};
  if (doc.kind === 'imprint') {
    const r = analyseImprint(text);
    for (const [id, f] of Object.entries(r.elements)) out[id] = fromFinding(f);
    // Rulebook § 4: outdated-refs ↔ outdatedRefs, legal-form ↔ legalForm, public-law-entity ↔
    // publicLawEntity, second-contact-channel ↔ phone or contactForm — each also under its stable id.
    for (const id of IMPRINT_EXTRA_IDS) out[id] = fromFinding(r.extras[id]);
  } else {
    const r = analysePrivacyNotice(text);
    for (const [id, f] of Object.entries(r.elements)) out[id] = fromFinding(f);
    out['joint-control'] = fromFinding(r.extras['joint-control']);
    // Rulebook § 4: social-media ↔ extras['social-media-notice'].
    out['social-media'] = fromFinding(r.extras['social-media-notice']);
    out['legitimate-interests'] = fromFinding(r.extras['legitimate-interests']);
    out['controller-by-reference'] = fromFinding(r.extras['controller-by-reference']);
    out['outdated-refs'] = fromFinding(r.extras['outdated-refs']);
    out['supervisory-authority-named'] = fromFinding(r.extras['supervisory-authority-named']);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Scoring (pure)

export interface Confusion {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export function confusion(pairs: readonly { expected: boolean; got: boolean }[]): Confusion {
  const c: Confusion = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (const { expected, got } of pairs) {
    if (expected && got) c.tp++;
    else if (!expected && got) c.fp++;
    else if (expected) c.fn++;
    else c.tn++;
  }
  return c;
}

export interface Figures extends Confusion {
  /** Support: documents labelled present. */
  n: number;
  /** null when undefined (no positive prediction / no positive label). */
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

export function figuresOf(c: Confusion): Figures {
  const precision = c.tp + c.fp === 0 ? null : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? null : c.tp / (c.tp + c.fn);
  // With positives labelled but none predicted, precision is undefined and F1 is 0 (nothing found).
  const f1 =
    recall === null
      ? null
      : recall === 0 || precision === null || precision + recall === 0
        ? 0
        : (2 * precision * recall) / (precision + recall);
  return { ...c, n: c.tp + c.fn, precision, recall, f1 };
}

/** Mean F1 over the elements with at least one positive label (n = 0 rows are left out). */
export function macroF1(rows: readonly Figures[]): { value: number | null; elements: number; leftOut: number } {
  const used = rows.filter((r) => r.n > 0 && r.f1 !== null);
  return {
    value: used.length ? used.reduce((s, r) => s + (r.f1 ?? 0), 0) / used.length : null,
    elements: used.length,
    leftOut: rows.length - used.length,
  };
}

/**
 * Cohen's κ for two raters on a binary label: (po − pe) / (1 − pe). When both raters give every
 * document the same single value, pe = 1 and κ is undefined (null); `agreement` still tells.
 */
export function cohensKappa(pairs: readonly [boolean, boolean][]): {
  kappa: number | null;
  agreement: number;
  n: number;
} {
  const n = pairs.length;
  if (n === 0) return { kappa: null, agreement: 1, n };
  let agree = 0;
  let a1 = 0;
  let b1 = 0;
  for (const [a, b] of pairs) {
    if (a === b) agree++;
    if (a) a1++;
    if (b) b1++;
  }
  const po = agree / n;
  const pe = (a1 / n) * (b1 / n) + (1 - a1 / n) * (1 - b1 / n);
  return { kappa: pe >= 1 ? null : (po - pe) / (1 - pe), agreement: po, n };
}

export interface Miss {
  id: string;
  kind: LegalKind;
  element: string;
  expected: boolean;
  labelEvidence: string | null;
  gotEvidence: string | null;
}

export interface ElementRow extends Figures {
  kind: LegalKind;
  element: string;
}

export interface SplitScore {
  split: Split;
  documents: Record<LegalKind, number>;
  rows: ElementRow[];
  macro: ReturnType<typeof macroF1>;
  misses: Miss[];
  /** Found elements whose evidence lies only in a heading line of the document (should be 0). */
  headingEvidence: { id: string; element: string; evidence: string }[];
}

/** Scores one split from the labels and the predictions (one per document id). */
export function scoreSplit(
  docs: readonly Pick<LegalDoc, 'id' | 'kind' | 'labels'>[],
  predictions: ReadonlyMap<string, Record<string, Prediction>>,
  split: Split,
  bodies: ReadonlyMap<string, { body: string; headings: readonly string[] }> = new Map(),
): SplitScore {
  const rows: ElementRow[] = [];
  const misses: Miss[] = [];
  const headingHits: SplitScore['headingEvidence'] = [];
  for (const kind of ['imprint', 'privacy'] as const) {
    const own = docs.filter((d) => d.kind === kind);
    for (const element of LABEL_IDS[kind]) {
      const pairs: { expected: boolean; got: boolean }[] = [];
      for (const d of own) {
        const label = d.labels[element];
        if (!label) continue;
        const p = predictions.get(d.id)?.[element] ?? { found: false, evidence: null };
        pairs.push({ expected: label.present, got: p.found });
        if (label.present !== p.found) {
          misses.push({
            id: d.id,
            kind,
            element,
            expected: label.present,
            labelEvidence: label.evidence,
            gotEvidence: p.evidence,
          });
        }
        // Outdated references count in headings too (rulebook § 2 outdated-refs).
        const b = bodies.get(d.id);
        if (
          p.found &&
          p.evidence &&
          b !== undefined &&
          element !== 'outdated-refs' &&
          headingEvidence(p.evidence, b.body, b.headings)
        )
          headingHits.push({ id: d.id, element, evidence: p.evidence });
      }
      rows.push({ kind, element, ...figuresOf(confusion(pairs)) });
    }
  }
  return {
    split,
    documents: {
      imprint: docs.filter((d) => d.kind === 'imprint').length,
      privacy: docs.filter((d) => d.kind === 'privacy').length,
    },
    rows,
    macro: macroF1(rows),
    misses,
    headingEvidence: headingHits,
  };
}

/**
 * The document's visible text without its headings (h1–h6), whitespace-collapsed: where a content
 * quote must be found.
 */
export function bodyWithoutHeadings(html: string): string {
  return normaliseText(htmlToText(html.replace(/<h[1-6][^>]*>[\s\S]*?<\/h[1-6]\s*>/gi, '<p></p>')).text).replace(
    /\s+/g,
    ' ',
  );
}

/**
 * True when the evidence quotes nothing but headings: no part of it (split at the snippet's
 * ellipses and " […] ") occurs in the text outside the headings. Evidence must be content (rulebook G2).
 */
export function headingEvidence(evidence: string, body: string, headings: readonly string[] = []): boolean {
  const parts = evidence
    .split(/…|\[…\]/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => /[\p{L}\p{N}]/u.test(p));
  if (parts.length === 0) return false;
  // A part may join a heading and the content under it ("Aufsichtsbehörde Ministerium X"): it is
  // content when what is left after taking out the document's headings is found in the body.
  return parts.every((p) => {
    if (body.includes(p)) return false;
    let rest = p;
    for (const h of headings) if (h && rest.includes(h)) rest = rest.replace(h, '\u0000');
    const pieces = rest
      .split('\u0000')
      .map((x) => x.trim())
      .filter((x) => /[\p{L}\p{N}]{3}/u.test(x));
    return pieces.length === 0 || !pieces.every((x) => body.includes(x));
  });
}

/** The text of every h1–h6 of an HTML fragment, whitespace-normalised, longest first. */
export function headingsOf(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<h[1-6][^>]*>([\s\S]*?)<\/h[1-6]\s*>/gi)) {
    const t = normaliseText(htmlToText(m[1] ?? '').text)
      .replace(/\s+/g, ' ')
      .trim();
    if (t) out.push(t);
  }
  return out.sort((a, b) => b.length - a.length);
}

// ---------------------------------------------------------------------------------------------
// Report

const f3 = (x: number | null): string => (x === null ? '–' : x.toFixed(3));

export function formatSplit(s: SplitScore, blind: boolean): string {
  const lines: string[] = [];
  lines.push(`== ${s.split} split: ${s.documents.imprint} imprints, ${s.documents.privacy} privacy notices`);
  for (const kind of ['privacy', 'imprint'] as const) {
    lines.push('', `${kind === 'privacy' ? 'Privacy notice' : 'Imprint'} (${s.split})`);
    lines.push(
      `${'element'.padEnd(28)}${'n'.padStart(4)}${'TP'.padStart(4)}${'FP'.padStart(4)}${'FN'.padStart(4)}${'TN'.padStart(4)}  precision  recall      F1`,
    );
    for (const r of s.rows.filter((x) => x.kind === kind)) {
      lines.push(
        `${r.element.padEnd(28)}${String(r.n).padStart(4)}${String(r.tp).padStart(4)}${String(r.fp).padStart(4)}${String(r.fn).padStart(4)}${String(r.tn).padStart(4)}` +
          `  ${f3(r.precision).padStart(9)}  ${f3(r.recall).padStart(6)}  ${f3(r.f1).padStart(6)}${r.n === 0 ? '  (n = 0: not in macro F1)' : ''}`,
      );
    }
    const own = macroF1(s.rows.filter((r) => r.kind === kind));
    lines.push(
      `macro F1 (${kind}): ${f3(own.value)} over ${own.elements} elements${own.leftOut ? `, ${own.leftOut} left out (n = 0)` : ''}`,
    );
  }
  lines.push(
    '',
    `macro F1 (${s.split}, both kinds): ${f3(s.macro.value)} over ${s.macro.elements} elements` +
      `${s.macro.leftOut ? ` (${s.macro.leftOut} elements with n = 0 left out)` : ''}`,
  );
  lines.push(`evidence quoting only a heading: ${s.headingEvidence.length}`);
  if (blind && s.split === 'test') {
    lines.push(`test: ${s.misses.length} misses (--blind: not listed)`);
    return lines.join('\n');
  }
  for (const h of s.headingEvidence) lines.push(`  heading as evidence: ${h.id} · ${h.element}: ${h.evidence}`);
  lines.push('', s.misses.length === 0 ? `${s.split}: no misses` : `${s.split}: ${s.misses.length} misses`);
  for (const m of s.misses) {
    lines.push(
      m.expected
        ? `- ${m.id} · ${m.element}: missed — label: ${m.labelEvidence ?? '–'}`
        : `- ${m.id} · ${m.element}: false positive — analyser: ${m.gotEvidence ?? '–'}`,
    );
  }
  return lines.join('\n');
}

export function formatKappa(docs: readonly LegalDoc[]): string {
  const lines: string[] = ["== label agreement: Cohen's κ, first vs. blind second labeller (docs/legal-labels.md § 4)"];
  for (const kind of ['privacy', 'imprint'] as const) {
    const twice = docs.filter((d) => d.kind === kind && d.second);
    lines.push('', `${kind} (${twice.length} documents labelled twice)`);
    lines.push(`${'element'.padEnd(28)}${'n'.padStart(4)}${'κ'.padStart(8)}  agreement`);
    for (const element of LABEL_IDS[kind]) {
      const pairs = twice.flatMap((d): [boolean, boolean][] => {
        const a = d.labels[element];
        const b = d.second?.[element];
        return a && b ? [[a.present, b.present]] : [];
      });
      const k = cohensKappa(pairs);
      lines.push(
        `${element.padEnd(28)}${String(k.n).padStart(4)}${(k.kappa === null ? 'n/a' : k.kappa.toFixed(2)).padStart(8)}  ${k.agreement.toFixed(2)}${k.kappa === null ? '  (one value only: κ undefined)' : ''}`,
      );
    }
  }
  return lines.join('\n');
}

export function runLegalEval(argv: readonly string[]): number {
  const blind = argv.includes('--blind');
  const tuningOnly = argv.includes('--tuning-only');
  const seed = argv.find((a) => a.startsWith('--addition='))?.slice('--addition='.length);
  const only =
    seed === undefined
      ? null
      : additionIds(JSON.parse(readFileSync(path.join(LEGAL_CORPUS_DIR, 'split.json'), 'utf8')) as SplitFile, seed);
  const docs = loadLegalCorpus().filter((d) => !only || only.has(d.id));
  const used = tuningOnly ? docs.filter((d) => d.split === 'tuning') : docs;
  const predictions = new Map(used.map((d) => [d.id, predict(d)]));
  const bodies = new Map(used.map((d) => [d.id, { body: bodyWithoutHeadings(d.html), headings: headingsOf(d.html) }]));
  const splits: readonly Split[] = tuningOnly ? ['tuning'] : ['tuning', 'test'];
  const scores = splits.map((split) =>
    scoreSplit(
      docs.filter((d) => d.split === split),
      predictions,
      split,
      bodies,
    ),
  );
  const out: string[] = [];
  out.push(
    `Legal corpus${only ? ` (addition ${seed} only)` : ''}: ${docs.length} documents (${docs.filter((d) => d.split === 'tuning').length} tuning, ${docs.filter((d) => d.split === 'test').length} test)` +
      `; targets on tuning: precision >= 0.90 and recall >= 0.85 per element, macro F1 >= 0.92; test macro F1 within 0.05`,
  );
  for (const s of scores) out.push('', formatSplit(s, blind));
  const [tuning, test] = scores;
  if (tuning?.macro.value != null && test?.macro.value != null) {
    out.push('', `macro F1 gap tuning − test: ${(tuning.macro.value - test.macro.value).toFixed(3)}`);
  }
  out.push('', formatKappa(docs));
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
