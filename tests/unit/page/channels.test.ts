import { describe, expect, it } from 'vitest';
import { channelAliases, channelOf, namedInNotice, ownChannelsOf } from '@/lib/page/channels';
import type { LinkCandidate } from '@/lib/page/links';

const PAGE = 'https://www.landkreis-a.de/';
const link = (
  href: string,
  text = '',
  region: LinkCandidate['region'] = 'footer',
  extra: Partial<LinkCandidate> = {},
): LinkCandidate => ({ href, text, region, ...extra });

describe('channelOf', () => {
  it('recognises profiles of every platform, link pages and Mastodon accounts on any instance', () => {
    const cases: [string, string | null][] = [
      ['https://www.instagram.com/landkreis_a/', 'instagram'],
      ['https://www.facebook.com/landkreis.a/', 'facebook'],
      ['https://www.tiktok.com/@landkreis.a', 'tiktok'],
      ['https://twitter.com/LandkreisA', 'x'],
      ['https://www.youtube.com/c/LandkreisA', 'youtube'],
      ['https://www.linkedin.com/company/landkreis-a/', 'linkedin'],
      ['https://www.threads.net/@landkreis.a', 'threads'],
      ['https://bsky.app/profile/landkreis-a.de', 'bluesky'],
      ['https://whatsapp.com/channel/0029VaAbCdEfGhIjKl', 'whatsapp'],
      ['https://t.me/s/landkreis_a_info', 'telegram'],
      ['https://social.bund.de/@amt', 'mastodon'],
      ['https://linktr.ee/landkreis_a', 'linktree'],
      ['https://lnk.bio/landkreis_a', 'lnk.bio'],
      // Not channels: posts, the platforms' own pages, a link page service's own pages, plain sites.
      ['https://www.instagram.com/p/C0ffee/', null],
      ['https://x.com/LandkreisA/status/1', null],
      ['https://www.facebook.com/privacy/policy/', null],
      ['https://linktr.ee/s/privacy/', null],
      ['https://www.landkreis-b.de/', null],
      ['https://medium.com/@someone', null],
      ['mailto:a@b.de', null],
    ];
    for (const [url, id] of cases) expect(channelOf(url)?.id ?? null, url).toBe(id);
  });

  it('t.me/<name> is a contact unless labelled as a channel; a fediverse path needs a hint', () => {
    expect(channelOf('https://t.me/kreis_a')).toBeNull();
    expect(channelOf('https://t.me/kreis_a', 'Telegram-Kanal')?.id).toBe('telegram');
    expect(channelOf('https://t.me/kreis_a', 'Our Telegram channel')?.id).toBe('telegram');
    expect(channelOf('https://example.org/@kreis')).toBeNull();
    expect(channelOf('https://example.org/@kreis', '', 'me noopener')?.id).toBe('mastodon');
    expect(channelOf('https://example.org/@kreis', 'Folgen Sie uns im Fediverse')?.id).toBe('mastodon');
    expect(channelOf('https://troet.cafe/@kreis')?.id).toBe('mastodon');
  });
});

describe('ownChannelsOf', () => {
  it('header icons, a "Folgen Sie uns" list in the text and redirect-wrapped links, each once', () => {
    const found = ownChannelsOf(
      [
        link('https://www.instagram.com/landkreis_a/', '', 'header', { ariaLabel: 'Instagram' }),
        link('https://www.instagram.com/landkreis_a', 'Instagram', 'footer'),
        link('https://l.facebook.com/l.php?u=https%3A%2F%2Fwww.facebook.com%2Flandkreis.a%2F', 'Facebook', 'main'),
        link('https://norden.social/@KreisA', 'Mastodon', 'main', { rel: 'me noopener' }),
        link('/kontakt/', 'Kontakt', 'nav'),
        link('https://wa.me/49301234', 'WhatsApp', 'main'),
      ],
      PAGE,
    );
    expect(found.map((c) => c.id)).toEqual(['instagram', 'facebook', 'mastodon']);
    expect(found[1]?.url).toBe('https://www.facebook.com/landkreis.a/');
  });

  it("a page's links to its own host are no channel; a sibling host on the same domain is", () => {
    expect(ownChannelsOf([link('https://social.bund.de/@other')], 'https://social.bund.de/@amt')).toEqual([]);
    expect(
      ownChannelsOf([link('https://social.bund.de/@amt', 'Mastodon')], 'https://www.amt.bund.de/').map((c) => c.id),
    ).toEqual(['mastodon']);
  });
});

describe('namedInNotice', () => {
  const notice = [
    'Datenschutzerklärung',
    'Unsere Auftritte in sozialen Netzwerken',
    'Instagram: Anbieter ist Meta Platforms Ireland Limited.',
    'Wir sind auch im Fediverse (Mastodon) und bei X (ehemals Twitter) vertreten.',
    'Für unsere Link-Seite nutzen wir Lnk.Bio.',
  ].join('\n');
  it('by the product names the notice uses, in varied wording; the operator alone names no platform', () => {
    const channels = [
      'https://www.instagram.com/kreis_a/',
      'https://www.facebook.com/kreis.a/',
      'https://x.com/KreisA',
      'https://norden.social/@KreisA',
      'https://lnk.bio/kreis_a',
      'https://linktr.ee/kreis_a',
    ]
      .map((u) => channelOf(u))
      .filter((c) => c !== null);
    expect(namedInNotice(channels, notice).map((c) => `${c.id}:${c.namedInNotice}`)).toEqual([
      'instagram:true',
      // "Meta Platforms Ireland" runs Facebook too, but the notice never says the body is on Facebook.
      'facebook:false',
      'x:true',
      'mastodon:true',
      'lnk.bio:true',
      // Linktree's generic alias "Link-in-Bio" does not name Linktree.
      'linktree:false',
    ]);
  });

  it('null when no notice was read', () => {
    expect(namedInNotice([channelOf('https://x.com/a')!], null)[0]?.namedInNotice).toBeNull();
  });

  it('a Mastodon account is also named by its instance host', () => {
    expect(channelAliases(channelOf('https://social.bund.de/@amt')!)).toContain('social.bund.de');
    expect(
      namedInNotice([channelOf('https://social.bund.de/@amt')!], 'Wir betreiben einen Account auf social.bund.de.')[0]
        ?.namedInNotice,
    ).toBe(true);
  });
});
