/**
 * The social platforms and messenger channels the product recognises, as one table: which hosts
 * (and, for Mastodon, which markup) a platform has, which URL paths are an account's own page,
 * where on that page the account's own words and links sit, which rules.json service the platform
 * is, and whether it counts as a commercial platform for R-AUTH-01/01B. The markers are the
 * platforms' public, logged-out markup; docs/ARCHITECTURE.md ("Platform markers") lists them with
 * their sources. Small on purpose: the content script imports it.
 */
import { link_in_bio_hosts } from '../legal/rules.json';
import { PLATFORM_NAMES } from './platform-names';

export type { SocialPlatform } from './platform-names';
import type { SocialPlatform } from './platform-names';

export interface PlatformSpec {
  id: SocialPlatform;
  /** Display name. */
  name: string;
  /** Host suffixes (registrable domains and their subdomains). Mastodon has none: any instance. */
  hosts: readonly string[];
  /** rules.json `services[].id` of the platform (observed-service naming, classifier). */
  serviceId: string;
  /**
   * The names a privacy notice uses for a presence on the platform: the product's own names only.
   * The operator's name ("Meta Platforms Ireland") names the company, not which of its platforms
   * the body uses, so it does not count for the body's own channels (lib/page/channels.ts).
   */
  aliases: readonly string[];
  /**
   * Counts as a commercial platform for R-AUTH-01/01B ("authority on a platform that profiles its
   * users"): every platform except a Mastodon instance run by a public body, which
   * `isCommercialPresence` decides per instance (rules.json `mastodon_instances`).
   */
  commercial: boolean;
  /** Paths of an account's own page (profile, page, channel); group 1 is the handle. */
  profilePaths: readonly RegExp[];
  /**
   * The elements that hold what the account says about itself (name, bio, category, profile
   * fields, its links, highlights) — never the platform's navigation, posts or footer.
   */
  owner: string;
  /** Inside `owner`: links the platform marks verified (Mastodon profile fields with a rel="me" back-link). */
  verifiedLink?: string;
}

/** Instagram paths that are the platform's, not an account's. */
const IG_RESERVED =
  'p|reel|reels|explore|accounts|stories|direct|tv|legal|about|developer|web|emails|challenge|session|graphql|api|privacy|terms';
const FB_RESERVED =
  'login|privacy|policies|policy|help|legal|business|watch|groups|events|marketplace|gaming|recover|settings|ads|pages|people|profile\\.php|l\\.php|r\\.php|reg|home\\.php|share|sharer|dialog|plugins|tr';
const X_RESERVED =
  'home|explore|i|settings|search|tos|privacy|login|logout|signup|notifications|messages|compose|hashtag|intent|share|account|download|jobs';
const TG_RESERVED = 'share|addstickers|addemoji|joinchat|proxy|socks|iv|login|setlanguage|addtheme|contact|k|a|z';

