/**
 * What the content script reports about a page: candidate links (imprint, privacy, messengers,
 * bio links), page-kind hints (og: meta, title) and a bounded text sample. The shape is checked
 * with a schema in the background (a page can tamper with a content script's world only through
 * the DOM, but a compromised renderer could send anything: nothing here is trusted).
 *
 * `collectPageFacts` reads the DOM (no browser.* API) with hard caps and yields between slices,
 * so a 20,000-link page neither blocks the main thread nor produces a huge message. The heavy
 * matching (rules.json patterns) runs in the background on the candidates (lib/page/links.ts).
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
   * Main-thread budget for the link scan per report (ms). About 700 links from the end of a page
   * in cold code (~1.8 µs per link, mostly DOM calls); the fixed reads (meta, landmarks,
   * doc.links, text sample) add ~1.3 ms, so a 5,000-link page measures ~2.6-3.0 ms in total
   * (npm run bench, target ≤ 5 ms). Legal links sit in the footer (read first, natively) or near
   * the end of the page, so the scan runs from the end backwards and stops when the budget is
   * spent; the facts then say `truncated`.
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

/**
 * Above this many elements with a role attribute, exact per-role queries (~0.1 ms each, whatever the
 * count) are used instead of filtering in JS (~0.6 µs per element: an index and a getAttribute call).
 */
const ROLE_FILTER_MAX = 300;

/**
 * Landmark containers: elements with one of `tags` or with a role attribute in `roles`, in document
 * order, each once. One querySelectorAll per tag name instead of one selector list: Chromium
 * matches a lone tag selector on a fast path (~0.05 ms over the 15,000 elements of the bench page),
 * a selector list with attribute selectors on the slow one (~0.4 ms for 'footer,
 * [role="contentinfo"]', ~0.6 ms for the four nav/header selectors). Roles come from one '[role]'
 * query shared by both calls (~0.2 ms), filtered here; on pages with many roles (web apps) that
 * filter would cost a DOM call per element, so they get one exact query per role (~0.1 ms each).
 */
function landmarks(doc: Document, tags: readonly string[], roles: readonly string[], withRole: ArrayLike<Element>): Element[] {
  const lists: Element[][] = [];
  for (const tag of tags) lists.push(Array.from(doc.querySelectorAll(tag)));
  if (withRole.length > ROLE_FILTER_MAX) {
    for (const role of roles) lists.push(Array.from(doc.querySelectorAll(`[role="${role}"]`)));
  } else {
    const byRole: Element[] = [];
    for (let i = 0; i < withRole.length; i++) {
      const el = withRole[i]!;
      if (roles.includes(el.getAttribute('role') ?? '')) byRole.push(el);
    }
    lists.push(byRole);
  }
  // Each list is in document order; merged they are too, and an element in two lists (a
  // <footer role="contentinfo">) is kept once — what one selector list would have returned.
  return lists.reduce(mergeInDocumentOrder, []);
}

function mergeInDocumentOrder(a: Element[], b: Element[]): Element[] {
  if (!a.length) return b;
  if (!b.length) return a;
  const out: Element[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      out.push(x);
      i++;
      j++;
    } else if (x.compareDocumentPosition(y) & 4 /* Node.DOCUMENT_POSITION_FOLLOWING: y after x */) {
      out.push(x);
      i++;
    } else {
      out.push(y);
      j++;
    }
  }
  for (; i < a.length; i++) out.push(a[i]!);
  for (; j < b.length; j++) out.push(b[j]!);
  return out;
}

/** Links inside `containers`, in order, each once (containers may nest), at most `max`. */
function linksIn(containers: readonly Element[], max: number): (HTMLAnchorElement | HTMLAreaElement)[] {
  const out: (HTMLAnchorElement | HTMLAreaElement)[] = [];
  const taken = new Set<Element>();
  for (const box of containers) {
    // Indexed, not Array.from: a large box's NodeList would get a wrapper per link even past `max`.
    const inBox = box.querySelectorAll('a[href], area[href]');
    for (let i = 0; i < inBox.length; i++) {
      const a = inBox[i]!;
      if (taken.has(a)) continue;
      taken.add(a);
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
    // The text first: whitespace-only nodes (often many between tags) then cost no parent lookup.
    // The parent check compares localName (lowercase for HTML and SVG elements alike) instead of a
    // regex on tagName: each DOM call from the content script's world is costly.
    const t = n.nodeValue?.trim();
    if (!t) continue;
    const parent = n.parentElement;
    if (parent && SKIP_TEXT_OF.has(parent.localName)) continue;
    parts.push(t);
    chars += t.length + 1;
    if (chars >= FACTS_LIMITS.textSampleChars) return { text: parts.join(' ').slice(0, FACTS_LIMITS.textSampleChars), truncated: true };
  }
  return { text: parts.join(' '), truncated: false };
}

const SKIP_TEXT_OF = new Set(['script', 'style', 'noscript', 'template', 'svg']);

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

  // Meta tags: the lone tag selector runs on Chromium's fast path (~0.05 ms on a 15,000-element
  // page; 'meta[property], meta[name]' took ~0.35 ms). Still the whole document, not just <head>:
  // some pages write og: tags into the body. The first 200 with a property or name count, as
  // before; at most 1,000 are looked at (product pages can carry thousands of microdata metas).
  const meta: Record<string, string> = {};
  const metas = doc.querySelectorAll('meta');
  for (let i = 0, named = 0; i < metas.length && i < 1000 && named < 200; i++) {
    const el = metas[i]!;
    const name = el.getAttribute('property') ?? el.getAttribute('name');
    if (name === null) continue;
    named++;
    const key = name.toLowerCase();
    if (META_KEYS.includes(key) && !(key in meta)) meta[key] = clip(el.getAttribute('content'), FACTS_LIMITS.metaChars);
  }

  const links: CollectedLink[] = [];
  const seen = new Set<Element>();
  let truncated = false;
  // 1. The footer first: that is where imprint and privacy links are expected (SPEC § 4).
  // Containers first, then their links: a selector like "footer a[href]" would check every link's
  // ancestors (measured: 2-4 ms on a 5,000-link page).
  const withRole = doc.querySelectorAll('[role]');
  for (const a of linksIn(landmarks(doc, ['footer'], ['contentinfo'], withRole), FACTS_LIMITS.footerLinks)) {
    const c = candidateOf(a, ctx);
    seen.add(a);
    if (c) links.push(c);
  }
  // 2. Navigation and header links (natively selected: cheap), then all other links from the end
  //    of the page backwards, within a time budget: on social profiles and link-in-bio pages the
  //    bio and link list always, elsewhere only links that look interesting.
  const keepAll = ctx.socialPlatform || ctx.linkInBio;
  const all = doc.links;
  const navLinks = linksIn(landmarks(doc, ['nav', 'header'], ['navigation', 'banner'], withRole), FACTS_LIMITS.footerLinks);
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
