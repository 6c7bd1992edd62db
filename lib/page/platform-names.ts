/**
 * The platforms' ids and display names, apart from their recognition table (lib/page/platforms.ts,
 * which reads rules.json): the popup shows a name without loading the legal rules (a 150 KB chunk
 * that every opening would parse).
 */
export type SocialPlatform =
  | 'instagram'
  | 'facebook'
  | 'tiktok'
  | 'x'
  | 'youtube'
  | 'linkedin'
  | 'threads'
  | 'bluesky'
  | 'mastodon'
  | 'whatsapp'
  | 'telegram';

export const PLATFORM_NAMES: Readonly<Record<SocialPlatform, string>> = {
  instagram: 'Instagram',
  facebook: 'Facebook',
  tiktok: 'TikTok',
  x: 'X',
  youtube: 'YouTube',
  linkedin: 'LinkedIn',
  threads: 'Threads',
  bluesky: 'Bluesky',
  mastodon: 'Mastodon',
  whatsapp: 'WhatsApp',
  telegram: 'Telegram',
};

/** The display name of a platform id from a report (null for none or an unknown id). */
export function platformName(id: string | null | undefined): string | null {
  return id && Object.hasOwn(PLATFORM_NAMES, id) ? PLATFORM_NAMES[id as SocialPlatform] : null;
}
