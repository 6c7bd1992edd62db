/**
 * Page checks: from what the content script saw (lib/page/facts.ts) and the fetched imprint and
 * privacy pages to a result per document. Pure: fetching and caching happen in the background
 * (entrypoints/background/legal-docs.ts), which hands in what it got as `FetchedDoc`.
 */
import type { AnalysedState, DocStatus } from '../legal/doc-status';
import { htmlToText } from '../legal/html-text';
import { type ImprintAnalysis, analyseImprint } from '../legal/imprint';
import type { PageFacts } from './facts';
import {
  type LegalLinks,
  type LinkCandidate,
  type RankedLink,
  findLegalLinks,
  isOpaqueRedirect,
  unwrapRedirector,
  urlsInText,
} from './links';
import { type MessengerChannel, findCommentsOffClaims, findDmInvitations, findMessengerChannels } from './messaging';
import { type ChannelLink, type OwnChannel, channelOf, namedInNotice, ownChannelsOf } from './channels';
import { isLinkInBioHost, platformSpec, socialPlatformOf } from './platforms';
import { siteOfHost } from '../site';
import { type PlatformHints, pageHintsOf } from './hints';
import { type PrivacyAnalysis, analysePrivacyNotice } from '../legal/privacy-notice';

export type LegalDocKind = 'imprint' | 'privacy';

/** What the background fetched for a legal-page URL. Text is at most MAX_DOC_TEXT characters. */
export interface FetchedDoc {
  url: string;
  finalUrl: string;
  fetchedAt: number;
  /** HTTP status; 0 for a network error, timeout or refused URL. */
  status: number;
  contentType: string;
  /** Readable text (HTML already converted), or '' when nothing usable came back. */
  text: string;
  /** The page's links (HTML only, at most MAX_DOC_LINKS): a linked website's imprint link is looked up here. */
  links?: LinkCandidate[];
  /** The text from the element the URL's fragment names on, when it names one (a combined imprint/notice page). */
  section?: string;
  truncated: boolean;
  error: string | null;
  /**
   * The fetch touched the local network (a local name or address on some hop, or refused because
   * of one; lib/page/fetch-guard.ts). Such a doc serves only pages of the scope that fetched it and
   * is never cached on disk. Absent in docs cached by older versions.
   */
  localNetwork?: boolean;
}

export const MAX_DOC_TEXT = 400_000;

export type { DocStatus };

export interface LegalDocCheck<A> {
  status: DocStatus;
  /** The link we followed (best-ranked candidate), or null when none was found. */
  link: RankedLink | null;
  fetched: Omit<FetchedDoc, 'text'> | null;
  analysis: A | null;
  /** Why the status is unreachable / not-checked, in plain words. */
  reason: string | null;
}

/** A link in a social profile's bio, with platform redirectors unwrapped. */
export interface BioLink {
  url: string;
  host: string;
  text: string;
  /** Went through l.instagram.com, l.facebook.com … (the platform sees the click). */
  viaRedirector: boolean;
  /** Points to a link-in-bio service (linktr.ee, beacons.ai, …; rules.json link_in_bio_hosts). */
  linkInBio: boolean;
  /** The platform marks the link verified (Mastodon: the page links back with rel="me"). */
  verified?: boolean;
}

export const MAX_BIO_LINKS = 10;

function resolvedSite(href: string, base: string): string | null {
  try {
    return siteOfHost(new URL(href, base).hostname);
  } catch {
    return null;
  }
}

/** "https://www.stadt-a.de/x/" and "stadt-a.de/x" alike: how a link is shown, for telling a display from a URL. */
function displayKey(s: string): string {
  return s
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/^www\./, '')
    .replace(/\/+$/, '');
}

/**
 * The links that are the page owner's own (rules.json link_patterns: the platform's own legal
 * pages never count for the owner). On a profile: the links among the account's own elements
 * (lib/page/platforms.ts `owner`) and the URLs written in its bio or description — LinkedIn and
 * WhatsApp do not turn them into links — never the platform's navigation, posts or footer. On a
 * link-in-bio page: its links, without the service's own (footer, privacy page, sign-up). On a
 * website: all links.
 */
