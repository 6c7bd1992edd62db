/**
 * One vocabulary for the state of a legal page (imprint, privacy notice) from the link finder
 * through the fetch and the analysers to the report and its renderers.
 * - found: read, with content; empty: reachable but without the expected content;
 * - missing: no link found; unreachable: the fetch failed or was refused by the guard;
 * - not-checked: not fetched (the user's setting) or not known;
 * - pending (page checks only, never in a report): the fetch is under way.
 */
export type DocState = 'found' | 'missing' | 'empty' | 'unreachable' | 'not-checked';

/** What the page checks know: a report reads `pending` as `not-checked`. */
export type DocStatus = DocState | 'pending';

/** What an analyser can say of a text it was given (missing and unreachable are the caller's). */
export type AnalysedState = Extract<DocState, 'found' | 'empty'>;

export const docStateOf = (status: DocStatus | null | undefined): DocState =>
  status == null || status === 'pending' ? 'not-checked' : status;
