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
  /** On a platform page: the account's own links (bio, fields, link list) sent at most. */
  ownerLinks: 100,
  /** The account's own text (name, category, bio, profile fields), lines joined by "\n". */
  ownerTextChars: 4000,
  /** Labels of badges (verified, parody, government) next to the account's name. */
  badges: 20,
  /** Text right before a link in the bio ("Impressum: <a>…</a>"), its label when the link shows a URL. */
  beforeChars: 80,
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
  /** Bio links only: the label written right before the link ("Datenschutz:"), if any. */
  before: v.optional(str(FACTS_LIMITS.beforeChars)),
  /** Bio links the platform marks verified (Mastodon's `dl.verified` field: a rel="me" back-link). */
  verified: v.optional(v.boolean()),
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
  /** The page carries Mastodon's own markup (any instance; lib/page/platforms.ts MASTODON_MARKERS). */
  mastodon: v.optional(v.boolean()),
  /**
   * On a platform page: whether the account's own elements (lib/page/platforms.ts `owner`) were
   * found, their text (one line per text node) and the labels of badges shown there. Absent on
   * other pages and in facts stored by older versions.
   */
  owner: v.optional(
    v.strictObject({
      found: v.boolean(),
      text: str(FACTS_LIMITS.ownerTextChars),
      badges: v.pipe(v.array(str(FACTS_LIMITS.labelChars)), v.maxLength(FACTS_LIMITS.badges)),
    }),
  ),
});

export type PageFacts = v.InferOutput<typeof PageFactsSchema>;
export type CollectedLink = v.InferOutput<typeof LinkCandidateSchema>;

/** Parses untrusted input; null when it is not exactly a PageFacts (extra keys, oversize, wrong types). */
export function parsePageFacts(input: unknown): PageFacts | null {
  const result = v.safeParse(PageFactsSchema, input);
  return result.success ? result.output : null;
}

// Cheap pre-filter for links outside footer/nav/header: words that legal, contact, messenger and
// bio links use in many languages, hosts of redirectors and link-in-bio services, and the hosts
// and path shape ("/@name": Mastodon and other fediverse servers) of the site's own channels. The exact
// rules (rules.json link_patterns) run in the background on what passes.
const INTERESTING =
  /impress|imprint|legal|colo(?:ph|f)on|mentions|aviso|note.?legal|nota.?legal|datenschutz|privacy|privac|privé|confidential|donn[ée]es|dsgvo|gdpr|rgpd|avg|prywatn|polityk|ochron|cookie|kontakt|contact|about[-_ ]?us|über[-_ ]uns|ueber[-_]uns|whatsapp|wa\.me|t\.me|telegram|signal\.(?:me|group)|threema|l\.instagram|l\.facebook|l\.threads|linktr|beacons|lnk\.bio|bio\.link|linkin\.bio|instagram\.com|facebook\.com|tiktok\.com|twitter\.com|\/\/(?:www\.)?x\.com|youtube\.com|linkedin\.com|threads\.(?:net|com)|bsky\.app|\/@/i;

const META_KEYS = [
  'og:title',
  'og:description',
  'og:type',
  'og:site_name',
  'og:url',
  'description',
  'author',
  'twitter:title',
  'twitter:site',
  'al:android:url',
  'profile:username',
];

type RegionContext = { linkInBio: boolean };

function clip(s: string | null | undefined, max: number): string {
  if (!s) return '';
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? t.slice(0, max) : t;
}

function regionOf(a: Element, ctx: RegionContext): CollectedLink['region'] {
  if (a.closest('footer, [role="contentinfo"]')) return 'footer';
  if (a.closest('nav, [role="navigation"]')) return 'nav';
  if (a.closest('header, [role="banner"]')) return 'header';
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
function landmarks(
  doc: Document,
  tags: readonly string[],
  roles: readonly string[],
  withRole: ArrayLike<Element>,
): Element[] {
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
    if (chars >= FACTS_LIMITS.textSampleChars)
      return { text: parts.join(' ').slice(0, FACTS_LIMITS.textSampleChars), truncated: true };
  }
  return { text: parts.join(' '), truncated: false };
}

const SKIP_TEXT_OF = new Set(['script', 'style', 'noscript', 'template', 'svg']);

export interface CollectOptions {
  /** Lets the page breathe between slices (the content script passes a setTimeout/scheduler.yield). */
  yieldToPage?: () => Promise<void>;
  now?: () => number;
  /**
   * On a platform page: the selector of the account's own elements (lib/page/platforms.ts
   * `owner`). Their links are sent as region 'bio', their text as `owner.text`.
   */
  ownerSelector?: string;
  /** Inside those: a link the platform marks verified (lib/page/platforms.ts `verifiedLink`). */
  verifiedSelector?: string;
  linkInBio?: boolean;
  /** The page carries Mastodon's markup (reported as `mastodon`). */
  mastodon?: boolean;
}