export function ownerCandidates(facts: PageFacts, hints: PlatformHints): LinkCandidate[] {
  if (hints.platform) {
    const own: LinkCandidate[] = facts.links.filter((c) => c.region === 'bio');
    // A link's own text ("stadt-a.de/impressum" over an l.instagram.com link) is a display, not a
    // second link: its real target is the link's.
    const shown = new Set(own.map((c) => displayKey(c.text)));
    const text = [hints.ownerText, hints.description ?? ''].join('\n');
    for (const t of urlsInText(text)) {
      if (shown.has(displayKey(t.url))) continue;
      own.push({ href: t.url, text: t.url, region: 'bio', ...(t.label ? { before: t.label } : {}) });
    }
    return own;
  }
  if (hints.linkInBio) {
    const pageSite = resolvedSite(facts.url, facts.url);
    return facts.links.filter((c) => c.region !== 'footer' && resolvedSite(c.href, facts.url) !== pageSite);
  }
  return facts.links;
}

/** Links in the bio of a social profile (or on a link-in-bio page) that leave the platform. */
export function bioLinksOf(
  facts: PageFacts,
  candidates: readonly LinkCandidate[] = ownerCandidates(facts, pageHintsOf(facts)),
): BioLink[] {
  let page: URL;
  try {
    page = new URL(facts.url);
  } catch {
    return [];
  }
  if (!socialPlatformOf(page.hostname) && !facts.mastodon && !isLinkInBioHost(page.hostname)) return [];
  const pageSite = siteOfHost(page.hostname);
  const out: BioLink[] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    if (out.length >= MAX_BIO_LINKS) break;
    let resolved: URL;
    try {
      resolved = new URL(c.href, page);
    } catch {
      continue;
    }
    if (resolved.protocol !== 'http:' && resolved.protocol !== 'https:') continue;
    const target = unwrapRedirector(resolved.href, c.text);
    if (isOpaqueRedirect(target)) continue;
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      continue;
    }
    if (
      (url.protocol !== 'http:' && url.protocol !== 'https:') ||
      siteOfHost(url.hostname) === pageSite ||
      seen.has(url.href)
    )
      continue;
    seen.add(url.href);
    out.push({
      url: url.href,
      host: url.hostname,
      text: c.text,
      viaRedirector: target !== resolved.href,
      linkInBio: isLinkInBioHost(url.hostname),
      ...(c.verified ? { verified: true } : {}),
    });
  }
  return out;
}

export interface PagePlan {
  links: LegalLinks;
  bioLinks: BioLink[];
  messengers: MessengerChannel[];
  dmInvitations: string[];
  /** The account's own words that comments are off for data protection (rules.json R-AUTH-08). */
  commentsOffClaims: string[];
  hints: PlatformHints;
  /** The channels the page links as its own (lib/page/channels.ts). */
  channels: ChannelLink[];
}

/** Everything the page itself shows; computed once per report of the content script. */
export function planPageChecks(facts: PageFacts): PagePlan {
  const hints = pageHintsOf(facts);
  const own = ownerCandidates(facts, hints);
  const bioLinks = bioLinksOf(facts, own);
  // On a profile the account's own words are its bio and description; elsewhere the page's text.
  const ownText = hints.platform ? [hints.ownerText, hints.description ?? ''].join('\n') : facts.textSample;
  // A channel page's links to its own platform (t.me/<this channel>) are no contact offer.
  const pageSite = resolvedSite(facts.url, facts.url);
  const contactCandidates = hints.platform ? own.filter((c) => resolvedSite(c.href, facts.url) !== pageSite) : own;
  return {
    links: findLegalLinks(own, facts.url),
    bioLinks,
    messengers: findMessengerChannels(contactCandidates, ownText),
    dmInvitations: findDmInvitations(ownText),
    commentsOffClaims: findCommentsOffClaims(ownText),
    hints,
    channels: ownChannelsOf(own, facts.url),
  };
}

