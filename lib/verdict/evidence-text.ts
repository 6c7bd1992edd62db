/**
 * Small helpers for the evidence strings of the findings table's rows (language-neutral data:
 * hosts, names, times), shared by the row modules that findings.ts spreads in.
 */
import type { Fired, PageKind } from './findings';

/** The row fires with this evidence; null: it fires with nothing to quote. */
export const fire = (evidence: string | null): Fired => ({ evidence });

/** "+1.2 s": a time after a reference point (page start, the audit's click); '' when unknown. */
export const secs = (ms: number | null): string => (ms === null ? '' : `+${(Math.max(0, ms) / 1000).toFixed(1)} s`);

/** The first `max` items and "… (+n)" for the rest. */
export const capped = (xs: readonly string[], max: number): string[] =>
  xs.length > max ? [...xs.slice(0, max), `… (+${xs.length - max})`] : [...xs];

/** Every page kind: the rows that apply wherever the page is. */
export const ALL: readonly PageKind[] = ['website', 'social-profile', 'link-in-bio'];

/** The first `max` items joined, and "… (+n)" for the rest: one evidence line. */
export const list = (xs: readonly string[], max = 5): string =>
  xs.length > max ? `${xs.slice(0, max).join(', ')} … (+${xs.length - max})` : xs.join(', ');
