/**
 * The one table of what each verdict looks like and is called: the badge colour, the icon that
 * carries the meaning without colour (WCAG 2.2 SC 1.4.1 Use of Color), the lamp position in the
 * traffic light, the short word and the long label in both languages, and the CSS colour token of
 * the extension pages (components/tokens.css). Popup, history page, badge, CSV and CLI read it;
 * nothing else spells a verdict's colour or word. Pure data, no browser APIs.
 */
import type { Verdict } from './findings';

type Lang = 'de' | 'en';

export interface VerdictStyle {
  /** Badge background (sRGB hex); equal to the light value of `token` in components/tokens.css. */
  colour: string;
  /** The colour token of the extension pages: `var(--red)` etc. */
  token: `--${string}`;
  /** Shown next to the word so the verdict never depends on colour alone. */
  icon: string;
  /** Lamp of the traffic light, top to bottom; null: no lamp lit (grey). */
  lamp: 'top' | 'middle' | 'bottom' | null;
  /** "Rot" – lists, titles, CSV (lower-cased), CLI (upper-cased). */
  word: Record<Lang, string>;
  /** "Rot: erhebliche Hinweise" – the popup's headline. */
  label: Record<Lang, string>;
}

export const VERDICT_TABLE: Readonly<Record<Verdict, VerdictStyle>> = {
  red: {
    colour: '#c62828',
    token: '--red',
    icon: '✖',
    lamp: 'top',
    word: { de: 'Rot', en: 'Red' },
    label: { de: 'Rot: erhebliche Hinweise', en: 'Red: serious indicators' },
  },
  yellow: {
    colour: '#f9a825',
    token: '--yellow',
    icon: '⚠',
    lamp: 'middle',
    word: { de: 'Gelb', en: 'Yellow' },
    label: { de: 'Gelb: Hinweise', en: 'Yellow: indicators' },
  },
  green: {
    colour: '#2e7d32',
    token: '--green',
    icon: '✔',
    lamp: 'bottom',
    word: { de: 'Grün', en: 'Green' },
    label: { de: 'Grün: keine Auffälligkeiten', en: 'Green: nothing found' },
  },
  grey: {
    colour: '#757575',
    token: '--grey',
    icon: '?',
    lamp: null,
    word: { de: 'Grau', en: 'Grey' },
    label: { de: 'Grau: nicht beurteilbar', en: 'Grey: cannot judge' },
  },
};

/** The table row of a verdict read from storage or a file (unknown strings: grey). */
export function verdictStyle(verdict: string): VerdictStyle {
  return Object.hasOwn(VERDICT_TABLE, verdict) ? VERDICT_TABLE[verdict as Verdict] : VERDICT_TABLE.grey;
}

/** Whether a string is one of the four verdicts. */
export const isVerdict = (v: string): v is Verdict => Object.hasOwn(VERDICT_TABLE, v);