/** Links kept from a fetched page (its imprint link is all a corroboration needs). */
export const MAX_DOC_LINKS = 200;

/** The named entities link texts use in practice (German umlauts, dashes, soft hyphens); others stay as written. */
const ENTITY: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  shy: '\u00ad',
  ndash: '–',
  mdash: '—',
  middot: '·',
  auml: 'ä',
  ouml: 'ö',
  uuml: 'ü',
  Auml: 'Ä',
  Ouml: 'Ö',
  Uuml: 'Ü',
  szlig: 'ß',
  eacute: 'é',
  egrave: 'è',
  copy: '©',
};
function decodeEntities(s: string): string {
  return s.replace(/&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|([a-z]{2,8}));/gi, (m, dec: string, hex: string, name: string) => {
    const code = dec ? Number(dec) : hex ? Number.parseInt(hex, 16) : -1;
    if (code >= 0) return code <= 0x10ffff ? String.fromCodePoint(code) : m;
    return ENTITY[name] ?? ENTITY[name.toLowerCase()] ?? m;
  });
}

const ANCHOR = /<a\b([^>]{0,2000})>([\s\S]{0,2000}?)<\/a\s*>/gi;
const HREF_ATTR = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i;

/**
 * The links of an HTML page, string-based (no DOM in the worker): href and text, 'footer' when
 * inside a <footer>, at most MAX_DOC_LINKS. Enough to find a page's imprint link.
 */
export function linksInHtml(html: string): LinkCandidate[] {
  if (typeof html !== 'string' || html === '') return [];
  const body = html.length > MAX_DOC_TEXT * 2 ? html.slice(0, MAX_DOC_TEXT * 2) : html;
  const footers: [number, number][] = [];
  const open = /<footer\b/gi;
  for (let m = open.exec(body); m && footers.length < 20; m = open.exec(body)) {
    const end = body.toLowerCase().indexOf('</footer', m.index);
    footers.push([m.index, end < 0 ? body.length : end]);
  }
  const out: LinkCandidate[] = [];
  ANCHOR.lastIndex = 0;
  for (let m = ANCHOR.exec(body); m && out.length < MAX_DOC_LINKS; m = ANCHOR.exec(body)) {
    const h = HREF_ATTR.exec(m[1] ?? '');
    const href = decodeEntities((h?.[1] ?? h?.[2] ?? h?.[3] ?? '').trim());
    if (!href || href.length > 2048) continue;
    const text = decodeEntities((m[2] ?? '').replace(/<[^>]*>/g, ' '))
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 200);
    const inFooter = footers.some(([from, to]) => m!.index > from && m!.index < to);
    out.push({ href, text, region: inFooter ? 'footer' : 'main' });
  }
  ANCHOR.lastIndex = 0;
  return out;
}

/**
 * The HTML from the element a fragment names (`id` or `name`) to the end, or null: where a page
 * that holds both the imprint and the privacy notice begins its notice ("…/impressum-datenschutz/#datenschutz").
 */
function htmlFromFragment(html: string, fragment: string): string | null {
  const id = fragment.replace(/^#/, '');
  if (!id || id.length > 100) return null;
  let name = id;
  try {
    name = decodeURIComponent(id);
  } catch {
    // keep the raw id
  }
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`<[a-z][a-z0-9]*\\b[^>]*\\b(?:id|name)\\s*=\\s*["']?${escaped}["'\\s>]`, 'i').exec(html);
  return m ? html.slice(m.index) : null;
}

/**
 * Converts a fetched response body into readable text, by content type; HTML also gives its links
 * and, when the URL had a fragment naming an element, the text from that element on (`section`).
 */
export function readableText(
  body: string,
  contentType: string,
  fragment = '',
): { text: string; truncated: boolean; links?: LinkCandidate[]; section?: string } | null {
  const type = contentType.toLowerCase();
  if (type.includes('html') || type === '') {
    const r = htmlToText(body);
    const from = fragment ? htmlFromFragment(body, fragment) : null;
    const section = from && from.length < body.length ? htmlToText(from).text.slice(0, MAX_DOC_TEXT) : undefined;
    return {
      text: r.text.slice(0, MAX_DOC_TEXT),
      truncated: r.truncated || r.text.length > MAX_DOC_TEXT,
      links: linksInHtml(body),
      ...(section ? { section } : {}),
    };
  }
  if (type.startsWith('text/plain'))
    return { text: body.slice(0, MAX_DOC_TEXT), truncated: body.length > MAX_DOC_TEXT };
  return null;
}

