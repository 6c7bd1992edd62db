// Remote Google Fonts (R-TRK-03) and embeds loaded without a click (R-TRK-04): the facts from a
// real tally classified with the real tracker data, on varied pages, and the findings they raise.
import { beforeAll, describe, expect, it } from 'vitest';
import { type Classifier, createClassifier } from '@/lib/parties/classify';
import { loadTrackerIndex } from '@/lib/parties/trackers';
import { summariseParties } from '@/lib/parties/summary';
import { reduceTally } from '@/lib/tally/reduce';
import type { TallyEvent, TallyState, Visit } from '@/lib/tally/types';
import { evaluateFindings } from '@/lib/verdict/findings';
import {
  type ThirdPartyContentFacts,
  embedsEvidence,
  googleFontsEvidence,
  thirdPartyContentFacts,
} from '@/lib/verdict/third-party-content';
import { DEFAULT_FACTS } from '../helpers/verdict-facts';
import { realTrackerData } from '../helpers/real-data';

let classifier: Classifier;
beforeAll(() => {
  classifier = createClassifier({ trackers: loadTrackerIndex(realTrackerData()), ipTable: null });
});

const TAB = 7;
const T0 = Date.UTC(2026, 11, 7, 9, 0, 0);
let n = 0;
const req = (url: string, type: string, afterMs: number, requestId = String(++n)): TallyEvent => ({
  kind: 'request',
  tabId: TAB,
  frameId: type === 'main_frame' ? 0 : 1,
  requestId,
  url,
  type,
  timeStamp: T0 + afterMs,
});

function visitOf(page: string, requests: [url: string, type: string, afterMs: number][]): Visit {
  const state = [req(page, 'main_frame', 0), ...requests.map(([u, t, ms]) => req(u, t, ms))].reduce<TallyState>(
    reduceTally,
    {},
  );
  return state[TAB]!;
}

function factsOf(visit: Visit, firstInteractionAt: number | null = null): ThirdPartyContentFacts {
  const parties = summariseParties(visit, classifier);
  return thirdPartyContentFacts(
    parties.groups,
    new Map(visit.hosts.map((h) => [h.host, h])),
    visit.startedAt,
    firstInteractionAt,
  );
}

const PAGE = 'https://www.stadt-beispiel.de/';

describe('remote Google Fonts', () => {
  it("the style sheet and the font files from Google's hosts, with when they were first requested", () => {
    const f = factsOf(
      visitOf(PAGE, [
        ['https://fonts.googleapis.com/css2?family=Roboto:wght@400;700&display=swap', 'stylesheet', 120],
        ['https://fonts.gstatic.com/s/roboto/v30/KFOmCnqEu92Fr1Mu4mxK.woff2', 'font', 340],
        ['https://fonts.gstatic.com/s/roboto/v30/KFOlCnqEu92Fr1MmWUlfBBc4.woff2', 'font', 360],
      ]),
    );
    expect(f.googleFonts).toEqual([
      { host: 'fonts.googleapis.com', afterMs: 120 },
      { host: 'fonts.gstatic.com', afterMs: 340 },
    ]);
    expect(googleFontsEvidence(f.googleFonts)).toBe('fonts.googleapis.com +0.1 s, fonts.gstatic.com +0.3 s');
    expect(f.embeds).toEqual([]);
  });

  it('font files alone (a CSS file inlined by the site) count too', () => {
    const f = factsOf(
      visitOf(PAGE, [['https://fonts.gstatic.com/s/opensans/v40/mem8YaGs126MiZpBA-UFVZ0b.woff2', 'font', 80]]),
    );
    expect(f.googleFonts.map((h) => h.host)).toEqual(['fonts.gstatic.com']);
  });

  it('self-hosted fonts, other font services and Google Fonts loaded only after a click do not count', () => {
    const f = factsOf(
      visitOf(PAGE, [
        ['https://www.stadt-beispiel.de/assets/fonts/roboto-v30-latin-regular.woff2', 'font', 100],
        ['https://fonts.bunny.net/css?family=roboto:400', 'stylesheet', 110],
        ['https://use.typekit.net/abc1def.css', 'stylesheet', 120],
        ['https://fonts.googleapis.com/css?family=Lato', 'stylesheet', 5_000],
      ]),
      T0 + 4_000,
    );
    expect(f.googleFonts).toEqual([]);
  });

  it('a font file only probed in the cache (net::ERR_CACHE_MISS, never sent) was not loaded; the real request after a probe is', () => {
    const FONT = 'https://fonts.gstatic.com/s/roboto/v30/KFOmCnqEu92Fr1Mu4mxK.woff2';
    const probe = (id: string): TallyEvent[] => [
      req(FONT, 'font', 90, id),
      {
        kind: 'error',
        tabId: TAB,
        requestId: id,
        url: FONT,
        error: 'net::ERR_CACHE_MISS',
        type: 'font',
        frameId: 1,
        timeStamp: T0 + 90,
      },
    ];
    const only = [req(PAGE, 'main_frame', 0), ...probe('p1')].reduce<TallyState>(reduceTally, {})[TAB]!;
    expect(only.requests.cacheProbe).toBe(1);
    expect(factsOf(only).googleFonts).toEqual([]);
    const loaded = [req(PAGE, 'main_frame', 0), ...probe('p2'), req(FONT, 'font', 95, 'real')].reduce<TallyState>(
      reduceTally,
      {},
    )[TAB]!;
    expect(factsOf(loaded).googleFonts.map((h) => h.host)).toEqual(['fonts.gstatic.com']);
  });
});