export const PLATFORMS: readonly PlatformSpec[] = [
  {
    id: 'instagram',
    name: PLATFORM_NAMES.instagram,
    hosts: ['instagram.com', 'instagr.am'],
    serviceId: 'instagram',
    aliases: ['Instagram', 'instagr.am'],
    commercial: true,
    profilePaths: [new RegExp(`^/(?!(?:${IG_RESERVED})(?:/|$))([A-Za-z0-9._]{1,30})/?$`)],
    // The profile header: display name, category, bio, links, highlights.
    owner: 'main header',
  },
  {
    id: 'facebook',
    name: PLATFORM_NAMES.facebook,
    hosts: ['facebook.com', 'fb.com'],
    serviceId: 'facebook',
    aliases: ['Facebook', 'Facebook-Seite', 'Facebook-Auftritt', 'Facebook page', 'Fanpage'],
    commercial: true,
    profilePaths: [
      new RegExp(
        `^/(?!(?:${FB_RESERVED})(?:/|$))([A-Za-z0-9.\\-]{3,80})(?:/(?:about|about_profile_transparency|about_contact_and_basic_info))?/?$`,
      ),
      /^\/profile\.php$/,
      /^\/people\/([^/]+)\/\d+\/?$/,
      /^\/pages\/([^/]+)\/\d+\/?$/,
    ],
    // The page's name and its "Intro" tiles (category, address, contact, website, imprint field).
    owner: '[role="main"] h1, [data-pagelet^="ProfileTilesFeed"], [data-pagelet="ProfileActions"]',
  },
  {
    id: 'tiktok',
    name: PLATFORM_NAMES.tiktok,
    hosts: ['tiktok.com'],
    serviceId: 'tiktok',
    aliases: ['TikTok'],
    commercial: true,
    profilePaths: [/^\/@([A-Za-z0-9._]{2,24})\/?$/],
    owner: '[data-e2e="user-title"], [data-e2e="user-subtitle"], [data-e2e="user-bio"], [data-e2e="user-link"]',
  },
  {
    id: 'x',
    name: PLATFORM_NAMES.x,
    hosts: ['x.com', 'twitter.com'],
    serviceId: 'x_twitter',
    aliases: [
      'Twitter',
      'X (Twitter)',
      'X (ehemals Twitter)',
      'X (vormals Twitter)',
      'X, formerly Twitter',
      'Plattform X',
      'Kurznachrichtendienst X',
      'X-Account',
      'x.com',
    ],
    commercial: true,
    // X allows 15 characters in new handles; older and reserved ones differ, so the length is not checked.
    profilePaths: [new RegExp(`^/(?!(?:${X_RESERVED})(?:/|$))([A-Za-z0-9_]{1,50})/?$`)],
    owner:
      '[data-testid="UserName"], [data-testid="UserDescription"], [data-testid="UserProfileHeader_Items"], [data-testid="UserParodyLabel"], [data-testid="UserProfessionalCategory"]',
  },
  {
    id: 'youtube',
    name: PLATFORM_NAMES.youtube,
    hosts: ['youtube.com'],
    serviceId: 'youtube',
    aliases: ['YouTube', 'YouTube-Kanal', 'YouTube channel'],
    commercial: true,
    profilePaths: [
      /^\/@([\w.-]{1,100})(?:\/(?:featured|videos|about|streams|shorts|playlists|community|podcasts))?\/?$/,
      /^\/channel\/(UC[\w-]{22})(?:\/(?:featured|videos|about|streams|shorts|playlists|community))?\/?$/,
      /^\/c\/([^/]{1,100})(?:\/(?:featured|videos|about|streams|shorts|playlists|community))?\/?$/,
      /^\/user\/([^/]{1,100})(?:\/(?:featured|videos|about|streams|shorts|playlists|community))?\/?$/,
    ],
    // The channel header and the "About" dialog (description, links, details).
    owner:
      '#page-header, ytd-c4-tabbed-header-renderer, #description-container, #link-list-container, ytd-about-channel-renderer',
  },
  {
    id: 'linkedin',
    name: PLATFORM_NAMES.linkedin,
    hosts: ['linkedin.com'],
    serviceId: 'linkedin',
    aliases: ['LinkedIn'],
    commercial: true,
    profilePaths: [/^\/(?:company|school|showcase)\/([^/]{1,100})(?:\/about)?\/?$/, /^\/in\/([^/]{1,100})\/?$/],
    // The guest page's top card and its "About" section (description, website, industry, type).
    owner: '.top-card-layout__entity-info, [data-test-id="about-us"]',
  },
  {
    id: 'threads',
    name: PLATFORM_NAMES.threads,
    hosts: ['threads.net', 'threads.com'],
    serviceId: 'threads',
    aliases: ['Threads', 'Threads.net', 'Threads.com'],
    commercial: true,
    profilePaths: [/^\/@([A-Za-z0-9._]{1,30})\/?$/],
    // Threads has no stable class names; the account's header is the main region's start, its
    // posts are pressable containers (left out by ownerText's skip list).
    owner: '[role="main"]',
  },
  {
    id: 'bluesky',
    name: PLATFORM_NAMES.bluesky,
    hosts: ['bsky.app'],
    serviceId: 'bluesky',
    aliases: ['Bluesky', 'bsky.app', 'bsky.social'],
    commercial: true,
    profilePaths: [/^\/profile\/([^/]{1,253})\/?$/],
    owner: '[data-testid^="profileHeader"]',
  },
  {
    id: 'mastodon',
    name: PLATFORM_NAMES.mastodon,
    hosts: [],
    serviceId: 'mastodon',
    aliases: ['Mastodon', 'Fediverse'],
    commercial: true,
    profilePaths: [/^\/@([A-Za-z0-9_]{1,30}(?:@[^/]+)?)\/?$/, /^\/users\/([A-Za-z0-9_]{1,30})\/?$/],
    // Web UI (account_fields.tsx) and the older server-rendered profile (accounts/_header, _bio).
    owner:
      '.account__header__tabs__name, .account__header__content, .account__header__fields, .account__header__bio, .public-account-header__tabs__name, .public-account-bio',
    verifiedLink: '.verified',
  },
  {
    id: 'whatsapp',
    name: PLATFORM_NAMES.whatsapp,
    hosts: ['whatsapp.com'],
    serviceId: 'whatsapp',
    aliases: ['WhatsApp', 'WhatsApp-Kanal', 'WhatsApp Channel', 'WhatsApp Business'],
    commercial: true,
    profilePaths: [/^\/channel\/([A-Za-z0-9]{10,40})\/?$/],
    // A channel's public page: the main region is the channel card (name, description, follow button).
    owner: 'main',
  },
  {
    id: 'telegram',
    name: PLATFORM_NAMES.telegram,
    hosts: ['t.me', 'telegram.me'],
    serviceId: 'telegram',
    aliases: ['Telegram', 'Telegram-Kanal', 'Telegram channel'],
    commercial: true,
    profilePaths: [
      /^\/s\/([A-Za-z0-9_]{4,32})\/?$/,
      new RegExp(`^/(?!(?:${TG_RESERVED})(?:/|$))([A-Za-z0-9_]{4,32})/?$`),
    ],
    owner:
      '.tgme_channel_info_header_title, .tgme_channel_info_header_username, .tgme_channel_info_description, .tgme_page_title, .tgme_page_description, .tgme_page_extra',
  },
];

