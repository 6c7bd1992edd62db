/**
 * Issue 4: the labelled corpus under tests/fixtures/corpus/ (see its README for the labelling
 * conventions) and a floor on the analysers' per-element precision and recall on it. The figures
 * and every mistake are printed by `npm run eval` (scripts/eval-analysers.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  ELEMENT_IDS,
  TARGET_PRECISION,
  TARGET_RECALL,
  evaluateCorpus,
  formatReport,
  loadCorpus,
} from '../../../scripts/eval-analysers';

const cases = loadCorpus();
const SERVICE_STATUSES = new Set(['named', 'vendor-only', 'not-named']);

describe('labelled analyser corpus', () => {
  it('has at least 40 texts, at least 20 of each kind, in German and English', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    for (const corpus of ['imprint', 'privacy'] as const) {
      const own = cases.filter((c) => c.corpus === corpus);
      expect(own.length, corpus).toBeGreaterThanOrEqual(20);
      expect(new Set(own.map((c) => c.lang)), corpus).toEqual(new Set(['de', 'en']));
      expect(
        own.some((c) => c.status === 'empty'),
        `${corpus}: an empty page`,
      ).toBe(true);
      expect(
        own.some((c) => c.html !== undefined),
        `${corpus}: an HTML input`,
      ).toBe(true);
    }
  });

  it('has unique ids matching the file names', () => {
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    for (const c of cases) expect(c.file).toBe(`${c.corpus}/${c.id}.json`);
  });

  for (const c of cases) {
    it(`${c.file}: complete, well-formed labels`, () => {
      expect(['de', 'en']).toContain(c.lang);
      expect(['authority', 'company', 'association', 'person']).toContain(c.kind);
      expect(c.description.length).toBeGreaterThan(10);
      expect((c.text === undefined) !== (c.html === undefined), 'exactly one of text/html').toBe(true);
      expect(['found', 'empty']).toContain(c.status);
      expect(Object.keys(c.labels).sort()).toEqual([...ELEMENT_IDS[c.corpus]].sort());
      for (const v of Object.values(c.labels)) expect(typeof v).toBe('boolean');
      if (c.status === 'empty')
        expect(
          Object.values(c.labels).every((v) => !v),
          'an empty page has no element',
        ).toBe(true);
      const observed = c.observedServiceIds ?? [];
      if (c.corpus === 'imprint') expect(c.services).toBeUndefined();
      expect(Object.keys(c.services ?? {}).sort()).toEqual([...new Set(observed)].sort());
      for (const s of Object.values(c.services ?? {})) expect(SERVICE_STATUSES.has(s)).toBe(true);
    });
  }
});

describe('analysers on the labelled corpus', () => {
  const ev = evaluateCorpus(cases);
  const report = formatReport(ev);

  it('reports every element of both analysers', () => {
    expect(ev.elements).toHaveLength(ELEMENT_IDS.imprint.length + ELEMENT_IDS.privacy.length);
    for (const e of ev.elements) expect(e.tp + e.fp + e.fn + e.tn).toBe(ev.counts[e.corpus]);
  });

  for (const corpus of ['imprint', 'privacy'] as const) {
    for (const element of ELEMENT_IDS[corpus]) {
      it(`${corpus} ${element}: precision >= ${TARGET_PRECISION}, recall >= ${TARGET_RECALL}`, () => {
        const e = ev.elements.find((x) => x.corpus === corpus && x.element === element);
        expect(e, report).toBeDefined();
        expect(e!.precision, report).toBeGreaterThanOrEqual(TARGET_PRECISION);
        expect(e!.recall, report).toBeGreaterThanOrEqual(TARGET_RECALL);
      });
    }
  }

  it('decides present/empty and service mentions correctly on (almost) every text', () => {
    expect(ev.status.imprint.accuracy, report).toBeGreaterThanOrEqual(0.95);
    expect(ev.status.privacy.accuracy, report).toBeGreaterThanOrEqual(0.95);
    expect(ev.services.total).toBeGreaterThanOrEqual(15);
    expect(ev.services.accuracy, report).toBeGreaterThanOrEqual(0.95);
  });
});