describe('embeds loaded before any interaction', () => {
  it('a YouTube player (privacy-enhanced mode included) and a Vimeo player, by service, first loaded first', () => {
    const f = factsOf(
      visitOf(PAGE, [
        ['https://player.vimeo.com/video/76979871?dnt=1', 'sub_frame', 400],
        ['https://i.vimeocdn.com/video/452001751-640.jpg', 'image', 520],
        ['https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ', 'sub_frame', 300],
        ['https://i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg', 'image', 450],
      ]),
    );
    expect(f.embeds.map((e) => [e.category, e.hosts])).toEqual([
      ['embed', ['www.youtube-nocookie.com', 'i.ytimg.com']],
      ['embed', ['player.vimeo.com', 'i.vimeocdn.com']],
    ]);
    expect(f.embeds[0]!.afterMs).toBe(300);
    expect(f.embeds[1]!.country).toBe('US');
  });

  it('a Google map (JavaScript API and tiles)', () => {
    const f = factsOf(
      visitOf(PAGE, [
        ['https://maps.googleapis.com/maps/api/js?key=AIzaSy&callback=initMap', 'script', 200],
        ['https://maps.gstatic.com/mapfiles/openhand_8_8.cur', 'image', 600],
        ['https://maps.googleapis.com/maps/vt?pb=!1m5!1m4!1i12', 'image', 650],
      ]),
    );
    expect(f.embeds).toHaveLength(1);
    expect(f.embeds[0]).toMatchObject({
      service: 'Google Maps',
      category: 'maps',
      hosts: ['maps.googleapis.com', 'maps.gstatic.com'],
      afterMs: 200,
    });
  });

  it('OpenStreetMap tiles are an embedded map too, from a UK body (adequacy decision), not a third-country transfer', () => {
    const visit = visitOf(PAGE, [
      ['https://www.stadt-beispiel.de/js/leaflet.js', 'script', 100],
      ['https://a.tile.openstreetmap.org/13/4400/2686.png', 'image', 250],
      ['https://b.tile.openstreetmap.org/13/4401/2686.png', 'image', 260],
    ]);
    const f = factsOf(visit);
    expect(f.embeds).toEqual([
      {
        service: 'OpenStreetMap (tiles, embedded map)',
        category: 'maps',
        country: 'GB',
        hosts: ['a.tile.openstreetmap.org', 'b.tile.openstreetmap.org'],
        afterMs: 250,
      },
    ]);
    const osm = summariseParties(visit, classifier).groups.find((g) => g.organisation === 'OpenStreetMap Foundation');
    expect(osm?.transferStatus).toBe('adequate');
    expect(embedsEvidence(f.embeds)).toBe(
      'OpenStreetMap (tiles, embedded map) (maps, GB): a.tile.openstreetmap.org, b.tile.openstreetmap.org +0.3 s',
    );
  });

  it('social posts count when the platform filled a frame: an Instagram post and an X post', () => {
    const f = factsOf(
      visitOf(PAGE, [
        ['https://www.instagram.com/embed.js', 'script', 150],
        ['https://www.instagram.com/p/C0abcDEF123/embed/captioned/', 'sub_frame', 400],
        ['https://platform.twitter.com/widgets.js', 'script', 160],
        ['https://platform.twitter.com/embed/Tweet.html?id=1', 'sub_frame', 500],
      ]),
    );
    expect(f.embeds.map((e) => [e.category, e.hosts[0]])).toEqual([
      ['social', 'www.instagram.com'],
      ['social', 'platform.twitter.com'],
    ]);
  });

  it('a Facebook "like" button is a frame as well (CJEU C-40/17 Fashion ID)', () => {
    const f = factsOf(
      visitOf(PAGE, [
        ['https://www.facebook.com/plugins/like.php?href=https%3A%2F%2Fwww.stadt-beispiel.de', 'sub_frame', 300],
      ]),
    );
    expect(f.embeds.map((e) => e.category)).toEqual(['social']);
  });

  it('a social tracking pixel alone (script and image beacon, no frame) is not an embed', () => {
    const f = factsOf(
      visitOf(PAGE, [
        ['https://connect.facebook.net/en_US/fbevents.js', 'script', 100],
        ['https://www.facebook.com/tr?id=123&ev=PageView', 'image', 300],
        ['https://www.linkedin.com/px/li_sync', 'image', 320],
      ]),
    );
    expect(f.embeds).toEqual([]);
  });

  it('click-to-load: a video that loads after the first click does not count; CDNs and analytics are not embeds', () => {
    const f = factsOf(
      visitOf(PAGE, [
        ['https://cdn.jsdelivr.net/npm/lite-youtube-embed/src/lite-yt-embed.js', 'script', 100],
        ['https://www.google-analytics.com/g/collect?v=2', 'ping', 200],
        ['https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1', 'sub_frame', 8_000],
      ]),
      T0 + 7_500,
    );
    expect(f.embeds).toEqual([]);
    expect(f.googleFonts).toEqual([]);
  });
});