/** Inside the account's elements, these hold posts, tabs and platform navigation, not the account's own words. */
const NOT_OWNER =
  'article, [role="article"], [data-pressable-container], [role="tablist"], nav, footer, [role="navigation"], [role="contentinfo"], [role="dialog"]';
/** Badge labels whose colour matters (X: a grey check is a government or multilateral organisation). */
const VERIFIED_LABEL = /verifi|best(?:ä|ae)tigt|gepr(?:ü|ue)ft/i;

/** The outermost elements matching `selector`, in document order (a nested match is read with its root). */
function ownerRoots(doc: Document, selector: string): Element[] {
  let list: NodeListOf<Element>;
  try {
    list = doc.querySelectorAll(selector);
  } catch {
    return [];
  }
  const roots: Element[] = [];
  for (let i = 0; i < list.length && roots.length < 50; i++) {
    const el = list[i]!;
    // Document order: an ancestor always comes before its descendants.
    if (roots.some((r) => r.contains(el))) continue;
    roots.push(el);
  }
  return roots;
}

function insideSkipped(node: Element, root: Element): boolean {
  const skip = node.closest(NOT_OWNER);
  return skip !== null && skip !== root && root.contains(skip);
}

/**
 * The label written right before a bio link: "Impressum: <a>", "<dt>Datenschutz</dt><dd><a>",
 * "<span>Legal notice</span><br><a>". Climbs out of wrappers that hold nothing but the link; stops
 * at another link (then the text before belongs to that one).
 */
function labelBefore(a: Element, root: Element): string {
  let node: Element = a;
  const own = (a.textContent ?? '').trim();
  for (let depth = 0; depth < 3; depth++) {
    let sib = node.previousSibling;
    for (let k = 0; sib && k < 3; k++, sib = sib.previousSibling) {
      if (sib.nodeType === 1 && ((sib as Element).localName === 'a' || (sib as Element).querySelector('a'))) return '';
      const t = sib.textContent?.replace(/\s+/g, ' ').trim();
      if (t) return t.slice(-FACTS_LIMITS.beforeChars);
    }
    const parent = node.parentElement;
    if (node === root || !parent || !root.contains(parent) || (parent.textContent ?? '').trim() !== own) return '';
    node = parent;
  }
  return '';
}

interface OwnerFacts {
  links: CollectedLink[];
  elements: Set<Element>;
  owner: NonNullable<PageFacts['owner']>;
}

