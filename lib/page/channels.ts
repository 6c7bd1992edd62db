/**
 * The page's own channels: the social profiles, messenger channels and link pages a site (or an
 * account) links as its own — "follow us" icons in the header or footer, a "Folgen Sie uns" list,
 * a contact page, rel="me" — and whether its privacy notice names each (Art. 13(1)(e) GDPR; the
 * finding for a public body's unnamed channels is rules.json R-AUTH-07). Contact links (wa.me,
 * t.me/<person>) are messenger contacts (lib/page/links.ts), not channels: no link is both.
 *
 * One id per channel: the platform id ('x', 'instagram' …, lib/page/platforms.ts) for platforms;
 * for link pages the report id of the rules.json service ('linktree') or, when rules.json has
 * none, the link-in-bio host ('lnk.bio'). Pure, bounded, never throws.
 */
import rules from '../legal/rules.json';
import { mentionOf } from '../legal/privacy-notice';
import { type LinkCandidate, unwrapRedirector } from './links';
import { CHANNEL_LABEL } from './messaging';
import { type SocialPlatform, linkInBioHostOf, platformSpec, profileHandleOf, socialPlatformOf } from './platforms';

export interface ChannelLink {
  id: string;
  /** The profile or link page (redirectors unwrapped). */
  url: string;
  /** Set for social platforms and messenger channels; null for link pages. */
  platform: SocialPlatform | null;
}

export interface OwnChannel {
  id: string;
  url: string;
  /** The privacy notice names the channel; null when no notice was read. */
  namedInNotice: boolean | null;
}

export const MAX_OWN_CHANNELS = 30;

/** Mastodon-shaped paths on hosts we do not know: "/@name" or "/@name@instance". */
const FEDIVERSE_PATH = /^\/@[A-Za-z0-9_]{1,30}(?:@[^/]+)?\/?$/;
const FEDIVERSE_HINT = /mastodon|fediverse|tr(?:ö|oe)t|toot/i;
const FEDIVERSE_HOST = /(?:^|[.-])(?:social|masto|mastodon|toot|fedi|troet)(?:[.-]|$)/i;
const MASTODON_INSTANCES: ReadonlySet<string> = new Set(
  rules.authority_detection.mastodon_instances.hosts.map((h) => hostName(h)),
);
/** Pages of a link-in-bio service itself (its privacy page, sign-up), not someone's link page. */
const SERVICE_PAGE =
  /^\/(?:s|privacy|privacy-policy|terms|legal|login|signup|register|discover|help|about|blog|pricing|en|de)(?:[/.]|$)/i;

function hostName(h: string): string {
  try {
    return new URL(`https://${h}/`).hostname;
  } catch {
    return h.toLowerCase();
  }
}

/** rules.json service id → report id of the link-in-bio services rules.json knows by host. */
const LINK_PAGE_SERVICE = new Map<string, string>(
  rules.services
    .filter((s) => s.category === 'link_in_bio')
    .flatMap((s) => s.hosts.map((h) => [h, s.id.replace(/_/g, '-')] as const)),
);

