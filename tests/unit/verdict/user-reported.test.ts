// The user's ticked observations: which ids are known, and how they are kept per site.
import { describe, expect, it } from 'vitest';
import {
  MAX_OBSERVED_SITES,
  USER_OBSERVATIONS,
  observationsFor,
  parseUserObservations,
  withObservations,
} from '@/lib/verdict/user-reported';

describe('user observations', () => {
  it('each has a German and an English sentence, and the WhatsApp one says what R-AUTH-06 needs', () => {
    for (const o of USER_OBSERVATIONS) {
      expect(o.text.de.length, o.id).toBeGreaterThan(20);
      expect(o.text.en.length, o.id).toBeGreaterThan(20);
    }
    expect(USER_OBSERVATIONS.find((o) => o.id === 'staff-whatsapp-case')?.text).toEqual({
      de: 'Mitarbeitende boten an, meinen Fall über WhatsApp zu besprechen.',
      en: 'Staff offered to discuss my case over WhatsApp.',
    });
  });

  it('parsing keeps known ids once, in the list order, and drops anything else', () => {
    expect(parseUserObservations(['dm-open', 'x', 'staff-whatsapp-case', 'dm-open', 3, null])).toEqual([
      'staff-whatsapp-case',
      'dm-open',
    ]);
    expect(parseUserObservations('staff-whatsapp-case')).toEqual([]);
    expect(parseUserObservations({ 0: 'dm-open', length: 1 })).toEqual([]);
  });

  it('are stored per site, removed when none is ticked, and malformed stored data reads as none', () => {
    let stored = withObservations(undefined, 'jobcenter-musterstadt.de', ['staff-whatsapp-case'], 1);
    stored = withObservations(
      stored,
      'instagram.com/jobcenter_musterstadt',
      ['dm-open', 'comments-off-for-privacy'],
      2,
    );
    expect(observationsFor(stored, 'jobcenter-musterstadt.de')).toEqual(['staff-whatsapp-case']);
    expect(observationsFor(stored, 'instagram.com/jobcenter_musterstadt')).toEqual([
      'comments-off-for-privacy',
      'dm-open',
    ]);
    expect(observationsFor(stored, 'other.de')).toEqual([]);
    stored = withObservations(stored, 'jobcenter-musterstadt.de', [], 3);
    expect(Object.keys(stored)).toEqual(['instagram.com/jobcenter_musterstadt']);
    expect(observationsFor('garbage', 'a.de')).toEqual([]);
    expect(observationsFor({ 'a.de': { ids: 'dm-open' }, 'b.de': null }, 'a.de')).toEqual([]);
    expect(withObservations({ 'a.de': { ids: ['nope'], at: 1 } }, 'b.de', ['dm-open'], 5)).toEqual({
      'b.de': { ids: ['dm-open'], at: 5 },
    });
  });

  it(`keep at most ${MAX_OBSERVED_SITES} sites, dropping the longest unchanged`, () => {
    let stored = {};
    for (let i = 0; i <= MAX_OBSERVED_SITES; i++)
      stored = withObservations(stored, `site${i}.de`, ['dm-open'], 1_000 + i);
    expect(Object.keys(stored)).toHaveLength(MAX_OBSERVED_SITES);
    expect(observationsFor(stored, 'site0.de')).toEqual([]);
    expect(observationsFor(stored, `site${MAX_OBSERVED_SITES}.de`)).toEqual(['dm-open']);
  });
});
