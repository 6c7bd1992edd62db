/**
 * Page-kind hints from what the page says about itself: the platform (by host, or Mastodon by its
 * markup), whether the page is an account's own page whose elements we can read (URL shape and
 * the platform's markup, lib/page/platforms.ts), link-in-bio host, og: meta, and for social
 * profiles the display name and handle (from the path, else from og:title / og:description as
 * the platforms write them: "Jobcenter Musterstadt (@jobcenter_ms) • Instagram photos and videos").
 */
import type { PageFacts } from './facts';
import { type SocialPlatform, isLinkInBioHost, profileHandleOf, socialPlatformOf } from './platforms';

export interface PlatformHints {
  platform: SocialPlatform | null;
  linkInBio: boolean;
  title: string;
  siteName: string | null;
  description: string | null;
  /** Display name of a social profile or link-in-bio page, when the page states it. */
  profileName: string | null;
  handle: string | null;
  /**
   * On a platform: the URL is an account's own page (profile, page, channel) and the page shows
   * the account's own elements. False on a login wall, an error page, a post, or markup we do not
   * understand — then nothing about the account can be judged (verdict grey).
   */
  profileReadable: boolean;
  /** What the account says about itself (name, category, bio, fields), one line per text; '' elsewhere. */
  ownerText: string;
  /** Labels of the badges next to the account's name ("Verifizierter Account|rgb(…)"). */
  badges: string[];
}

const HANDLE_RE = /\(@([\p{L}\p{N}_.]{1,64})\)/u;
const NAME_BEFORE_HANDLE_RE = /(?:^|from |von )([^()•|]{2,120}?)\s*\(@[\p{L}\p{N}_.@-]{1,120}\)/u;
/** "… auf TikTok", "… | LinkedIn", "… - YouTube", "… on Bluesky", "… | WhatsApp-Kanal", "… – Telegram". */
const PLATFORM_SUFFIX =
  /\s*(?:[|•·–—-]\s*|\s(?:auf|on)\s+)(?:Instagram|Facebook|TikTok|X|Twitter|YouTube|LinkedIn|Threads|Bluesky|WhatsApp(?:-Kanal| Channel)?|Telegram)\b.*$/iu;

function urlOf(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** "Jobcenter Musterstadt | Linktree" -> "Jobcenter Musterstadt" (the service's own name is not the owner's). */
function stripServiceSuffix(title: string): string {
  return title.replace(/\s*[|•·–—-]\s*[^|•·–—-]{2,40}$/u, '').trim() || title.trim();
}

export function pageHintsOf(facts: PageFacts): PlatformHints {
  const u = urlOf(facts.url);
  const host = u?.hostname ?? '';
  const platform: SocialPlatform | null = socialPlatformOf(host) ?? (facts.mastodon ? 'mastodon' : null);
  const ogTitle = facts.meta['og:title'] ?? '';
  const ogDescription = facts.meta['og:description'] ?? facts.meta.description ?? '';
  const linkInBio = !platform && isLinkInBioHost(host);

  let handle: string | null = null;
  let profileReadable = false;
  if (platform && u) {
    const fromPath = profileHandleOf(platform, u.pathname);
    if (fromPath !== null && fromPath !== '') {
      handle = platform === 'mastodon' && !fromPath.includes('@') ? `${fromPath}@${host}` : fromPath;
    }
    const owner = facts.owner;
    profileReadable = fromPath !== null && Boolean(owner?.found) && (owner?.text.trim() ?? '') !== '';
  }
  handle ??= HANDLE_RE.exec(`${ogTitle} ${ogDescription}`)?.[1] ?? null;

  const nameMatch =
    NAME_BEFORE_HANDLE_RE.exec(ogTitle) ??
    NAME_BEFORE_HANDLE_RE.exec(facts.title) ??
    NAME_BEFORE_HANDLE_RE.exec(ogDescription);
  let profileName = nameMatch?.[1]?.trim() ?? null;
  if (!profileName && platform && profileReadable)
    profileName = (ogTitle || facts.title).replace(PLATFORM_SUFFIX, '').trim() || null;
  if (!profileName && linkInBio) profileName = stripServiceSuffix(ogTitle || facts.title) || null;
  return {
    platform,
    linkInBio,
    title: facts.title,
    siteName: facts.meta['og:site_name'] ?? null,
    description: ogDescription || null,
    profileName,
    handle,
    profileReadable,
    ownerText: platform ? (facts.owner?.text ?? '') : '',
    badges: platform ? (facts.owner?.badges ?? []) : [],
  };
}
