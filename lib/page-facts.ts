/**
 * What the content script reports about a page: candidate links (imprint, privacy, messengers,
 * bio links), page-kind hints (og: meta, title) and a bounded text sample. The shape is checked
 * with a schema in the background (a page can tamper with a content script's world only through
 * the DOM, but a compromised renderer could send anything: nothing here is trusted).
 *
 * `collectPageFacts` reads the DOM (no browser.* API) with hard caps and yields between slices,
 * so a 20,000-link page neither blocks the main thread nor produces a huge message. The heavy
 * matching (rules.json patterns) runs in the background on the candidates (lib/page-links.ts).
 */
import * as v from 'valibot';

export const FACTS_LIMITS = {
  /** Links looked at in document order (the footer is read separately, see below). */
  scanLinks: 5000,
  /** Candidates sent to the background. */
  candidates: 600,
  /** Footer/contentinfo links always sent (legal links live there). */
  footerLinks: 300,
  hrefChars: 2048,
  labelChars: 200,
  metaChars: 1000,
  textSampleChars: 12_000,
  textNodes: 20_000,
  /** Links processed per slice before yielding to the page. */
  slice: 1000,
  /**
   * Main-thread budget for the link scan per report (ms; 1.25 keeps a 5,000-link page under 5 ms in total, npm run bench). Legal links sit in the footer (read
   * first, natively) or near the end of the page, so the scan runs from the end backwards and
   * stops when the budget is spent; the facts then say `truncated`.
   */
  scanBudgetMs: 1.25,
} as const;

const REGIONS = ['footer', 'nav', 'header', 'main', 'bio', 'link-list', 'other'] as const;

const str = (max: number) => v.pipe(v.string(), v.maxLength(max));

export const LinkCandidateSchema = v.strictObject({
  href: str(FACTS_LIMITS.hrefChars),
  text: str(FACTS_LIMITS.labelChars),
  title: v.optional(str(FACTS_LIMITS.labelChars)),
  ariaLabel: v.optional(str(FACTS_LIMITS.labelChars)),
  rel: v.optional(str(100)),
  region: v.picklist(REGIONS),
});

export const PageFactsSchema = v.strictObject({
  url: str(FACTS_LIMITS.hrefChars * 4),
  title: str(FACTS_LIMITS.metaChars),
  lang: str(35),
  meta: v.record(v.pipe(v.string(), v.maxLength(60)), str(FACTS_LIMITS.metaChars)),
  links: v.pipe(v.array(LinkCandidateSchema), v.maxLength(FACTS_LIMITS.candidates)),
  linkCount: v.pipe(v.number(), v.integer(), v.minValue(0)),
  textSample: str(FACTS_LIMITS.textSampleChars),
  truncated: v.boolean(),
  collectMs: v.pipe(v.number(), v.minValue(0)),
});

export type PageFacts = v.InferOutput<typeof PageFactsSchema>;
export type CollectedLink = v.InferOutput<typeof LinkCandidateSchema>;

/** Parses untrusted input; null when it is not exactly a PageFacts (extra keys, oversize, wrong types). */
export function parsePageFacts(input: unknown): PageFacts | null {
  const result = v.safeParse(PageFactsSchema, input);
  return result.success ? result.output : null;
}

// Cheap pre-filter for links outside footer/nav/header: words that legal, contact, messenger and
// bio links use in many languages, or hosts of redirectors and link-in-bio services. The exact
// rules (rules.json link_patterns) run in the background on what passes.
const INTERESTING =
  /impress|imprint|legal|colo(?:ph|f)on|mentions|aviso|note.?legal|nota.?legal|datenschutz|privacy|privac|privé|confidential|donn[ée]es|dsgvo|gdpr|rgpd|avg|prywatn|polityk|ochron|cookie|kontakt|contact|about[-_ ]?us|über[-_ ]uns|ueber[-_]uns|whatsapp|wa\.me|t\.me|telegram|signal\.(?:me|group)|threema|l\.instagram|l\.facebook|l\.threads|linktr|beacons|lnk\.bio|bio\.link|linkin\.bio/i;

