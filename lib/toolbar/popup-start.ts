/**
 * What the popup starts from: the address the toolbar button opens for a tab, and the tab's first
 * view, kept ready in `storage.session` by the background once the tab's report has settled
 * (entrypoints/background/verdict-hub.ts storeFirstView).
 *
 * The address names the tab (`action.setPopup` per tab,
 * https://developer.chrome.com/docs/extensions/reference/api/action#method-setPopup), so the popup
 * need not look up the active tab first. The first view in `storage.session` is one read from the
 * browser process (https://developer.chrome.com/docs/extensions/reference/api/storage#property-session)
 * instead of a message to the background worker and back, which wakes or interrupts the worker and
 * is answered only after it has built the view (docs/ARCHITECTURE.md, "Popup speed"). A first view
 * in the address itself was tried and was slower: the longer the address, the later the popup's
 * scripts ran (5.6 KB of address: +45 ms to the main script on the bench).
 *
 * Pure: no browser APIs.
 */
import type { BackgroundReplies } from '../messages';

type VisitReply = BackgroundReplies['get-visit'];

/** The popup's address for a tab (relative to the extension's root, as `setPopup` takes it). */
export function popupPath(tabId: number): string {
  return `popup.html?tabId=${tabId}`;
}

const FIRST_VIEW_PREFIX = 'firstView:';

/** The storage.session key of a tab's first view. */
export function firstViewKey(tabId: number): string {
  return `${FIRST_VIEW_PREFIX}${tabId}`;
}

/**
 * The largest first view kept in storage.session, in characters of JSON; a larger one is not
 * stored and the popup asks instead. A first view is a few KB (4.7 KB with 500 third-party hosts),
 * but it carries the visit's cookie list (up to 2,000, lib/tally/types.ts LIMITS) and the page's
 * address (up to 2,048 characters), and it is written again on every change of a loading page's
 * report (docs/ARCHITECTURE.md, "Storage budget" and "Page-load overhead").
 */
export const MAX_STORED_CHARS = 32_000;

/** More cookies than fit the limit anyway (≥ ~60 characters each): decided without serialising. */
const SURELY_TOO_MANY_COOKIES = 500;

/** Whether a first view is small enough to keep in storage.session for the popup. */
export function worthStoring(view: VisitReply): boolean {
  if ((view.visit?.cookies.length ?? 0) > SURELY_TOO_MANY_COOKIES) return false;
  return JSON.stringify(view).length <= MAX_STORED_CHARS;
}

/**
 * A stored first view, or null when there is none or the value is not one (written by another
 * version, damaged): the popup then asks the background.
 */
export function storedFirstView(value: unknown): VisitReply | null {
  return isFirstView(value) ? value : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The shape the popup's first screen reads; anything else is not trusted to render. */
function isFirstView(value: unknown): value is VisitReply {
  if (!isRecord(value) || value.type !== 'visit' || value.partial !== true) return false;
  const { visit, report } = value;
  if (!isRecord(visit) || typeof visit.url !== 'string' || typeof visit.site !== 'string') return false;
  return isRecord(report) && typeof report.verdict === 'string' && Array.isArray(report.findings);
}
