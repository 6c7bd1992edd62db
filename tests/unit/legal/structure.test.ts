import { describe, expect, it } from 'vitest';
import { headingShaped, structureOf } from '@/lib/legal/structure';
import { countMeaningfulChars } from '@/lib/legal/patterns';

describe('structureOf(text).lacks: the quick "can this element occur at all" check', () => {
  const s = structureOf(
    'Eine GEMEINSAME Verantwortlichkeit nach Art. 26 DSGVO besteht mit der Meta Platforms Ireland Ltd.',
  );
  it('finds a word in any case', () => {
    expect(s.lacks(['gemeinsam'])).toBe(false);
    expect(s.lacks(['joint', 'insights'])).toBe(true);
    expect(s.lacks(['joint', 'ltd.'])).toBe(false);
  });
  it('takes the words literally, not as patterns', () => {
    expect(s.lacks(['art.26'])).toBe(true);
    expect(s.lacks(['a.t'])).toBe(true);
    expect(s.lacks(['(meta'])).toBe(true);
    expect(s.lacks(['art. 26'])).toBe(false);
  });
});

describe('countMeaningfulChars', () => {
  it('counts letters and digits of any script, as String.length counts them', () => {
    expect(countMeaningfulChars('Straße 12, 04109 Leipzig – Tel.: +49')).toBe('Straße1204109LeipzigTel49'.length);
    expect(countMeaningfulChars('Ωμέγα Київ')).toBe(9);
    expect(countMeaningfulChars('𝐀𝐁 · !?')).toBe(4); // two mathematical letters, two UTF-16 units each
    expect(countMeaningfulChars('\ud835')).toBe(0); // a lone surrogate is no letter
  });
});

describe('headingShaped: a question line is a heading however long (docs/legal-labels.md G2)', () => {
  it('"Zu welchen Zwecken verarbeitet die „Stabsstelle …“ Ihre personenbezogenen Daten?" is a heading, a long statement is not', () => {
    expect(
      headingShaped(
        'Zu welchen Zwecken verarbeitet die „Stabsstelle für Wahlen, Europaangelegenheiten und Informationslogistik (Stabsstelle) “ Ihre personenbezogenen Daten?',
      ),
    ).toBe(true);
    expect(
      headingShaped(
        'Die Stabsstelle für Wahlen, Europaangelegenheiten und Informationslogistik verarbeitet Ihre personenbezogenen Daten zur Durchführung von Wahlen?',
      ),
    ).toBe(false);
  });
});
