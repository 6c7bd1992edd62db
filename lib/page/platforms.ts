/**
 * Which hosts are social platforms and link-in-bio services (rules.json `link_in_bio_hosts`;
 * social platforms per issue "verdict": instagram, facebook, tiktok, x, youtube, linkedin,
 * threads, mastodon). Small on purpose: the content script imports it.
 */
import { link_in_bio_hosts } from '../legal/rules.json';

export type SocialPlatform = 'instagram' | 'facebook' | 'tiktok' | 'x' | 'youtube' | 'linkedin' | 'threads' | 'mastodon';

const SOCIAL_HOSTS: Record<string, SocialPlatform> = {
  'instagram.com': 'instagram',
  'facebook.com': 'facebook',
  'fb.com': 'facebook',
  'tiktok.com': 'tiktok',
  'x.com': 'x',
  'twitter.com': 'x',
  'youtube.com': 'youtube',
  'linkedin.com': 'linkedin',
  'threads.net': 'threads',
  'threads.com': 'threads',
};

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

export function socialPlatformOf(host: string): SocialPlatform | null {
  for (const s of suffixes(host)) {
    const p = SOCIAL_HOSTS[s];
    if (p && Object.hasOwn(SOCIAL_HOSTS, s)) return p;
  }
  return null;
}

export function isLinkInBioHost(host: string): boolean {
  return suffixes(host).some((s) => LINK_IN_BIO.has(s));
}
