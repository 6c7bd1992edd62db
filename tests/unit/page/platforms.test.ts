import { describe, expect, it } from 'vitest';
import {
  PLATFORMS,
  isLinkInBioHost,
  linkInBioHostOf,
  platformSpec,
  profileHandleOf,
  socialPlatformOf,
} from '@/lib/page/platforms';
import rules from '@/lib/legal/rules.json';

describe('socialPlatformOf: platforms by host (Mastodon by its markup instead)', () => {
  it.each([
    ['www.instagram.com', 'instagram'],
    ['m.facebook.com', 'facebook'],
    ['www.tiktok.com', 'tiktok'],
    ['x.com', 'x'],
    ['mobile.twitter.com', 'x'],
    ['www.youtube.com', 'youtube'],
    ['de.linkedin.com', 'linkedin'],
    ['www.threads.com', 'threads'],
    ['www.threads.net', 'threads'],
    ['bsky.app', 'bluesky'],
    ['whatsapp.com', 'whatsapp'],
    ['www.whatsapp.com', 'whatsapp'],
    ['t.me', 'telegram'],
  ])('%s → %s', (host, id) => {
    expect(socialPlatformOf(host)).toBe(id);
  });

  it('look-alike hosts, link-in-bio hosts and Mastodon instances are no platform by host', () => {
    for (const host of [
      'instagram.com.example.org',
      'notx.com',
      'linktr.ee',
      'social.bund.de',
      'mastodon.social',
      'www.stadt-a.de',
    ])
      expect(socialPlatformOf(host)).toBeNull();
    expect(isLinkInBioHost('linktr.ee')).toBe(true);
    expect(linkInBioHostOf('www.lnk.bio')).toBe('lnk.bio');
    expect(isLinkInBioHost('www.stadt-a.de')).toBe(false);
  });
});

describe("profileHandleOf: which paths are an account's own page", () => {
  const profile: [string, string, string][] = [
    ['instagram', '/landkreis_x/', 'landkreis_x'],
    ['facebook', '/gemeinde.y/', 'gemeinde.y'],
    ['facebook', '/landkreis-z/about/', 'landkreis-z'],
    ['tiktok', '/@jobcenter.u25', 'jobcenter.u25'],
    ['x', '/StadtA', 'StadtA'],
    ['youtube', '/@stadt-a', 'stadt-a'],
    ['youtube', '/channel/UCb3x9Qk2Lm7Vw1Pz0Ha5Rte', 'UCb3x9Qk2Lm7Vw1Pz0Ha5Rte'],
    ['youtube', '/c/LandesamtB/videos', 'LandesamtB'],
    ['linkedin', '/company/stadt-a/', 'stadt-a'],
    ['threads', '/@stadt.a', 'stadt.a'],
    ['bluesky', '/profile/stadt-a.de', 'stadt-a.de'],
    ['mastodon', '/@polizei', 'polizei'],
    ['mastodon', '/@kreis@norden.social', 'kreis@norden.social'],
    ['whatsapp', '/channel/0029VaKVBspLkRq7AbCdEf', '0029VaKVBspLkRq7AbCdEf'],
    ['telegram', '/s/warnungen_kreis', 'warnungen_kreis'],
    ['telegram', '/warnungen_kreis', 'warnungen_kreis'],
  ];
  it.each(profile)('%s %s', (platform, path, handle) => {
    expect(profileHandleOf(platform as never, path)).toBe(handle);
  });

  const notProfile: [string, string][] = [
    ['instagram', '/p/DAbc1xYz01/'],
    ['instagram', '/accounts/login/'],
    ['instagram', '/explore/locations/'],
    ['facebook', '/privacy/policy/'],
    ['facebook', '/login/'],
    ['x', '/i/flow/login'],
    ['x', '/StadtA/status/123'],
    ['x', '/tos'],
    ['youtube', '/watch'],
    ['youtube', '/t/impressum'],
    ['linkedin', '/legal/privacy-policy'],
    ['bluesky', '/search'],
    ['whatsapp', '/legal/privacy-policy-eea'],
    ['telegram', '/share/url'],
  ];
  it.each(notProfile)('%s %s is not a profile', (platform, path) => {
    expect(profileHandleOf(platform as never, path)).toBeNull();
  });
});

describe('the platform table', () => {
  it('has the eleven platforms, each with a rules.json service, product names and its markers', () => {
    expect(PLATFORMS.map((p) => p.id).sort()).toEqual([
      'bluesky',
      'facebook',
      'instagram',
      'linkedin',
      'mastodon',
      'telegram',
      'threads',
      'tiktok',
      'whatsapp',
      'x',
      'youtube',
    ]);
    for (const p of PLATFORMS) {
      expect(
        rules.services.some((s) => s.id === p.serviceId),
        p.id,
      ).toBe(true);
      expect(p.aliases.length, p.id).toBeGreaterThan(0);
      expect(p.owner.length, p.id).toBeGreaterThan(0);
    }
    // One id map: the platform id, the rules.json service id, the report's service id.
    expect(platformSpec('x')?.serviceId).toBe('x_twitter');
    expect(platformSpec('threads')?.serviceId).toBe('threads');
    expect(platformSpec('nope')).toBeNull();
  });

  it('every platform counts as commercial by itself (only a public-sector Mastodon instance does not: isCommercialPresence)', () => {
    for (const p of PLATFORMS) expect(p.commercial, p.id).toBe(true);
  });
});
