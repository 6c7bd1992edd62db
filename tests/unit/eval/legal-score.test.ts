/** Scoring of the legal-text evaluation (scripts/eval-legal.ts): the pure parts, and the corpus it reads. */
import { describe, expect, it } from 'vitest';
import {
  LABEL_IDS,
  additionIds,
  type Prediction,
  cohensKappa,
  confusion,
  figuresOf,
  formatSplit,
  headingEvidence,
  loadLegalCorpus,
  macroF1,
  scoreSplit,
} from '../../../scripts/eval-legal';

describe('confusion and figures', () => {
  it('counts TP/FP/FN/TN and derives precision, recall, F1 and the support', () => {
    const c = confusion([
      { expected: true, got: true },
      { expected: true, got: true },
      { expected: true, got: false },
      { expected: false, got: true },
      { expected: false, got: false },
    ]);
    expect(c).toEqual({ tp: 2, fp: 1, fn: 1, tn: 1 });
    const f = figuresOf(c);
    expect(f.n).toBe(3);
    expect(f.precision).toBeCloseTo(2 / 3);
    expect(f.recall).toBeCloseTo(2 / 3);
    expect(f.f1).toBeCloseTo(2 / 3);
  });

  it('leaves precision undefined without positive predictions and F1 undefined without positive labels', () => {
    expect(figuresOf({ tp: 0, fp: 0, fn: 2, tn: 1 })).toMatchObject({ n: 2, precision: null, recall: 0, f1: 0 });
    expect(figuresOf({ tp: 0, fp: 1, fn: 0, tn: 3 })).toMatchObject({ n: 0, precision: 0, recall: null, f1: null });
  });

  it('macro F1 leaves out elements with n = 0 and says how many', () => {
    const rows = [
      figuresOf({ tp: 1, fp: 0, fn: 0, tn: 0 }),
      figuresOf({ tp: 1, fp: 1, fn: 1, tn: 0 }),
      figuresOf({ tp: 0, fp: 2, fn: 0, tn: 5 }),
    ];
    const m = macroF1(rows);
    expect(m.elements).toBe(2);
    expect(m.leftOut).toBe(1);
    expect(m.value).toBeCloseTo((1 + 0.5) / 2);
  });
});

describe("Cohen's kappa", () => {
  it('is 1 for perfect agreement with both values, 0 for chance-level agreement, undefined for one value only', () => {
    expect(
      cohensKappa([
        [true, true],
        [false, false],
        [true, true],
        [false, false],
      ]).kappa,
    ).toBeCloseTo(1);
    // po = 0.5, pe = 0.5 → κ = 0.
    expect(
      cohensKappa([
        [true, true],
        [true, false],
        [false, true],
        [false, false],
      ]).kappa,
    ).toBeCloseTo(0);
    const one = cohensKappa([
      [true, true],
      [true, true],
    ]);
    expect(one.kappa).toBeNull();
    expect(one.agreement).toBe(1);
  });

  it('matches a worked example (po 0.8, pe 0.5 → 0.6)', () => {
    const pairs: [boolean, boolean][] = [
      [true, true],
      [true, true],
      [true, true],
      [true, true],
      [true, false],
      [false, false],
      [false, false],
      [false, false],
      [false, false],
      [false, true],
    ];
    expect(cohensKappa(pairs)).toMatchObject({ n: 10, agreement: 0.8 });
    expect(cohensKappa(pairs).kappa).toBeCloseTo(0.6);
  });
});

describe('heading evidence (rulebook G2)', () => {
  const body =
    'Verantwortlich ist die Stadt X, Marktplatz 1, 12345 X. Wir verarbeiten Daten zur Beantwortung von Anfragen.';
  const headings = ['1. Verantwortlicher', 'Zwecke der Verarbeitung'];
  it('flags a quote of a heading only, not content, not a heading joined with the content under it', () => {
    expect(headingEvidence('1. Verantwortlicher', body, headings)).toBe(true);
    expect(headingEvidence('Verantwortlich ist die Stadt X, Marktplatz 1, 12345 X.', body, headings)).toBe(false);
    expect(
      headingEvidence('Zwecke der Verarbeitung Wir verarbeiten Daten zur Beantwortung von Anfragen.', body, headings),
    ).toBe(false);
    expect(headingEvidence('1. Verantwortlicher […] Zwecke der Verarbeitung', body, headings)).toBe(true);
  });
});

