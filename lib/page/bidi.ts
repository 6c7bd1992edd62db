/**
 * Bidirectional control characters out of page-supplied text, before anyone sees it.
 *
 * A page title, cookie name or link label may carry U+202E (RIGHT-TO-LEFT OVERRIDE) and friends,
 * which make a string read differently from what it holds ("Trojan Source", CVE-2021-42574,
 * https://trojansource.codes/; Unicode UAX #9, https://www.unicode.org/reports/tr9/ § 2). The
 * set: ALM U+061C, LRM/RLM U+200E/F, the embeddings and overrides U+202A–U+202E, the isolates
 * U+2066–U+2069. Zero-width joiners stay (emoji sequences and Indic/Persian text need them);
 * the export renderers strip more (cleanLine in lib/export/complaint/model.ts).
 *
 * One place for the whole report: `stripBidiDeep` runs on every report the background builds
 * (lib/verdict/report.ts) and on every record the history stores or imports
 * (lib/history/schema.ts recordOfReport), so the popup, the sites page and every export get
 * clean strings from the one report object.
 */

/** The bidi controls (source of the character class, reused by cleanLine). */
export const BIDI_CONTROLS = '\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069';
const BIDI = new RegExp(`[${BIDI_CONTROLS}]`, 'g');
const HAS_BIDI = new RegExp(`[${BIDI_CONTROLS}]`);

/** `text` without bidi controls. */
export function stripBidi(text: string): string {
  return HAS_BIDI.test(text) ? text.replace(BIDI, '') : text;
}

/**
 * A copy of plain data (JSON-like) with every string value stripped of bidi controls. Object
 * keys are kept as they are (the report's keys are ours). Values that are not plain data
 * (functions, class instances) are passed through unchanged. Recursion is bounded by the data's
 * depth; callers pass reports (depth ≤ 10) or input already checked by the importer's depth limit.
 */
export function stripBidiDeep<T>(value: T): T {
  if (typeof value === 'string') return stripBidi(value) as T;
  if (Array.isArray(value)) return value.map((item) => stripBidiDeep(item)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = stripBidiDeep(item);
    return out as T;
  }
  return value;
}
