/**
 * Page-kind hints from what the page says about itself: platform (by host), link-in-bio host,
 * og: meta, and for social profiles the display name and @handle as the platforms put them into
 * og:title / og:description ("Jobcenter Musterstadt (@jobcenter_ms) • Instagram photos and videos").
 */
import type { PageFacts } from './facts';
import { type SocialPlatform, isLinkInBioHost, socialPlatformOf } from './platforms';

export interface PlatformHints {
  platform: SocialPlatform | null;
  linkInBio: boolean;
  title: string;
  siteName: string | null;
  description: string | null;
  /** Display name of a social profile or link-in-bio page, when the page states it. */
  profileName: string | null;
  handle: string | null;
}

const HANDLE_RE = /\(@([\p{L}\p{N}_.]{1,64})\)/u;
const NAME_BEFORE_HANDLE_RE = /(?:^|from |von )([^()•|]{2,120}?)\s*\(@[\p{L}\p{N}_.]{1,64}\)/u;

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

/** "Jobcenter Musterstadt | Linktree" -> "Jobcenter Musterstadt" (the service's own name is not the owner's). */
function stripServiceSuffix(title: string): string {
  return title.replace(/\s*[|•·–—-]\s*[^|•·–—-]{2,40}$/u, '').trim() || title.trim();
}

export function pageHintsOf(facts: PageFacts): PlatformHints {
  const host = hostOf(facts.url);
  const platform = socialPlatformOf(host);
  const ogTitle = facts.meta['og:title'] ?? '';
  const ogDescription = facts.meta['og:description'] ?? facts.meta.description ?? '';
  const handleSource = `${ogTitle} ${ogDescription}`;
  const handle = HANDLE_RE.exec(handleSource)?.[1] ?? null;
  const nameMatch = NAME_BEFORE_HANDLE_RE.exec(ogTitle) ?? NAME_BEFORE_HANDLE_RE.exec(ogDescription);
  const linkInBio = isLinkInBioHost(host);
  return {
    platform,
    linkInBio,
    title: facts.title,
    siteName: facts.meta['og:site_name'] ?? null,
    description: ogDescription || null,
    profileName: nameMatch?.[1]?.trim() ?? (linkInBio ? stripServiceSuffix(ogTitle || facts.title) || null : null),
    handle,
  };
}
