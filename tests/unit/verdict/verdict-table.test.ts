/**
 * The one verdict table (lib/verdict/verdict-table.ts) and the colour tokens (components/tokens.css):
 * the badge colours equal the light tokens, nothing else in the code spells a verdict's colour or
 * word, the extension pages' style sheets use no literal colour (dark mode works only through the
 * tokens), and every text token keeps 4.5:1 against the backgrounds it is used on, in both schemes
 * (WCAG 2.2 SC 1.4.3, contrast formula from https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERDICT_TABLE, verdictStyle } from '@/lib/verdict/verdict-table';
import { verdictLabel } from '@/lib/i18n/ui';
import { verdictIcon, verdictWord } from '@/lib/i18n/history';
import { verdictWord as cliWord } from '@/lib/cli/audit-args';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const read = (rel: string) => readFileSync(path.join(ROOT, rel), 'utf8');

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && ext.test(d.name))
    .map((d) => path.relative(ROOT, path.join(d.parentPath, d.name)));
}

/** `--name: value` pairs of one block of tokens.css (light: the first :root, dark: the media query's). */
function tokens(scheme: 'light' | 'dark'): Record<string, string> {
  const css = read('components/tokens.css');
  const dark = css.indexOf('@media (prefers-color-scheme: dark)');
  const block = scheme === 'light' ? css.slice(0, dark) : css.slice(dark);
  const out: Record<string, string> = {};
  for (const m of block.matchAll(/(--[\w-]+):\s*([^;]+);/g)) out[m[1]!] = m[2]!.trim();
  return scheme === 'dark' ? { ...tokens('light'), ...out } : out;
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5]
    .map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
const contrast = (a: string, b: string) => {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x! + 0.05) / (y! + 0.05);
};

describe('the verdict table', () => {
  it('badge colours are the light colour tokens; dark has its own value for each', () => {
    const light = tokens('light');
    const dark = tokens('dark');
    for (const [verdict, style] of Object.entries(VERDICT_TABLE)) {
      expect(light[style.token], verdict).toBe(style.colour);
      expect(dark[style.token], verdict).toMatch(/^#[0-9a-f]{6}$/);
      expect(dark[style.token], verdict).not.toBe(style.colour);
    }
  });

  it('words, labels and icons in every renderer come from the table', () => {
    expect(verdictWord('green', 'de')).toBe('Grün');
    expect(verdictLabel('red', 'en')).toBe('Red: serious indicators');
    expect(verdictIcon('yellow')).toBe('⚠');
    expect(cliWord('green', 'de')).toBe('GRÜN');
    expect(cliWord('failed', 'en')).toBe('FAILED');
    expect(verdictStyle('nonsense')).toBe(VERDICT_TABLE.grey);
  });

  it('no other source file spells a verdict colour or the verdict words', () => {
    const colours = Object.values(VERDICT_TABLE).map((s) => s.colour.toLowerCase());
    const words = Object.values(VERDICT_TABLE).flatMap((s) => [s.word.de, s.word.en]);
    const sources = [...files('lib', /\.ts$/), ...files('entrypoints', /\.tsx?$/), ...files('components', /\.tsx?$/)];
    const offenders: string[] = [];
    for (const f of sources) {
      if (f === path.join('lib', 'verdict', 'verdict-table.ts')) continue;
      const text = read(f);
      for (const c of colours) if (text.toLowerCase().includes(`'${c}'`)) offenders.push(`${f}: ${c}`);
      for (const w of words)
        for (const q of [`'${w}'`, `'${w.toLowerCase()}'`, `'${w.toUpperCase()}'`].filter(
          (x) => !/'(red|green|yellow|grey)'/.test(x),
        ))
          if (text.includes(q)) offenders.push(`${f}: ${q}`);
    }
    expect(offenders).toEqual([]);
  });
});

describe('colour tokens', () => {
  it('the extension pages use no literal colour, only the tokens', () => {
    const sheets = [
      'entrypoints/popup/style.css',
      ...files('entrypoints/sites', /\.css$/),
      ...files('entrypoints/about', /\.(css|tsx|html)$/),
      ...files('components', /\.(css|tsx)$/),
    ].filter((f) => f !== path.join('components', 'tokens.css'));
    const literal =
      /#[0-9a-f]{3,8}\b|\b(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch)\(|:\s*(?:white|black|red|green|blue|gray|grey|yellow|orange)\b/gi;
    const found = sheets.flatMap((f) => [...read(f).matchAll(literal)].map((m) => `${f}: ${m[0]}`));
    expect(found).toEqual([]);
    expect(read('entrypoints/popup/style.css')).toContain('@import "../../components/tokens.css"');
    expect(read('components/tokens.css')).toContain('color-scheme: light dark');
  });

  it.each(['light', 'dark'] as const)('text tokens keep ≥ 4.5:1 on the backgrounds they are used on (%s)', (scheme) => {
    const t = tokens(scheme);
    const pairs: [string, string][] = [
      ['--fg', '--bg'],
      ['--fg', '--surface'],
      ['--muted', '--bg'],
      ['--muted', '--surface'],
      ['--link', '--bg'],
      ['--link', '--surface'],
      ['--link', '--highlight'],
      ...(['red', 'yellow', 'green', 'grey'] as const).flatMap((v): [string, string][] => [
        [`--${v}-fg`, `--${v}-bg`],
        ['--fg', `--${v}-bg`],
        ['--muted', `--${v}-bg`],
        ['--link', `--${v}-bg`],
      ]),
    ];
    const low = pairs
      .map(([fg, bg]) => ({ fg, bg, ratio: contrast(t[fg]!, t[bg]!) }))
      .filter((p) => p.ratio < 4.5)
      .map((p) => `${p.fg} on ${p.bg}: ${p.ratio.toFixed(2)}`);
    expect(low).toEqual([]);
  });
});
