/**
 * The toolbar badge: its background per verdict and a text colour readable on it. White text on
 * the yellow badge had a contrast of about 2:1; the text colour is now whichever of black and white
 * contrasts more with the background (tests/unit/toolbar/badge.test.ts checks ≥ 4.5:1 for each).
 */
import { VERDICT_TABLE } from '../verdict/verdict-table';
import { contrastRatio } from './contrast';

export type ToolbarVerdict = 'red' | 'yellow' | 'green' | 'grey';

/** The badge background per verdict: the verdict table's colour (lib/verdict/verdict-table.ts). */
export const BADGE_COLOURS: Record<ToolbarVerdict, string> = {
  red: VERDICT_TABLE.red.colour,
  yellow: VERDICT_TABLE.yellow.colour,
  green: VERDICT_TABLE.green.colour,
  grey: VERDICT_TABLE.grey.colour,
};

const TEXT_CANDIDATES = ['#000000', '#ffffff'] as const;

/** The verdict as the toolbar knows it ('grey' for anything else). */
export function toolbarVerdict(verdict: string | null | undefined): ToolbarVerdict {
  return verdict === 'red' || verdict === 'yellow' || verdict === 'green' ? verdict : 'grey';
}

/** Black or white, whichever contrasts more with the background. */
export function badgeTextColour(background: string): string {
  const [a, b] = TEXT_CANDIDATES;
  return contrastRatio(a, background) >= contrastRatio(b, background) ? a : b;
}

/** Background and text colour of the badge for a verdict. */
export function badgeColours(verdict: string | null | undefined): { background: string; text: string } {
  const background = BADGE_COLOURS[toolbarVerdict(verdict)];
  return { background, text: badgeTextColour(background) };
}