function docCheck<A extends { status: AnalysedState }>(
  link: RankedLink | null,
  doc: FetchedDoc | null | 'pending',
  fetchingEnabled: boolean,
  analyse: (text: string) => A,
): LegalDocCheck<A> {
  if (!link) return { status: 'missing', link: null, fetched: null, analysis: null, reason: null };
  if (!fetchingEnabled)
    return {
      status: 'not-checked',
      link,
      fetched: null,
      analysis: null,
      reason: 'fetching legal pages is turned off in the settings',
    };
  if (doc === null || doc === 'pending')
    return { status: 'pending', link, fetched: null, analysis: null, reason: null };
  const { text, links: _links, section: _section, ...fetched } = doc;
  if (doc.error || doc.status < 200 || doc.status >= 300) {
    const reason = doc.error ?? `HTTP ${doc.status}`;
    return { status: 'unreachable', link, fetched, analysis: null, reason };
  }
  const analysis = analyse(text);
  return { status: analysis.status, link, fetched, analysis, reason: null };
}

/**
 * The imprint of the website a profile links, read to corroborate who runs the account
 * (rules.json authority_detection.platform_signals.linked_site_imprint). 'none': not needed or not
 * possible; 'pending': being fetched; 'done': finished (imprint null when none was found).
 */
export interface Corroboration {
  status: 'none' | 'pending' | 'done';
  /** The website or link page it started from. */
  from: string | null;
  imprint: { url: string; text: string } | null;
  /** URLs requested for it (at most MAX_CORROBORATION_FETCHES). */
  requested: string[];
}

export const NO_CORROBORATION: Corroboration = { status: 'none', from: null, imprint: null, requested: [] };
/** At most two requests per profile: the linked website (or link page), then its imprint. */
export const MAX_CORROBORATION_FETCHES = 2;

export interface PageChecks {
  pageUrl: string;
  hints: PlatformHints;
  imprint: LegalDocCheck<ImprintAnalysis>;
  privacy: LegalDocCheck<PrivacyAnalysis>;
  /** Other candidates, best first, for the user to check by hand. */
  alternatives: { imprint: RankedLink[]; privacy: RankedLink[] };
  bioLinks: BioLink[];
  messengers: MessengerChannel[];
  dmInvitations: string[];
  /** The account's own words that comments are off for data protection (rules.json R-AUTH-08). */
  commentsOffClaims: string[];
  /** The channels the page links as its own, and whether the notice names each (null: no notice read). */
  ownChannels: OwnChannel[];
  /** On a link-in-bio page: the service it runs on, and whether the notice names it. */
  ownService: OwnChannel | null;
  corroboration: Corroboration;
  linkCount: number;
  /** The page had more links or text than the content script reads: results are a lower bound. */
  truncated: boolean;
}