describe('the findings', () => {
  const on = (
    pageKind: 'website' | 'link-in-bio' | 'social-profile',
    content: ThirdPartyContentFacts,
    isAuthority = false,
  ) =>
    Object.fromEntries(
      evaluateFindings({
        ...DEFAULT_FACTS,
        pageKind,
        ...content,
        authority: { ...DEFAULT_FACTS.authority, isAuthority },
      })
        .filter((x) => x.id === 'google-fonts-remote' || x.id === 'embeds-without-click')
        .map((x) => [x.id, [x.severity, x.certainty, x.legal.join('; '), x.evidence]]),
    );
  const content: ThirdPartyContentFacts = {
    googleFonts: [{ host: 'fonts.googleapis.com', afterMs: 120 }],
    embeds: [{ service: 'Google Maps', category: 'maps', country: 'US', hosts: ['maps.googleapis.com'], afterMs: 200 }],
  };

  it('yellow and observed on a website and a link page, for companies and authorities alike, with the hooks of rules.json', () => {
    for (const kind of ['website', 'link-in-bio'] as const)
      for (const authority of [false, true])
        expect(on(kind, content, authority)).toEqual({
          'google-fonts-remote': [
            'yellow',
            'observed',
            'Art. 6(1) GDPR; LG Muenchen I 3 O 17493/20',
            'fonts.googleapis.com +0.1 s',
          ],
          'embeds-without-click': [
            'yellow',
            'observed',
            'Art. 6(1) GDPR; CJEU C-40/17 Fashion ID (joint control for collection/transmission); § 25 TDDDG if cookies',
            'Google Maps (maps, US): maps.googleapis.com +0.2 s',
          ],
        });
  });

  it('not on a social profile: the page belongs to the platform', () => {
    expect(on('social-profile', content, true)).toEqual({});
  });
});
