// Every rule of lib/legal/rules.json is judged by a finding or listed as not judged, with a reason
// (lib/verdict/rule-coverage.ts), and docs/findings.md says which.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verdict as rulesVerdict } from '@/lib/legal/rules.json';
import { FINDING_RULES, type FindingRule } from '@/lib/verdict/findings';
import { DECLINED_RULES, PENDING_RULES, ruleCoverage } from '@/lib/verdict/rule-coverage';

const RULE_IDS = rulesVerdict.rules.map((r) => r.id);
const doc = readFileSync(new URL('../../../docs/findings.md', import.meta.url), 'utf8');

describe('rule coverage', () => {
  it('every rules.json rule is a finding, declined or pending', () => {
    const none = ruleCoverage(FINDING_RULES)
      .filter((c) => c.kind === 'none')
      .map((c) => c.rule);
    expect(none, 'rules with neither a finding nor a reason in lib/verdict/rule-coverage.ts').toEqual([]);
    expect(RULE_IDS.length).toBeGreaterThanOrEqual(46);
  });

  it('fails for a rule without a finding or a reason', () => {
    // The same check against a table missing one row: the rule it judged turns up as uncovered.
    const without = FINDING_RULES.filter((r) => r.id !== 'insecure-http');
    expect(
      ruleCoverage(without)
        .filter((c) => c.kind === 'none')
        .map((c) => c.rule),
    ).toEqual(['R-SEC-01']);
  });

  it('a rule is in exactly one place: a finding row, or one of the two lists', () => {
    const implemented = new Set(FINDING_RULES.flatMap((r) => r.source));
    const listed = [...DECLINED_RULES, ...PENDING_RULES].map((d) => d.rule);
    expect(new Set(listed).size, 'a rule listed twice').toBe(listed.length);
    for (const id of listed) {
      expect(RULE_IDS, `${id} is not a rules.json rule`).toContain(id);
      expect(implemented.has(id), `${id} has a finding now: delete its line in rule-coverage.ts`).toBe(false);
    }
  });

  it('every finding row names rules.json rules, and its hooks come from them', () => {
    for (const r of FINDING_RULES) {
      expect(r.source.length, r.id).toBeGreaterThan(0);
      for (const id of r.source) expect(RULE_IDS, `${r.id}: ${id}`).toContain(id);
    }
  });

  it('the reasons are one line each', () => {
    for (const d of [...DECLINED_RULES, ...PENDING_RULES]) {
      expect(d.reason.length, d.rule).toBeGreaterThan(20);
      expect(d.reason, d.rule).not.toMatch(/\n/);
    }
  });

  it('docs/findings.md names the rule of every finding and the reason for every rule not judged', () => {
    const rowOf = (r: FindingRule) => doc.split('\n').find((l) => l.startsWith(`| \`${r.id}\` |`));
    for (const r of FINDING_RULES) {
      const row = rowOf(r);
      expect(row, r.id).toBeDefined();
      for (const id of r.source) expect(row, `${r.id} names ${id}`).toContain(id);
    }
    for (const d of [...DECLINED_RULES, ...PENDING_RULES])
      expect(doc, d.rule).toContain(`| ${d.rule} | ${d.reason.replace(/\|/g, '\\|')} |`);
    const declined = doc.slice(doc.indexOf('## Rules not judged'));
    for (const id of RULE_IDS) expect(doc.includes(`${id},`) || doc.includes(`${id} |`), id).toBe(true);
    expect(declined).toContain('R-IMP-03');
  });
});