function collectOwner(doc: Document, selector: string, verifiedSelector: string | undefined): OwnerFacts {
  const roots = ownerRoots(doc, selector);
  const links: CollectedLink[] = [];
  const elements = new Set<Element>();
  const lines: string[] = [];
  let chars = 0;
  const badges: string[] = [];
  for (const root of roots) {
    const anchors: Element[] = root.matches('a[href], area[href]')
      ? [root]
      : Array.from(root.querySelectorAll('a[href], area[href]'));
    for (const a of anchors) {
      if (links.length >= FACTS_LIMITS.ownerLinks || elements.has(a) || insideSkipped(a, root)) continue;
      elements.add(a);
      const c = candidateOf(a as HTMLAnchorElement, { linkInBio: false });
      if (!c) continue;
      c.region = 'bio';
      const before = labelBefore(a, root);
      if (before) c.before = before;
      if (verifiedSelector && a.closest(verifiedSelector)) c.verified = true;
      links.push(c);
    }
    const walker = doc.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
    for (let n = walker.nextNode(); n && chars < FACTS_LIMITS.ownerTextChars; n = walker.nextNode()) {
      const t = n.nodeValue?.replace(/\s+/g, ' ').trim();
      const parent = n.parentElement;
      if (!t || !parent || SKIP_TEXT_OF.has(parent.localName) || insideSkipped(parent, root)) continue;
      if (lines[lines.length - 1] === t) continue;
      lines.push(t);
      chars += t.length + 1;
    }
    for (const el of Array.from(
      root.querySelectorAll('svg[aria-label], img[alt], [role="img"][aria-label], svg > title'),
    )) {
      if (badges.length >= FACTS_LIMITS.badges) break;
      const label = clip(el.getAttribute('aria-label') ?? el.getAttribute('alt') ?? el.textContent, 120);
      if (!label || badges.some((b) => b.startsWith(label))) continue;
      // The colour of a verification mark tells X's grey (government) check from the blue and gold ones.
      const colourOf = el.localName === 'title' ? el.parentElement : el;
      const colour = VERIFIED_LABEL.test(label) && colourOf ? getComputedStyle(colourOf).color : '';
      badges.push(colour ? `${label}|${colour}` : label);
    }
  }
  return {
    links,
    elements,
    owner: { found: roots.length > 0, text: lines.join('\n').slice(0, FACTS_LIMITS.ownerTextChars), badges },
  };
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
  const ctx: RegionContext = { linkInBio: Boolean(opts.linkInBio) };

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

  // 0. On a platform page, the account's own elements first: only their links are the account's.
  const ownerFacts = opts.ownerSelector ? collectOwner(doc, opts.ownerSelector, opts.verifiedSelector) : null;
  const links: CollectedLink[] = ownerFacts ? [...ownerFacts.links] : [];
  const seen = new Set<Element>(ownerFacts?.elements ?? []);
  let truncated = false;
  // 1. The footer first: that is where imprint and privacy links are expected (SPEC § 4).
  // Containers first, then their links: a selector like "footer a[href]" would check every link's
  // ancestors (measured: 2-4 ms on a 5,000-link page).
  const withRole = doc.querySelectorAll('[role]');
  for (const a of linksIn(landmarks(doc, ['footer'], ['contentinfo'], withRole), FACTS_LIMITS.footerLinks)) {
    if (seen.has(a)) continue;
    const c = candidateOf(a, ctx);
    seen.add(a);
    if (c) links.push(c);
  }
  // 2. Navigation and header links (natively selected: cheap), then all other links from the end
  //    of the page backwards, within a time budget: on social profiles and link-in-bio pages the
  //    link list always, elsewhere only links that look interesting.
  const keepAll = ctx.linkInBio;
  const all = doc.links;
  const navLinks = linksIn(
    landmarks(doc, ['nav', 'header'], ['navigation', 'banner'], withRole),
    FACTS_LIMITS.footerLinks,
  );
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
    // Navigation first, then the page's links: link-list pages in document order (the owner's
    // links come first), other pages from the end backwards (legal links sit near the end).
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
      if (
        !INTERESTING.test(c.href) &&
        !INTERESTING.test(c.text) &&
        !INTERESTING.test(c.title ?? '') &&
        !INTERESTING.test(c.ariaLabel ?? '')
      )
        continue;
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
    ...(opts.mastodon ? { mastodon: true } : {}),
    ...(ownerFacts ? { owner: ownerFacts.owner } : {}),
  };
}

/**
 * Characters of one tab's facts kept in storage.session (the copy a restarted worker builds its
 * checks from). storage.session holds 10 MB for the whole extension and a link-heavy page's facts
 * measured ~0.64 MB, so ~14 such tabs filled it; at this cap about 150 do (docs/security.md,
 * known gap 14).
 */
export const FACTS_STORAGE_CHARS = 64_000;

/** Which links a stored copy keeps first: the owner's and the footer's, where legal links live. */
const REGION_PRIORITY: Record<CollectedLink['region'], number> = {
  bio: 0,
  footer: 1,
  'link-list': 2,
  header: 3,
  nav: 4,
  main: 5,
  other: 6,
};

/**
 * The facts as stored for a worker restart: the facts themselves when they fit `maxChars` (as
 * JSON), else with the links kept by region priority (bio, footer, link list, header, nav, main,
 * other; page order within) and the text sample cut until they fit, and `truncated` set. Still
 * valid PageFacts (parsePageFacts). Pure.
 */
export function factsForStorage(facts: PageFacts, maxChars = FACTS_STORAGE_CHARS): PageFacts {
  if (JSON.stringify(facts).length <= maxChars) return facts;
  const base: PageFacts = { ...facts, links: [], textSample: '', truncated: true };
  let used = JSON.stringify(base).length;
  // Half the room for the text sample at most, so the links a restarted worker ranks stay.
  const textSample = facts.textSample.slice(0, Math.max(0, Math.floor((maxChars - used) / 2)));
  used += JSON.stringify(textSample).length - 2;
  const order = facts.links
    .map((link, i) => ({ link, i }))
    .sort((a, b) => REGION_PRIORITY[a.link.region] - REGION_PRIORITY[b.link.region] || a.i - b.i);
  const kept: { link: CollectedLink; i: number }[] = [];
  for (const entry of order) {
    const size = JSON.stringify(entry.link).length + 1;
    if (used + size > maxChars) continue;
    kept.push(entry);
    used += size;
  }
  kept.sort((a, b) => a.i - b.i);
  return { ...base, textSample, links: kept.map((k) => k.link) };
}