/** The channel a URL is, or null. `label` is the link's text/aria-label/title, `rel` its rel. */
export function channelOf(href: string, label = '', rel = ''): ChannelLink | null {
  let u: URL;
  try {
    u = new URL(href);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  const host = u.hostname.toLowerCase();
  const platform = socialPlatformOf(host);
  if (platform) {
    const handle = profileHandleOf(platform, u.pathname);
    if (handle === null) return null;
    // t.me/<name> may be a person or a group (a contact); a channel when labelled as one.
    if (platform === 'telegram' && !/^\/s\//.test(u.pathname) && !CHANNEL_LABEL.test(label)) return null;
    return { id: platform, url: u.href, platform };
  }
  if (
    FEDIVERSE_PATH.test(u.pathname) &&
    (MASTODON_INSTANCES.has(host) || /\bme\b/i.test(rel) || FEDIVERSE_HINT.test(label) || FEDIVERSE_HOST.test(host))
  ) {
    return { id: 'mastodon', url: u.href, platform: 'mastodon' };
  }
  const lib = linkInBioHostOf(host);
  if (lib && u.pathname.length > 1 && !SERVICE_PAGE.test(u.pathname)) {
    return { id: LINK_PAGE_SERVICE.get(lib) ?? lib, url: u.href, platform: null };
  }
  return null;
}

function labelOf(c: LinkCandidate): string {
  return [c.text, c.ariaLabel, c.title].filter(Boolean).join(' ');
}

const bareHost = (h: string): string => h.toLowerCase().replace(/^www\./, '');

/**
 * The channels among a page's links, each once (by id and URL without query or trailing slash),
 * at most MAX_OWN_CHANNELS. Links to the page's own host are not channels (a Mastodon instance's
 * links to its own accounts, a platform's links to itself). The host, not the site: a federal
 * office on www.beispielamt.bund.de has its own channel on social.bund.de.
 */
export function ownChannelsOf(candidates: readonly LinkCandidate[], pageUrl: string): ChannelLink[] {
  let pageHost = '';
  try {
    pageHost = bareHost(new URL(pageUrl).hostname);
  } catch {
    // no page host: nothing is excluded
  }
  const out: ChannelLink[] = [];
  const seen = new Set<string>();
  for (const c of Array.isArray(candidates) ? candidates.slice(0, 5000) : []) {
    if (out.length >= MAX_OWN_CHANNELS) break;
    if (!c || typeof c.href !== 'string' || c.href.length > 4096) continue;
    let resolved: string;
    try {
      resolved = new URL(c.href.trim(), pageUrl).href;
    } catch {
      continue;
    }
    const ch = channelOf(unwrapRedirector(resolved, c.text), labelOf(c), c.rel ?? '');
    if (!ch) continue;
    let key = ch.url;
    try {
      const u = new URL(ch.url);
      if (bareHost(u.hostname) === pageHost) continue;
      key = `${ch.id} ${u.hostname}${u.pathname.replace(/\/+$/, '')}`.toLowerCase();
    } catch {
      continue;
    }
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(ch);
  }
  return out;
}

/**
 * The names a notice may use for a channel: the platform's product names (lib/page/platforms.ts
 * `aliases`; a Mastodon account also by its instance's host), or the link page's service name and host.
 */
export function channelAliases(ch: Pick<ChannelLink, 'id' | 'url' | 'platform'>): string[] {
  let host = '';
  try {
    host = new URL(ch.url).hostname;
  } catch {
    // keep ''
  }
  const spec = platformSpec(ch.platform);
  if (spec) return ch.platform === 'mastodon' && host ? [...spec.aliases, host] : [...spec.aliases];
  const service = rules.services.find((s) => s.id === ch.id.replace(/-/g, '_'));
  const lib = linkInBioHostOf(host);
  const row = rules.link_in_bio_hosts.find((r) => 'host' in r && r.host === lib);
  const name = row && 'service' in row ? row.service.replace(/\s*\(.*\)\s*$/, '') : null;
  // A service's generic aliases ("Link in Bio") say nothing about which one: only its own names.
  const own = (service?.aliases ?? []).filter((a) => !/^link[-\s]in[-\s]bio$/i.test(a));
  return [...new Set([...own, name, lib, ch.id].filter((x): x is string => Boolean(x)))];
}

/** Each channel with whether the notice (readable text, or null when none was read) names it. */
export function namedInNotice(channels: readonly ChannelLink[], noticeText: string | null): OwnChannel[] {
  return channels.map((ch) => ({
    id: ch.id,
    url: ch.url,
    namedInNotice: noticeText === null ? null : mentionOf(noticeText, channelAliases(ch)) === 'named',
  }));
}
