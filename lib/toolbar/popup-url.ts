/**
 * The popup a tab's toolbar button opens, carrying that tab's first view. The background sets it
 * per tab with `action.setPopup` whenever the tab's report changes
 * (https://developer.chrome.com/docs/extensions/reference/api/action#method-setPopup): the popup
 * then renders the verdict from its own address as soon as its script runs, without first asking
 * the background, and asks for the full answer right after (docs/ARCHITECTURE.md, "Popup speed").
 * The address also names the tab, so the popup need not look up the active tab.
 *
 * The first view travels in the fragment, which never leaves the browser: extension pages are
 * not fetched over a network, and a fragment is not sent with any request anyway. Pure: no
 * browser APIs.
 */
import type { BackgroundReplies } from '../messages';

type VisitReply = BackgroundReplies['get-visit'];

export const POPUP_PAGE = 'popup.html';

/**
 * Above this, the address carries only the tab and the popup asks as before. The first view is a
 * few KB (lib/verdict/first-view.ts; 4.7 KB of JSON with 500 third-party hosts); a page with very
 * many findings or cookies must not make every report change send a large address to the browser.
 */
export const MAX_FIRST_VIEW_CHARS = 24_000;

const FIRST_VIEW_KEY = 'v';

/** The popup's address for a tab: `popup.html?tabId=N`, with `#v=<first view>` when one is given and small enough. */
export function popupPath(tabId: number, firstView: VisitReply | null): string {
  const base = `${POPUP_PAGE}?tabId=${tabId}`;
  if (!firstView) return base;
  const encoded = encodeURIComponent(JSON.stringify(firstView));
  return encoded.length > MAX_FIRST_VIEW_CHARS ? base : `${base}#${FIRST_VIEW_KEY}=${encoded}`;
}

/** Cheap test for the popup's head script: does the address carry a first view (then it need not ask)? */
export function carriesFirstView(hash: string): boolean {
  return hash.startsWith(`#${FIRST_VIEW_KEY}=`);
}

/**
 * The first view carried by a popup address's fragment (`location.hash`), or null when there is
 * none or it is not one (a damaged or hand-made address): the popup then asks the background.
 */
export function firstViewFromHash(hash: string): VisitReply | null {
  if (!carriesFirstView(hash)) return null;
  let value: unknown;
  try {
    value = JSON.parse(decodeURIComponent(hash.slice(FIRST_VIEW_KEY.length + 2)));
  } catch {
    return null;
  }
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
  if (report === null) return true;
  return isRecord(report) && typeof report.verdict === 'string' && Array.isArray(report.findings);
}
