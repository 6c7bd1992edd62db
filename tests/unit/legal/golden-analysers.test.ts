/**
 * Golden cases for the imprint and privacy-notice analysers: tests/golden/{imprint,privacy}/*.json,
 * each { description, input: { text | html, observedServiceIds? }, expect: { …fields that matter } }.
 * HTML inputs go through htmlToText first, as the background does with fetched pages.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { htmlToText } from '@/lib/legal/html-text';
import { analyseImprint, type ImprintElementId } from '@/lib/legal/imprint';
import { analysePrivacyNotice, type PrivacyElementId } from '@/lib/legal/privacy-notice';

interface Golden {
  description: string;
  input: { text?: string; html?: string; observedServiceIds?: string[] };
  expect: {
    status?: string;
    found?: string[];
    notFound?: string[];
    poBoxOnly?: boolean;
    legalForm?: string | null;
    publicLawEntity?: boolean;
    outdatedRefs?: string[];
    evidenceContains?: Record<string, string>;
    rightsNamed?: string[];
    legalBases?: Record<string, boolean>;
    services?: Record<string, string>;
    servicesCount?: number;
  };
}

const root = join(__dirname, '..', '..', 'golden');

function load(dir: string): [string, Golden][] {
  return readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => [f, JSON.parse(readFileSync(join(root, dir, f), 'utf8')) as Golden]);
}

function textOf(g: Golden): string {
  return g.input.html !== undefined ? htmlToText(g.input.html).text : (g.input.text ?? '');
}

describe('golden imprints', () => {
  const cases = load('imprint');
  it('has the expected cases', () => expect(cases.length).toBeGreaterThanOrEqual(6));
  for (const [file, g] of cases) {
    it(`${file}: ${g.description}`, () => {
      const r = analyseImprint(textOf(g));
      const e = g.expect;
      if (e.status) expect(r.status).toBe(e.status);
      for (const id of e.found ?? [])
        expect(r.elements[id as ImprintElementId], `${id} found`).toMatchObject({ found: true });
      for (const id of e.notFound ?? [])
        expect(r.elements[id as ImprintElementId], `${id} not found`).toMatchObject({ found: false });
      if (e.poBoxOnly !== undefined) expect(r.poBoxOnly).toBe(e.poBoxOnly);
      if (e.legalForm !== undefined) expect(r.legalForm).toBe(e.legalForm);
      if (e.publicLawEntity !== undefined) expect(r.publicLawEntity.found).toBe(e.publicLawEntity);
      for (const ref of e.outdatedRefs ?? []) expect(r.outdatedRefs).toContain(ref);
      for (const [id, s] of Object.entries(e.evidenceContains ?? {})) {
        const ev = r.elements[id as ImprintElementId].evidence ?? '';
        expect(ev).toContain(s);
        expect(ev.length).toBeLessThanOrEqual(120);
      }
    });
  }
});

describe('golden privacy notices', () => {
  const cases = load('privacy');
  it('has the expected cases', () => expect(cases.length).toBeGreaterThanOrEqual(5));
  for (const [file, g] of cases) {
    it(`${file}: ${g.description}`, () => {
      const r = analysePrivacyNotice(textOf(g), g.input.observedServiceIds ?? []);
      const e = g.expect;
      if (e.status) expect(r.status).toBe(e.status);
      for (const id of e.found ?? [])
        expect(r.elements[id as PrivacyElementId], `${id} found`).toMatchObject({ found: true });
      for (const id of e.notFound ?? [])
        expect(r.elements[id as PrivacyElementId], `${id} not found`).toMatchObject({ found: false });
      if (e.rightsNamed) expect(r.rightsNamed).toEqual(e.rightsNamed);
      if (e.legalBases) expect(r.legalBases).toMatchObject(e.legalBases);
      for (const [id, status] of Object.entries(e.services ?? {})) {
        expect(r.services.find((s) => s.id === id)?.status, `service ${id}`).toBe(status);
      }
      if (e.servicesCount !== undefined) expect(r.services).toHaveLength(e.servicesCount);
      for (const f of Object.values(r.elements)) expect((f.evidence ?? '').length).toBeLessThanOrEqual(120);
    });
  }
});