const BY_ID = new Map<SocialPlatform, PlatformSpec>(PLATFORMS.map((p) => [p.id, p]));
const BY_HOST = new Map<string, PlatformSpec>(PLATFORMS.flatMap((p) => p.hosts.map((h) => [h, p] as const)));

export function platformSpec(id: string | null | undefined): PlatformSpec | null {
  return (id && BY_ID.get(id as SocialPlatform)) || null;
}

const LINK_IN_BIO: ReadonlySet<string> = new Set(
  link_in_bio_hosts.flatMap((row) => ('host' in row && typeof row.host === 'string' ? [row.host] : [])),
);

function suffixes(host: string): string[] {
  const out: string[] = [];
  let h = host.toLowerCase().replace(/\.$/, '');
  for (;;) {
    out.push(h);
    const dot = h.indexOf('.');
    if (dot < 0) return out;
    h = h.slice(dot + 1);
  }
}

/** The platform a host belongs to (Mastodon instances are recognised from their markup instead). */
export function socialPlatformOf(host: string): SocialPlatform | null {
  for (const s of suffixes(host)) {
    const p = BY_HOST.get(s);
    if (p) return p.id;
  }
  return null;
}

export function isLinkInBioHost(host: string): boolean {
  return suffixes(host).some((s) => LINK_IN_BIO.has(s));
}

/** The link-in-bio host entry (rules.json `link_in_bio_hosts[].host`) a host falls under, or null. */
export function linkInBioHostOf(host: string): string | null {
  return suffixes(host).find((s) => LINK_IN_BIO.has(s)) ?? null;
}

/**
 * Mastodon's own markup, whatever the instance: the profile page links its ActivityPub actor
 * (`<link rel="alternate" type="application/activity+json">`, app/views/accounts/show.html.haml)
 * and the web app mounts into `<div id="mastodon">` (app/views/home/index.html.haml).
 */
export const MASTODON_MARKERS = 'link[rel="alternate"][type="application/activity+json"], div#mastodon';

/** The handle in an account page's path, or null when the path is not an account's own page. */
export function profileHandleOf(platform: SocialPlatform, pathname: string): string | null {
  const spec = BY_ID.get(platform);
  if (!spec) return null;
  let path = pathname;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    // keep the raw path
  }
  for (const re of spec.profilePaths) {
    const m = re.exec(path);
    if (m) return m[1] ?? '';
  }
  return null;
}