describe('scoreSplit', () => {
  const label = (present: boolean) => ({ present, evidence: present ? 'x' : null });
  const labels = (present: Record<string, boolean>) =>
    Object.fromEntries(LABEL_IDS.imprint.map((id) => [id, label(present[id] ?? false)]));
  const pred = (found: Record<string, boolean>): Record<string, Prediction> =>
    Object.fromEntries(
      LABEL_IDS.imprint.map((id) => [id, { found: found[id] ?? false, evidence: found[id] ? `ev ${id}` : null }]),
    );

  it('scores each element, lists misses with both evidences, and keeps the test split blind when asked', () => {
    const docs = [
      { id: 'a', kind: 'imprint' as const, labels: labels({ address: true, email: true }) },
      { id: 'b', kind: 'imprint' as const, labels: labels({ address: true }) },
    ];
    const predictions = new Map([
      ['a', pred({ address: true, email: false, phone: true })],
      ['b', pred({ address: true })],
    ]);
    const s = scoreSplit(docs, predictions, 'test');
    expect(s.rows.find((r) => r.element === 'address')).toMatchObject({ n: 2, tp: 2, fp: 0, fn: 0, f1: 1 });
    expect(s.rows.find((r) => r.element === 'email')).toMatchObject({ n: 1, tp: 0, fn: 1, f1: 0 });
    expect(s.rows.find((r) => r.element === 'phone')).toMatchObject({ n: 0, fp: 1, precision: 0, f1: null });
    expect(s.misses).toEqual(
      expect.arrayContaining([
        { id: 'a', kind: 'imprint', element: 'email', expected: true, labelEvidence: 'x', gotEvidence: null },
        { id: 'a', kind: 'imprint', element: 'phone', expected: false, labelEvidence: null, gotEvidence: 'ev phone' },
      ]),
    );
    const blind = formatSplit(s, true);
    expect(blind).toContain('(--blind: not listed)');
    expect(blind).not.toContain('ev phone');
    expect(formatSplit(s, false)).toContain('ev phone');
    expect(blind).toContain('(n = 0: not in macro F1)');
  });
});

describe('the legal corpus (tests/fixtures/legal-corpus)', () => {
  const docs = loadLegalCorpus();
  it('has labels for every element of its kind, a frozen 30 % test split and second labels for 20 %', () => {
    expect(docs.length).toBeGreaterThanOrEqual(150);
    expect(docs.filter((d) => d.kind === 'privacy').length).toBeGreaterThanOrEqual(100);
    expect(docs.filter((d) => d.kind === 'imprint').length).toBeGreaterThanOrEqual(50);
    for (const d of docs) {
      expect(Object.keys(d.labels).sort(), d.id).toEqual([...LABEL_IDS[d.kind]].sort());
      for (const l of Object.values(d.labels)) expect(l.present === (typeof l.evidence === 'string'), d.id).toBe(true);
      if (d.second) expect(Object.keys(d.second).sort(), d.id).toEqual([...LABEL_IDS[d.kind]].sort());
    }
    const test = docs.filter((d) => d.split === 'test').length;
    expect(test / docs.length).toBeGreaterThan(0.25);
    expect(test / docs.length).toBeLessThan(0.35);
    expect(docs.filter((d) => d.second).length / docs.length).toBeGreaterThanOrEqual(0.2);
  });
});

describe('additionIds (--addition=<seed>)', () => {
  const split = { test: ['b'], additions: [{ seed: 'aa11', ids: ['a', 'b'], test: ['b'] }] };
  it('returns the ids of the addition with that seed and refuses an unknown seed', () => {
    expect([...additionIds(split, 'aa11')].sort()).toEqual(['a', 'b']);
    expect(() => additionIds(split, 'ffff')).toThrow(/no addition with seed ffff/);
    expect(() => additionIds({ test: [] }, 'aa11')).toThrow();
  });
});
