import { describe, expect, it } from 'vitest';
import { BADGE_COLOURS, badgeColours, badgeTextColour, toolbarVerdict } from '@/lib/toolbar/badge';
import { contrastRatio, relativeLuminance } from '@/lib/toolbar/contrast';
import { ICON_COLOURS, LAMP_Y, actionIconPaths, actionIconPixels, iconStateOf, renderIcon } from '@/lib/toolbar/icon';
import { reasonCount, toolbarTitle } from '@/lib/toolbar/title';

describe('contrast (WCAG 2.2)', () => {
  it('matches the definition at its ends and a known pair', () => {
    expect(relativeLuminance('#ffffff')).toBeCloseTo(1, 6);
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 6);
    // #767676 on white is the classic lightest grey that passes AA: 4.54:1.
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });
});

describe('badge', () => {
  it('every badge colour gets a text colour with at least 4.5:1', () => {
    const ratios = Object.fromEntries(
      Object.entries(BADGE_COLOURS).map(([v, bg]) => [
        v,
        Math.round(contrastRatio(badgeTextColour(bg), bg) * 100) / 100,
      ]),
    );
    for (const r of Object.values(ratios)) expect(r).toBeGreaterThanOrEqual(4.5);
    // White text on the yellow badge (the old default) fails; the choice is black there.
    expect(contrastRatio('#ffffff', BADGE_COLOURS.yellow)).toBeLessThan(2.5);
    expect(badgeColours('yellow').text).toBe('#000000');
    expect(ratios).toEqual({ red: 5.62, yellow: 10.66, green: 5.13, grey: 4.61 });
  });

  it('anything but red, yellow, green is grey', () => {
    expect(toolbarVerdict('purple')).toBe('grey');
    expect(badgeColours(undefined).background).toBe(BADGE_COLOURS.grey);
  });
});

describe('icon', () => {
  const pixel = (rgba: Uint8Array, size: number, u: number, v: number) => {
    const o = (Math.floor(v * size) * size + Math.floor(u * size)) * 4;
    return `#${[...rgba.subarray(o, o + 3)].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
  };

  it('lights only the verdict’s lamp: top red, middle yellow, bottom green; none when unknown', () => {
    const lit = ['red', 'yellow', 'green'] as const;
    for (const size of [16, 32]) {
      for (const state of ['unknown', ...lit] as const) {
        const rgba = renderIcon(size, state);
        const lamps = LAMP_Y.map((y) => pixel(rgba, size, 0.5, y));
        expect(lamps, `${state} ${size}`).toEqual(lit.map((l) => (l === state ? ICON_COLOURS[l] : ICON_COLOURS.unlit)));
      }
    }
  });

  it('lit lamps stand out from the housing (WCAG 1.4.11: 3:1 for graphics)', () => {
    for (const lamp of ['red', 'yellow', 'green'] as const)
      expect(contrastRatio(ICON_COLOURS[lamp], ICON_COLOURS.housing)).toBeGreaterThanOrEqual(3);
  });

  it('grey and unknown verdicts show every lamp dark; the paths name the state', () => {
    expect(iconStateOf('grey')).toBe('unknown');
    expect(iconStateOf(null)).toBe('unknown');
    expect(actionIconPaths('red')).toEqual({ 16: 'icon/red-16.png', 32: 'icon/red-32.png' });
  });

  it('hands setIcon the same pixels as the packaged PNGs, per toolbar size', () => {
    const images = actionIconPixels('yellow');
    expect(images.map((i) => i.size)).toEqual([16, 32]);
    for (const { size, pixels } of images) {
      expect(pixels).toBeInstanceOf(Uint8ClampedArray);
      expect([...pixels]).toEqual([...renderIcon(size, 'yellow')]);
      // The middle lamp's centre is the lit yellow.
      const o = (Math.floor(LAMP_Y[1] * size) * size + size / 2) * 4;
      expect([...pixels.subarray(o, o + 3)]).toEqual([0xff, 0xc2, 0x1a]);
    }
  });
});

describe('title', () => {
  it('says the verdict and both counts with correct plurals', () => {
    expect(toolbarTitle({ verdict: 'red', findings: 3, hosts: 21 }, 'de')).toBe(
      'Rot: 3 Hinweise · 21 Drittanbieter-Hosts',
    );
    expect(toolbarTitle({ verdict: 'yellow', findings: 1, hosts: 1 }, 'de')).toBe(
      'Gelb: 1 Hinweis · 1 Drittanbieter-Host',
    );
    expect(toolbarTitle({ verdict: 'green', findings: 0, hosts: 0 }, 'en')).toBe(
      'Green: 0 indicators · 0 third-party hosts',
    );
    expect(toolbarTitle({ verdict: null, findings: 0, hosts: 2 }, 'en')).toBe(
      'Datenschutz-Ampel – checking … · 2 third-party hosts',
    );
  });

  it('counts red and yellow findings, not info', () => {
    expect(reasonCount([{ severity: 'red' }, { severity: 'info' }, { severity: 'yellow' }])).toBe(2);
  });
});
