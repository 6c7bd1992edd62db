/**
 * Soft navigations: which same-document URL changes of a tab (History API pushState/replaceState,
 * the Navigation API, back/forward within one document) show a new page and so start a visit of
 * their own, and which leave the user on the page they were on.
 *
 * The rule (docs/ARCHITECTURE.md, "Soft navigations"):
 *  - another path is another page (a trailing slash is no difference: `/name` = `/name/`);
 *  - a fragment-only change never is (an anchor on the same page);
 *  - a query-only change is not, unless the platform names the parameter as one that picks the
 *    page (`viewParams`: YouTube's `/watch?v=`, Facebook's `/profile.php?id=`);
 *  - a platform's overlay paths (`overlayPaths`: a post or photo opened as a dialog over the page
 *    behind it) are no page of their own: opening one, moving between them and closing it again
 *    all stay in the visit of the page behind. A document loaded at such a URL is a page of its own
 *    (the platform then renders the post full-page); that is the document visit, not decided here.
 *
 * The overlay paths model the platforms' public web apps as they open a post from a profile grid
 * or a timeline (the address changes, the profile stays rendered behind a dialog). They could not
 * be checked against the live sites from the build machines (no internet); the fixtures
 * (tests/fixtures/sites/, "Single-page apps") reproduce them. URL shapes per platform: Instagram
 * `/p/<shortcode>/`, `/reel/<shortcode>/` (instagram.com's own share links), TikTok
 * `/@<user>/video/<id>` and `/@<user>/photo/<id>`, X `/<user>/status/<id>/photo/<n>` and
 * `/video/<n>` (the media viewer), Facebook `/photo/?fbid=` and `/photo.php`, Threads
 * `/@<user>/post/<id>/media`.
 *
 * Pure: the content script (to know when to read the page again) and the tally (to start the
 * visit) use the same rule.
 */
import { type SocialPlatform, socialPlatformOf } from './platforms';

export interface SoftNavigationRule {
  /** Paths shown as a dialog over the page behind (no visit of their own when reached in-app). */
  overlayPaths: readonly RegExp[];
  /** Query parameters that pick the page shown on the same path (their change is a new page). */
  viewParams: readonly string[];
}

/** The rules data, per platform. A platform without an entry follows the general rule only. */
export const SOFT_NAVIGATION_RULES: Readonly<Partial<Record<SocialPlatform, SoftNavigationRule>>> = {
  instagram: { overlayPaths: [/^\/(?:p|reel|tv)\/[^/]+\/?$/, /^\/[^/]+\/(?:p|reel)\/[^/]+\/?$/], viewParams: [] },
  tiktok: { overlayPaths: [/^\/@[^/]+\/(?:video|photo)\/\d+\/?$/], viewParams: [] },
  x: { overlayPaths: [/^\/[^/]+\/status\/\d+\/(?:photo|video)\/\d+\/?$/], viewParams: [] },
  facebook: { overlayPaths: [/^\/photo\/?$/, /^\/photo\.php$/], viewParams: ['id'] },
  youtube: { overlayPaths: [], viewParams: ['v', 'search_query'] },
  threads: { overlayPaths: [/^\/@[^/]+\/post\/[^/]+\/media\/?$/], viewParams: [] },
};

function ruleFor(host: string): SoftNavigationRule | null {
  const platform = socialPlatformOf(host);
  return (platform && SOFT_NAVIGATION_RULES[platform]) || null;
}

function normalPath(pathname: string): string {
  return pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
}

/** Whether `url` is one of its platform's overlay paths (a dialog over the page behind). */
export function isOverlayUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return ruleFor(u.hostname)?.overlayPaths.some((re) => re.test(u.pathname)) ?? false;
}

/**
 * Whether the tab, showing the page of a visit at `visitUrl`, shows another page once its
 * document's URL became `nextUrl` (same document). `visitUrl` is the visit's URL, not the previous
 * address: closing an overlay returns to the page the visit is about, which is no new page.
 */
export function startsNewVisit(visitUrl: string, nextUrl: string): boolean {
  let from: URL;
  let to: URL;
  try {
    from = new URL(visitUrl);
    to = new URL(nextUrl);
  } catch {
    return false;
  }
  if (from.origin !== to.origin) return true;
  const rule = ruleFor(to.hostname);
  if (rule?.overlayPaths.some((re) => re.test(to.pathname))) return false;
  if (normalPath(from.pathname) !== normalPath(to.pathname)) return true;
  return (rule?.viewParams ?? []).some((p) => from.searchParams.get(p) !== to.searchParams.get(p));
}