export function buildPageChecks(
  facts: PageFacts,
  plan: PagePlan,
  docs: { imprint: FetchedDoc | null | 'pending'; privacy: FetchedDoc | null | 'pending' },
  observedServiceIds: readonly string[],
  fetchingEnabled: boolean,
  corroboration: Corroboration = NO_CORROBORATION,
): PageChecks {
  const imprintLink = plan.links.imprint[0] ?? null;
  const privacyLink = plan.links.privacy[0] ?? null;
  // The imprint first: a notice that names the controller only by reference ("siehe Impressum")
  // is resolved against it (lib/legal/controller.ts).
  const imprint = docCheck(imprintLink, docs.imprint, fetchingEnabled, analyseImprint);
  const privacy = privacyAfterImprint(
    docCheck(privacyLink, docs.privacy, fetchingEnabled, (t) =>
      analysePrivacyNotice(t, observedServiceIds, { imprint: imprint.analysis }),
    ),
    imprint,
  );
  // On a page that holds both the imprint and the notice, the notice is its part from the privacy
  // link's fragment on: the imprint's list of profiles it covers (§ 5 DDG) does not inform anyone
  // about processing (Art. 13 GDPR).
  const privacyDoc = privacy.status === 'found' && docs.privacy && docs.privacy !== 'pending' ? docs.privacy : null;
  const samePage =
    imprintLink && privacyLink && imprintLink.url.replace(/#.*$/, '') === privacyLink.url.replace(/#.*$/, '');
  const noticeText = privacyDoc ? (samePage && privacyDoc.section) || privacyDoc.text : null;
  const service = plan.hints.linkInBio ? channelOf(facts.url) : null;
  return {
    pageUrl: facts.url,
    hints: plan.hints,
    imprint,
    privacy,
    alternatives: { imprint: plan.links.imprint.slice(1, 4), privacy: plan.links.privacy.slice(1, 4) },
    bioLinks: plan.bioLinks,
    messengers: plan.messengers,
    dmInvitations: plan.dmInvitations,
    commentsOffClaims: plan.commentsOffClaims,
    ownChannels: namedInNotice(plan.channels, noticeText),
    ownService: service ? (namedInNotice([service], noticeText)[0] ?? null) : null,
    corroboration,
    linkCount: facts.linkCount,
    truncated: facts.truncated,
  };
}

/**
 * While the imprint is still being fetched, a notice that refers to it for the controller cannot
 * be judged yet: it stays pending rather than showing "no controller" for a moment.
 */
function privacyAfterImprint(
  privacy: LegalDocCheck<PrivacyAnalysis>,
  imprint: LegalDocCheck<ImprintAnalysis>,
): LegalDocCheck<PrivacyAnalysis> {
  const a = privacy.analysis;
  if (imprint.status !== 'pending' || !a || a.elements.controller.found || !a.extras['controller-by-reference'].found)
    return privacy;
  return { ...privacy, status: 'pending', analysis: null };
}

/**
 * Services the notice should name beyond those observed as third parties: the platform the
 * profile is on, the link-in-bio service its bio points to, and WhatsApp when a profile or link
 * page offers it as a contact. A website's mere link is not processing (the site's own channels
 * are a fact of their own, `ownChannels`).
 */
export function channelServiceIds(plan: PagePlan, serviceIdOfHost: (host: string) => string | null): string[] {
  const ids = new Set<string>();
  const platformId = platformSpec(plan.hints.platform)?.serviceId;
  if (platformId) ids.add(platformId);
  for (const b of plan.bioLinks) {
    const id = serviceIdOfHost(b.host);
    if (id) ids.add(id);
  }
  if ((plan.hints.platform || plan.hints.linkInBio) && plan.messengers.some((m) => m.kind === 'whatsapp'))
    ids.add('whatsapp');
  return [...ids];
}

/**
 * Where a corroboration starts: on a profile or link page that links no imprint of its own, the
 * first website it links (not a platform, not a link page), else — on a profile — its link page.
 */
export function corroborationStart(plan: PagePlan): { url: string; kind: 'website' | 'link-page' } | null {
  if ((!plan.hints.platform && !plan.hints.linkInBio) || plan.links.imprint.length > 0) return null;
  const site = plan.bioLinks.find((b) => !b.linkInBio && !socialPlatformOf(b.host));
  if (site) return { url: site.url, kind: 'website' };
  const page = plan.hints.platform ? plan.bioLinks.find((b) => b.linkInBio) : undefined;
  return page ? { url: page.url, kind: 'link-page' } : null;
}

/** The imprint link on a fetched website or link page (its own imprint, not a platform's), or null. */
export function imprintLinkOf(doc: FetchedDoc): string | null {
  if (!doc.links?.length || doc.error) return null;
  return findLegalLinks(doc.links, doc.finalUrl || doc.url).imprint.find((l) => !l.weak)?.url ?? null;
}