const META_KEYS = ['og:title', 'og:description', 'og:type', 'og:site_name', 'og:url', 'description', 'author', 'twitter:title', 'twitter:site', 'al:android:url', 'profile:username'];

type RegionContext = { socialPlatform: boolean; linkInBio: boolean };

function clip(s: string | null | undefined, max: number): string {
  if (!s) return '';
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? t.slice(0, max) : t;
}

function regionOf(a: Element, ctx: RegionContext): CollectedLink['region'] {
  if (a.closest('footer, [role="contentinfo"]')) return 'footer';
  if (a.closest('nav, [role="navigation"]')) return 'nav';
  if (a.closest('header, [role="banner"]')) return ctx.socialPlatform ? 'bio' : 'header';
  if (ctx.linkInBio) return 'link-list';
  if (a.closest('main, [role="main"]')) return 'main';
  return 'other';
}

function candidateOf(a: HTMLAnchorElement | HTMLAreaElement, ctx: RegionContext): CollectedLink | null {
  // getAttribute, not .href: the raw value is what the page wrote; the background resolves it
  // against the page URL and drops javascript:, data:, blob: and the like.
  const href = a.getAttribute('href');
  if (!href || href.length > FACTS_LIMITS.hrefChars) return null;
  const link: CollectedLink = { href, text: clip(a.textContent, FACTS_LIMITS.labelChars), region: regionOf(a, ctx) };
  const title = a.getAttribute('title');
  if (title) link.title = clip(title, FACTS_LIMITS.labelChars);
  const aria = a.getAttribute('aria-label');
  if (aria) link.ariaLabel = clip(aria, FACTS_LIMITS.labelChars);
  const rel = a.getAttribute('rel');
  if (rel) link.rel = clip(rel, 100);
  return link;
}

/** Links inside the elements matching `containers`, at most `max`. */
function linksIn(doc: Document, containers: string, max: number): (HTMLAnchorElement | HTMLAreaElement)[] {
  const out: (HTMLAnchorElement | HTMLAreaElement)[] = [];
  for (const box of Array.from(doc.querySelectorAll(containers))) {
    for (const a of Array.from(box.querySelectorAll('a[href], area[href]'))) {
      out.push(a as HTMLAnchorElement);
      if (out.length >= max) return out;
    }
  }
  return out;
}

/** Visible-ish text of the body: text nodes outside script/style/template, capped; yields every 2,000 nodes. */
async function textSample(doc: Document, pause: () => Promise<void>): Promise<{ text: string; truncated: boolean }> {
  const body = doc.body;
  if (!body) return { text: '', truncated: false };
  const walker = doc.createTreeWalker(body, 4 /* NodeFilter.SHOW_TEXT */);
  const parts: string[] = [];
  let chars = 0;
  let nodes = 0;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (++nodes > FACTS_LIMITS.textNodes) return { text: parts.join(' '), truncated: true };
    if (nodes % 2000 === 0) await pause();
    const parent = n.parentElement;
    if (parent && /^(SCRIPT|STYLE|NOSCRIPT|TEMPLATE|SVG)$/i.test(parent.tagName)) continue;
    const t = n.nodeValue?.trim();
    if (!t) continue;
    parts.push(t);
    chars += t.length + 1;
    if (chars >= FACTS_LIMITS.textSampleChars) return { text: parts.join(' ').slice(0, FACTS_LIMITS.textSampleChars), truncated: true };
  }
  return { text: parts.join(' '), truncated: false };
}

export interface CollectOptions {
  /** Lets the page breathe between slices (the content script passes a setTimeout/scheduler.yield). */
  yieldToPage?: () => Promise<void>;
  now?: () => number;
  socialPlatform?: boolean;
  linkInBio?: boolean;
}

