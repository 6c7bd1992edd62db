// Golden cases for the findings table: tests/golden/verdict/*.json hold "these facts -> these
// findings and this verdict". Facts not given in a case take the defaults of
// tests/unit/helpers/verdict-facts.ts (a clean https website with imprint and notice found and
// complete, no third parties).
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type VerdictFacts, evaluateFindings, verdictOf } from '@/lib/verdict/findings';
import { DEFAULT_FACTS } from '../helpers/verdict-facts';

const DIR = path.resolve(import.meta.dirname, '../../golden/verdict');

interface GoldenCase {
  description: string;
  analysed?: boolean;
  facts: Partial<Omit<VerdictFacts, 'authority' | 'imprint' | 'privacy' | 'thirdParties' | 'beforeInteraction'>> & {
    authority?: Partial<VerdictFacts['authority']>;
    imprint?: Partial<VerdictFacts['imprint']>;
    privacy?: Partial<VerdictFacts['privacy']>;
    thirdParties?: Partial<VerdictFacts['thirdParties']>;
    beforeInteraction?: Partial<VerdictFacts['beforeInteraction']>;
  };
  expect: {
    verdict: 'red' | 'yellow' | 'green' | 'grey';
    /** Exactly these finding ids with these severities (order free). */
    findings: Record<string, 'red' | 'yellow' | 'info'>;
    /** Optional: the first reasons, in order. */
    top?: string[];
  };
}

function factsOf(c: GoldenCase): VerdictFacts {
  const f = c.facts;
  return {
    ...DEFAULT_FACTS,
    ...f,
    // Unless a case says otherwise: every platform is commercial but a public-sector Mastodon instance.
    commercialPlatform: f.commercialPlatform ?? (f.platform ? f.platform !== 'mastodon' : false),
    authority: { ...DEFAULT_FACTS.authority, ...f.authority },
    imprint: { ...DEFAULT_FACTS.imprint, ...f.imprint },
    privacy: { ...DEFAULT_FACTS.privacy, ...f.privacy },
    thirdParties: { ...DEFAULT_FACTS.thirdParties, ...f.thirdParties },
    beforeInteraction: { ...DEFAULT_FACTS.beforeInteraction, ...f.beforeInteraction },
  };
}

const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('golden verdict cases', () => {
  it('has at least 40 cases covering all page kinds, authorities, minors, contested findings and green pages', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
    const cases = files.map((f) => JSON.parse(readFileSync(path.join(DIR, f), 'utf8')) as GoldenCase);
    const kinds = new Set(cases.map((c) => c.facts.pageKind ?? 'website'));
    expect([...kinds].sort()).toEqual(['link-in-bio', 'social-profile', 'website']);
    expect(cases.some((c) => c.facts.authority?.isAuthority)).toBe(true);
    expect(cases.some((c) => c.facts.authority?.audienceMinors)).toBe(true);
    expect(cases.some((c) => c.expect.findings['authority-on-platform'])).toBe(true);
    expect(cases.some((c) => c.expect.verdict === 'green')).toBe(true);
    expect(cases.some((c) => c.expect.verdict === 'grey')).toBe(true);
  });

  it.each(files)('%s', (file) => {
    const c = JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as GoldenCase;
    const facts = factsOf(c);
    const analysed = c.analysed ?? true;
    const findings = analysed ? evaluateFindings(facts) : [];
    const got = Object.fromEntries(findings.map((x) => [x.id, x.severity]));
    expect(got, c.description).toEqual(c.expect.findings);
    expect(verdictOf(findings, facts, analysed), c.description).toBe(c.expect.verdict);
    if (c.expect.top)
      expect(
        findings
          .filter((x) => x.severity !== 'info')
          .slice(0, c.expect.top.length)
          .map((x) => x.id),
      ).toEqual(c.expect.top);
  });
});
