import { describe, expect, it } from 'vitest';
import { legalHookText, legalHooksLine } from '@/lib/i18n/legal-hooks';
import { verdict } from '@/lib/legal/rules.json';

describe('legal hooks in the reader’s language', () => {
  it('German: DSGVO, Abs./lit., EuGH, Richtlinie … /EG', () => {
    expect(legalHookText('Art. 13(1)(a) GDPR', 'de')).toBe('Art. 13 Abs. 1 lit. a DSGVO');
    expect(legalHookText('Art. 13(1)(e),(f) GDPR', 'de')).toBe('Art. 13 Abs. 1 lit. e, lit. f DSGVO');
    expect(legalHookText('Art. 6(1) subpara 2 GDPR', 'de')).toBe('Art. 6 Abs. 1 UAbs. 2 DSGVO');
    expect(legalHookText('Art. 5(3) Directive 2002/58/EC', 'de')).toBe('Art. 5 Abs. 3 Richtlinie 2002/58/EG');
    expect(legalHookText('CJEU C-673/17 Planet49', 'de')).toBe('EuGH C-673/17 Planet49');
    expect(legalHookText('§ 5 Abs. 1 Nr. 1 DDG', 'de')).toBe('§ 5 Abs. 1 Nr. 1 DDG');
  });

  it('English: as stored', () => {
    expect(legalHooksLine(['Art. 13(1)(a) GDPR', '§ 25 TDDDG'], 'en')).toBe('Art. 13(1)(a) GDPR; § 25 TDDDG');
  });

  it('no hook of the rule book still reads GDPR or CJEU in German', () => {
    const hooks = verdict.rules.flatMap((r) => (r as { hooks?: string[] }).hooks ?? []);
    expect(hooks.length).toBeGreaterThan(20);
    for (const h of hooks) expect(legalHookText(h, 'de'), h).not.toMatch(/\bGDPR\b|\bCJEU\b|\(\d+\)/);
  });
});
