import { describe, expect, it } from 'vitest';
import { isOverlayUrl, startsNewVisit } from '@/lib/page/soft-navigation';

describe('startsNewVisit: which same-document URL changes show another page', () => {
  it('another path is another page; a trailing slash is not', () => {
    expect(startsNewVisit('https://www.instagram.com/', 'https://www.instagram.com/jobcenter_musterstadt/')).toBe(true);
    expect(
      startsNewVisit(
        'https://www.instagram.com/jobcenter_musterstadt',
        'https://www.instagram.com/jobcenter_musterstadt/',
      ),
    ).toBe(false);
    expect(startsNewVisit('https://shop.example/a', 'https://shop.example/b')).toBe(true);
  });

  it('a fragment-only change stays on the page', () => {
    expect(startsNewVisit('https://shop.example/a', 'https://shop.example/a#reviews')).toBe(false);
    expect(startsNewVisit('https://x.com/home#x', 'https://x.com/home#y')).toBe(false);
  });

  it('a query-only change stays on the page unless the platform says the parameter picks the page', () => {
    expect(startsNewVisit('https://shop.example/list', 'https://shop.example/list?page=2')).toBe(false);
    expect(
      startsNewVisit(
        'https://www.instagram.com/stadt_musterstadt/',
        'https://www.instagram.com/stadt_musterstadt/?igsh=abc',
      ),
    ).toBe(false);
    expect(startsNewVisit('https://www.youtube.com/watch?v=aaa', 'https://www.youtube.com/watch?v=bbb')).toBe(true);
    expect(startsNewVisit('https://www.youtube.com/watch?v=aaa', 'https://www.youtube.com/watch?v=aaa&t=42')).toBe(
      false,
    );
    expect(
      startsNewVisit('https://www.facebook.com/profile.php?id=1', 'https://www.facebook.com/profile.php?id=2'),
    ).toBe(true);
  });

  it('a post opened over a profile is no page of its own, nor is closing it; leaving it for another page is', () => {
    const profile = 'https://www.instagram.com/jobcenter_musterstadt/';
    // The visit's URL stays the profile's while the post dialog is open, so closing compares with it.
    expect(startsNewVisit(profile, 'https://www.instagram.com/p/C8xyz12/')).toBe(false);
    expect(startsNewVisit(profile, 'https://www.instagram.com/reel/C8xyz12/')).toBe(false);
    expect(startsNewVisit(profile, profile)).toBe(false);
    expect(startsNewVisit(profile, 'https://www.instagram.com/stadt_musterstadt/')).toBe(true);
    expect(
      startsNewVisit(
        'https://www.tiktok.com/@jobcenter.musterstadt',
        'https://www.tiktok.com/@jobcenter.musterstadt/video/7312345678901234567',
      ),
    ).toBe(false);
    expect(
      startsNewVisit('https://x.com/jobcenter', 'https://x.com/jobcenter/status/1790000000000000000/photo/1'),
    ).toBe(false);
    // Not an overlay on X: a post opened in the timeline is a page.
    expect(startsNewVisit('https://x.com/jobcenter', 'https://x.com/jobcenter/status/1790000000000000000')).toBe(true);
  });

  it('the overlay rule is the platform’s: the same path elsewhere is a page', () => {
    expect(startsNewVisit('https://blog.example/', 'https://blog.example/p/C8xyz12/')).toBe(true);
    expect(isOverlayUrl('https://www.instagram.com/p/C8xyz12/')).toBe(true);
    expect(isOverlayUrl('https://blog.example/p/C8xyz12/')).toBe(false);
  });

  it('another origin is always another page; garbage never starts one', () => {
    expect(startsNewVisit('https://www.instagram.com/', 'https://help.instagram.com/')).toBe(true);
    expect(startsNewVisit('not a url', 'https://a.example/')).toBe(false);
  });
});
