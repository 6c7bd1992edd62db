/**
 * Page checks: from what the content script saw (lib/page/facts.ts) and the fetched imprint and
 * privacy pages to a result per document. Pure: fetching and caching happen in the background
 * (entrypoints/background/legal-docs.ts), which hands in what it got as `FetchedDoc`.
 */
import { htmlToText } from '../legal/html-text';
import { type ImprintAnalysis, analyseImprint } from '../legal/imprint';
import type { PageFacts } from './facts';
import {
  type LegalLinks,
  type MessengerChannel,
  type RankedLink,
  findDmInvitations,
  findLegalLinks,
  findMessengerChannels,
  unwrapRedirector,
} from './links';
import { isLinkInBioHost } from './platforms';
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

export type DocStatus = 'present' | 'missing' | 'empty' | 'unreachable' | 'pending' | 'not-fetched';

export interface LegalDocCheck<A> {
  status: DocStatus;
  /** The link we followed (best-ranked candidate), or null when none was found. */
  link: RankedLink | null;
  fetched: Omit<FetchedDoc, 'text'> | null;
  analysis: A | null;
  /** Why the status is unreachable / not-fetched, in plain words. */
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
}

export const MAX_BIO_LINKS = 10;

/** Links in the bio of a social profile that leave the platform. */
export function bioLinksOf(facts: PageFacts): BioLink[] {
  let page: URL;
  try {
    page = new URL(facts.url);
  } catch {
    return [];
  }
  const pageSite = siteOfHost(page.hostname);
  const out: BioLink[] = [];
  const seen = new Set<string>();
  // On a link-in-bio page the link list plays the bio's part.
  const regions = isLinkInBioHost(page.hostname) ? ['bio', 'link-list'] : ['bio'];
  for (const c of facts.links) {
    if (!regions.includes(c.region) || out.length >= MAX_BIO_LINKS) continue;
    let resolved: URL;
    try {
      resolved = new URL(c.href, page);
    } catch {
      continue;
    }
    if (resolved.protocol !== 'http:' && resolved.protocol !== 'https:') continue;
    const target = unwrapRedirector(resolved.href);
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      continue;
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || siteOfHost(url.hostname) === pageSite || seen.has(url.href)) continue;
    seen.add(url.href);
    out.push({ url: url.href, host: url.hostname, text: c.text, viaRedirector: target !== resolved.href, linkInBio: isLinkInBioHost(url.hostname) });
  }
  return out;
}

export interface PagePlan {
  links: LegalLinks;
  bioLinks: BioLink[];
  messengers: MessengerChannel[];
  dmInvitations: string[];
  hints: PlatformHints;
}

/** Everything the page itself shows; computed once per report of the content script. */
export function planPageChecks(facts: PageFacts): PagePlan {
  const links = findLegalLinks(facts.links, facts.url);
  return {
    links,
    bioLinks: bioLinksOf(facts),
    messengers: findMessengerChannels(facts.links, facts.textSample),
    dmInvitations: findDmInvitations(facts.textSample),
    hints: pageHintsOf(facts),
  };
}

/** Converts a fetched response body into readable text, by content type. */
export function readableText(body: string, contentType: string): { text: string; truncated: boolean } | null {
  const type = contentType.toLowerCase();
  if (type.includes('html') || type === '') {
    const r = htmlToText(body);
    return { text: r.text.slice(0, MAX_DOC_TEXT), truncated: r.truncated || r.text.length > MAX_DOC_TEXT };
  }
  if (type.startsWith('text/plain')) return { text: body.slice(0, MAX_DOC_TEXT), truncated: body.length > MAX_DOC_TEXT };
  return null;
}

function docCheck<A extends { status: 'present' | 'empty' }>(
  link: RankedLink | null,
  doc: FetchedDoc | null | 'pending',
  fetchingEnabled: boolean,
  analyse: (text: string) => A,
): LegalDocCheck<A> {
  if (!link) return { status: 'missing', link: null, fetched: null, analysis: null, reason: null };
  if (!fetchingEnabled) return { status: 'not-fetched', link, fetched: null, analysis: null, reason: 'fetching legal pages is turned off in the settings' };
  if (doc === null || doc === 'pending') return { status: 'pending', link, fetched: null, analysis: null, reason: null };
  const { text, ...fetched } = doc;
  if (doc.error || doc.status < 200 || doc.status >= 300) {
    const reason = doc.error ?? `HTTP ${doc.status}`;
    return { status: 'unreachable', link, fetched, analysis: null, reason };
  }
  const analysis = analyse(text);
  return { status: analysis.status, link, fetched, analysis, reason: null };
}

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
): PageChecks {
  const imprintLink = plan.links.imprint[0] ?? null;
  const privacyLink = plan.links.privacy[0] ?? null;
  return {
    pageUrl: facts.url,
    hints: plan.hints,
    imprint: docCheck(imprintLink, docs.imprint, fetchingEnabled, analyseImprint),
    privacy: docCheck(privacyLink, docs.privacy, fetchingEnabled, (t) => analysePrivacyNotice(t, observedServiceIds)),
    alternatives: { imprint: plan.links.imprint.slice(1, 4), privacy: plan.links.privacy.slice(1, 4) },
    bioLinks: plan.bioLinks,
    messengers: plan.messengers,
    dmInvitations: plan.dmInvitations,
    linkCount: facts.linkCount,
    truncated: facts.truncated,
  };
}

/** rules.json service ids of the social platforms (the account's own channel must be named too). */
const PLATFORM_SERVICE: Record<string, string> = {
  instagram: 'instagram',
  facebook: 'facebook',
  x: 'x_twitter',
  tiktok: 'tiktok',
  linkedin: 'linkedin',
  youtube: 'youtube',
  threads: 'instagram',
};

/**
 * Services the notice should name beyond those observed as third parties: the platform the
 * profile is on, the link-in-bio service its bio points to, and WhatsApp when the page offers it
 * as a channel (issue "page checks": an authority's own channels count).
 */
export function channelServiceIds(plan: PagePlan, serviceIdOfHost: (host: string) => string | null): string[] {
  const ids = new Set<string>();
  const platformId = plan.hints.platform ? PLATFORM_SERVICE[plan.hints.platform] : undefined;
  if (platformId) ids.add(platformId);
  for (const b of plan.bioLinks) {
    const id = serviceIdOfHost(b.host);
    if (id) ids.add(id);
  }
  if (plan.messengers.some((m) => m.kind === 'whatsapp')) ids.add('whatsapp');
  return [...ids];
}
