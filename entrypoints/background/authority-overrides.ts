/**
 * The user's own "this is / is not an authority" choice, remembered per site (websites) or per
 * account (social profiles: platform + handle) in storage.local. It wins over the recognition.
 */
import { browser } from 'wxt/browser';
import { siteOfUrl } from '@/lib/site';
import type { Report } from '@/lib/verdict/report';

const KEY = 'authorityOverrides';

export function authorityKeyOf(url: string, platform: string | null, handle: string | null): string {
  if (platform && handle) return `${platform}:${handle.toLowerCase()}`;
  if (platform) {
    try {
      const first = new URL(url).pathname.split('/').filter(Boolean)[0];
      if (first) return `${platform}:${first.toLowerCase()}`;
    } catch {
      // fall through to the site
    }
  }
  return siteOfUrl(url) ?? url;
}

export const authorityKey = (report: Report): string => authorityKeyOf(report.url, report.platform, report.page.handle);

async function all(): Promise<Record<string, boolean>> {
  try {
    const stored = (await browser.storage.local.get(KEY))[KEY];
    return stored && typeof stored === 'object' ? (stored as Record<string, boolean>) : {};
  } catch {
    return {};
  }
}

export async function authorityOverride(key: string): Promise<boolean | null> {
  const value = (await all())[key];
  return typeof value === 'boolean' ? value : null;
}

export async function setAuthorityOverride(key: string, value: boolean | null): Promise<void> {
  const current = await all();
  if (value === null) delete current[key];
  else current[key] = value;
  await browser.storage.local.set({ [KEY]: current });
}
