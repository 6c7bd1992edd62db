/**
 * Reading untrusted JSON (stored reports, imported files, a page's facts) without trusting its
 * shape: each helper returns the value when it has the expected type and a neutral one otherwise,
 * so a renderer never throws on a hostile or old record (docs/security.md, "Entry points").
 */

/** The default cap for one string taken from a report into an export. */
export const MAX_TEXT = 2_000;

export const obj = (x: unknown): Record<string, unknown> =>
  x && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>) : {};
export const arr = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
/** A string (or a finite number, written out) capped at `max` code units; '' otherwise. */
export const str = (x: unknown, max = MAX_TEXT): string =>
  typeof x === 'string' ? x.slice(0, max) : typeof x === 'number' && Number.isFinite(x) ? String(x) : '';
/** A string as it is, uncapped; '' for anything else. */
export const text = (x: unknown): string => (typeof x === 'string' ? x : '');
export const textOrNull = (x: unknown): string | null => (typeof x === 'string' ? x : null);
export const num = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) ? x : 0);
export const bool = (x: unknown): boolean => x === true;
