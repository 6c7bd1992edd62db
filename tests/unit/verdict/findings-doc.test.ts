import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FINDING_RULES, legalHooksOf } from '@/lib/verdict/findings';
import { renderFindingsDoc } from '../../../scripts/findings-doc';

describe('findings table', () => {
  it('docs/findings.md is generated from the table (run: npx tsx scripts/findings-doc.ts --write)', () => {
    expect(readFileSync(new URL('../../../docs/findings.md', import.meta.url), 'utf8')).toBe(renderFindingsDoc());
  });

  it('has the finding ids the product promises, unique, each with a legal hook and both languages', () => {
    const ids = FINDING_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of [
      'imprint-missing',
      'imprint-empty',
      'imprint-incomplete',
      'privacy-missing',
      'privacy-incomplete',
      'privacy-unmentioned-service',
      'third-country-recipient',
      'cookies-before-consent',
      'authority-on-platform',
      'authority-messenger',
      'link-in-bio-tracking',
      'insecure-http',
    ])
      expect(ids, id).toContain(id);
    for (const r of FINDING_RULES) {
      expect(legalHooksOf(r).length, r.id).toBeGreaterThan(0);
      expect(r.text.de.length, r.id).toBeGreaterThan(5);
      expect(r.text.en.length, r.id).toBeGreaterThan(5);
      expect(['observed', 'heuristic', 'contested', 'user-reported']).toContain(r.certainty);
    }
  });
});