export async function collectPageFacts(doc: Document, url: string, opts: CollectOptions = {}): Promise<PageFacts> {
  const now = opts.now ?? (() => performance.now());
  let busy = 0;
  let t = now();
  const pause = async () => {
    busy += now() - t;
    if (opts.yieldToPage) await opts.yieldToPage();
    t = now();
  };
  const ctx: RegionContext = { socialPlatform: Boolean(opts.socialPlatform), linkInBio: Boolean(opts.linkInBio) };

  const meta: Record<string, string> = {};
  for (const el of Array.from(doc.querySelectorAll('meta[property], meta[name]')).slice(0, 200)) {
    const key = (el.getAttribute('property') ?? el.getAttribute('name') ?? '').toLowerCase();
    if (META_KEYS.includes(key) && !(key in meta)) meta[key] = clip(el.getAttribute('content'), FACTS_LIMITS.metaChars);
  }

  const links: CollectedLink[] = [];
  const seen = new Set<Element>();
  let truncated = false;
  // 1. The footer first: that is where imprint and privacy links are expected (SPEC § 4).
  // Containers first, then their links: a selector like "footer a[href]" would check every link's
  // ancestors (measured: 2-4 ms on a 5,000-link page).
  for (const a of linksIn(doc, 'footer, [role="contentinfo"]', FACTS_LIMITS.footerLinks)) {
    const c = candidateOf(a, ctx);
    seen.add(a);
    if (c) links.push(c);
  }
  // 2. Navigation and header links (natively selected: cheap), then all other links from the end
  //    of the page backwards, within a time budget: on social profiles and link-in-bio pages the
  //    bio and link list always, elsewhere only links that look interesting.
  const keepAll = ctx.socialPlatform || ctx.linkInBio;
  const all = doc.links;
  const navLinks = linksIn(doc, 'nav, header, [role="navigation"], [role="banner"]', FACTS_LIMITS.footerLinks);
  const scan = Math.min(all.length, FACTS_LIMITS.scanLinks);
  if (all.length > scan) truncated = true;
  const total = navLinks.length + scan;
  const busyAtScanStart = busy + (now() - t);
  const spent = () => busy + (now() - t) - busyAtScanStart;
  for (let i = 0; i < total && links.length < FACTS_LIMITS.candidates; i++) {
    if (i > 0 && i % FACTS_LIMITS.slice === 0) await pause();
    if (i % 50 === 49 && spent() > FACTS_LIMITS.scanBudgetMs) {
      truncated = true;
      break;
    }
    // Navigation first, then the page's links: bio and link-list pages in document order (the bio
    // comes first), other pages from the end backwards (legal links sit near the end).
    const j = i - navLinks.length;
    const a = (j < 0 ? navLinks[i] : all[keepAll ? j : all.length - 1 - j]) as HTMLAnchorElement | HTMLAreaElement;
    if (seen.has(a)) continue;
    seen.add(a);
    // Cheap test first: on ordinary pages only links that look legal/contact/messenger matter
    // (the footer was read above), so the region lookup (closest(), the costly part) runs for few.
    if (!keepAll) {
      // Separate short-circuiting tests: building one combined string per link measured slower.
      if (
        !INTERESTING.test(a.getAttribute('href') ?? '') &&
        !INTERESTING.test(a.textContent ?? '') &&
        !(a.hasAttribute('title') && INTERESTING.test(a.getAttribute('title') ?? '')) &&
        !(a.hasAttribute('aria-label') && INTERESTING.test(a.getAttribute('aria-label') ?? ''))
      )
        continue;
    }
    const c = candidateOf(a, ctx);
    if (!c) continue;
    if (keepAll && (c.region === 'main' || c.region === 'other')) {
      if (!INTERESTING.test(c.href) && !INTERESTING.test(c.text) && !INTERESTING.test(c.title ?? '') && !INTERESTING.test(c.ariaLabel ?? '')) continue;
    }
    links.push(c);
  }
  if (links.length >= FACTS_LIMITS.candidates) truncated = true;
  await pause();
  const sample = await textSample(doc, pause);
  busy += now() - t;

  return {
    url: url.slice(0, FACTS_LIMITS.hrefChars * 4),
    title: clip(doc.title, FACTS_LIMITS.metaChars),
    lang: clip(doc.documentElement?.getAttribute('lang'), 35),
    meta,
    links,
    linkCount: all.length,
    textSample: sample.text,
    truncated: truncated || sample.truncated,
    collectMs: Math.round(busy * 100) / 100,
  };
}
