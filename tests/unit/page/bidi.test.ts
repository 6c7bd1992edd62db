// lib/bidi.ts: the one helper that takes bidi controls out of page-supplied text.
import { describe, expect, it } from 'vitest';
import { BIDI_CONTROLS, stripBidi, stripBidiDeep } from '@/lib/page/bidi';
import { cleanLine } from '@/lib/export/complaint/model';
import { csvCell } from '@/lib/export/csv';

const ALL = [
  '\u061C',
  '\u200E',
  '\u200F',
  '\u202A',
  '\u202B',
  '\u202C',
  '\u202D',
  '\u202E',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
];

describe('stripBidi', () => {
  it('removes every bidi control (UAX #9) and nothing else', () => {
    expect(stripBidi(`a${ALL.join('')}b`)).toBe('ab');
    // Joiners stay: emoji sequences and Persian/Indic text need them.
    const kept = 'نامه\u200Cای 👩\u200D💻 Zeile\nzwei\tTab';
    expect(stripBidi(kept)).toBe(kept);
    expect(new RegExp(`^[${BIDI_CONTROLS}]+$`).test(ALL.join(''))).toBe(true);
  });

  it('deep: every string of plain data, keys and non-strings untouched, input not changed', () => {
    const input = { title: 'x\u202Ey', list: ['\u2066a', 1, null, { name: 'c\u200Fk' }], ok: true, '\u202Ekey': 'v' };
    const out = stripBidiDeep(input);
    expect(out).toEqual({ title: 'xy', list: ['a', 1, null, { name: 'ck' }], ok: true, '\u202Ekey': 'v' });
    expect(input.title).toBe('x\u202Ey');
  });

  it('the export renderers use the same set', () => {
    for (const c of ALL) {
      expect(cleanLine(`a${c}b`)).toBe('ab');
      expect(csvCell(`a${c}b`, ';')).toBe('ab');
    }
  });
});
