/**
 * A deterministic corpus of webRequest events for the classify benchmark (tests/bench/run.ts).
 *
 * It imitates what the extension sees while someone browses German public-sector and news pages:
 * ~60 pages (news sites, authority sites such as www.jobcenter-*.de, instagram.com profiles,
 * linktr.ee pages), each visit issuing a burst of requests to its own hosts (CMS paths, some
 * self-hosted Matomo) and to the third parties such a page really loads (Google Analytics / Tag
 * Manager / Ads, Meta pixel, Instagram CDN, Google Fonts, Cookiebot, jsDelivr, Linktree assets,
 * Hotjar, Bing, LinkedIn, YouTube, TikTok, INFOnline, Sourcepoint …), plus a long tail of hosts
 * nobody knows. Request types follow the resource (script, image, xmlhttprequest, stylesheet,
 * font, sub_frame, ping); every host answers from a few stable, public IPv4 or IPv6 addresses
 * taken from its operator's real address space; a few events have no IP (served from cache).
 *
 * Same seed, same corpus: a seeded PRNG (mulberry32) drives every choice, nothing reads the clock.
 */

export interface RequestEvent {
  url: string;
  /** Top-level page of the tab. */
  pageUrl: string;
  type: string;
  ip: string | null;
  /** Request host (for grouping in the report; the benchmarked code parses `url` itself). */
  host: string;
  /** A named third party from the catalogue below (not first-party, not the long tail). */
  wellKnown: boolean;
}

export interface CorpusStats {
  events: number;
  pages: number;
  visits: number;
  hosts: number;
  wellKnownHosts: number;
  longTailHosts: number;
  firstPartyShare: number;
  wellKnownShare: number;
  longTailShare: number;
  ipv6Share: number;
  noIpShare: number;
  types: Record<string, number>;
}

type Rng = () => number;

/** mulberry32: small, fast, good enough for a workload generator. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (r: Rng, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rng, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
const hex = (r: Rng, n: number) => {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(r() * 16)];
  return s;
};
const alnum = (r: Rng, n: number) => {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < n; i++) s += chars[Math.floor(r() * chars.length)];
  return s;
};
const upper = (r: Rng, n: number) =>
  alnum(r, n * 3)
    .replace(/[^A-Z0-9]/g, '')
    .padEnd(n, 'X')
    .slice(0, n);
const uuid = (r: Rng) => `${hex(r, 8)}-${hex(r, 4)}-4${hex(r, 3)}-a${hex(r, 3)}-${hex(r, 12)}`;
/** FNV-1a, to derive stable per-host choices from the host name. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

// ---------------------------------------------------------------------------------------------
// Address space per operator (real, public allocations; v4 as [first octets...] prefixes).

type Pool = 'google' | 'meta' | 'cloudflare' | 'fastly' | 'akamai' | 'aws' | 'microsoft' | 'de' | 'eu' | 'any';

const V4: Record<Pool, string[]> = {
  google: ['142.250', '172.217', '216.58', '142.251', '209.85'],
  meta: ['157.240', '31.13', '179.60'],
  cloudflare: ['104.16', '104.17', '104.18', '172.67', '104.21', '188.114'],
  fastly: ['151.101', '146.75', '199.232'],
  akamai: ['23.32', '23.48', '2.16', '2.18', '95.100', '184.24'],
  aws: ['52.84', '18.66', '3.64', '54.230', '13.224', '99.86'],
  microsoft: ['13.107', '20.50', '40.126', '204.79', '52.113'],
  de: ['88.198', '5.9', '217.160', '80.150', '193.175', '85.13', '212.227', '194.95', '178.63'],
  eu: ['91.198', '185.15', '46.4', '195.201', '37.120', '81.169', '109.234', '62.138'],
  any: ['45.60', '66.235', '34.107', '35.186', '192.124', '198.41', '205.251', '64.233', '77.87', '185.199'],
};
const V6: Record<Pool, string[]> = {
  google: ['2a00:1450:4001', '2a00:1450:4005', '2a00:1450:400a', '2607:f8b0:4004'],
  meta: ['2a03:2880:f00c', '2a03:2880:f12f', '2a03:2880:f0ff'],
  cloudflare: ['2606:4700:3030', '2606:4700:10', '2606:4700:20'],
  fastly: ['2a04:4e42:200', '2a04:4e42:600', '2a04:4e42:1d'],
  akamai: ['2a02:26f0:fd', '2a02:26f0:11b', '2600:1406:5e00'],
  aws: ['2600:9000:2254', '2600:9000:21e4', '2a05:d014:e7c'],
  microsoft: ['2620:1ec:21', '2603:1026:c0a', '2a01:111:f100'],
  de: ['2a01:4f8:c17', '2001:8d8:100f', '2003:a:1708', '2a01:238:20a'],
  eu: ['2a00:1a48:7800', '2001:67c:1220', '2a02:c207:3008'],
  any: ['2a0e:97c0:3e3', '2607:f130:0', '2400:cb00:2048'],
};

const hostIps = new Map<string, string[]>();

/** One to four stable addresses for a host; about a quarter of hosts answer over IPv6. */
function addressesOf(host: string, pool: Pool): string[] {
  let ips = hostIps.get(host);
  if (ips) return ips;
  const r = mulberry32(hash(host));
  const n = int(r, 1, 4);
  const v6 = pool !== 'any' && r() < 0.28;
  ips = [];
  for (let i = 0; i < n; i++) {
    if (v6) {
      ips.push(
        `${pick(r, V6[pool])}:${hex(r, 1 + int(r, 0, 3)).replace(/^0+(?=.)/, '')}::${hex(r, int(r, 1, 4)).replace(/^0+(?=.)/, '')}`,
      );
    } else {
      ips.push(`${pick(r, V4[pool])}.${int(r, 0, 255)}.${int(r, 1, 254)}`);
    }
  }
  hostIps.set(host, ips);
  return ips;
}

// ---------------------------------------------------------------------------------------------
// Pages

type Kind = 'news' | 'authority' | 'instagram' | 'linktree';

interface Page {
  kind: Kind;
  /** Host of the page (www.instagram.com, linktr.ee, or the site's www host). */
  host: string;
  /** Registrable part used for first-party hosts. */
  site: string;
  /** Path prefix of the page (instagram profile, linktree name) or ''. */
  handle: string;
  /** Per-site ids (GA measurement id, GTM container, pixel ids). */
  ga: string;
  gtm: string;
  pixel: string;
  hotjar: number;
  /** Third parties this site embeds: catalogue keys with weights. */
  thirdParties: { tp: ThirdParty; weight: number }[];
  matomo: 'none' | 'self' | 'subdomain' | 'cloud';
}

const NEWS = [
  'spiegel.de',
  'zeit.de',
  'faz.net',
  'sueddeutsche.de',
  'tagesschau.de',
  'welt.de',
  'bild.de',
  'heise.de',
  't-online.de',
  'n-tv.de',
  'stern.de',
  'focus.de',
  'handelsblatt.com',
  'taz.de',
  'br.de',
  'ndr.de',
  'rnd.de',
  'merkur.de',
  'tagesspiegel.de',
  'derstandard.at',
];
const AUTHORITIES = [
  'jobcenter-berlin-mitte.de',
  'jobcenter-muenchen.de',
  'jobcenter-team-arbeit-hamburg.de',
  'jobcenter-koeln.de',
  'jobcenter-dortmund.de',
  'jobcenter-leipzig.de',
  'jobcenter-region-hannover.de',
  'jobcenter-frankfurt.de',
  'jobcenter-essen.de',
  'jobcenter-kreis-borken.de',
  'arbeitsagentur.de',
  'bundesregierung.de',
  'bsi.bund.de',
  'berlin.de',
  'muenchen.de',
  'hamburg.de',
  'stadt-koeln.de',
  'polizei.bayern.de',
  'bmas.de',
  'deutsche-rentenversicherung.de',
  'stadt-muenster.de',
  'dresden.de',
];
const INSTAGRAM = [
  'stadt.koeln',
  'jobcenter.berlin',
  'polizei.berlin',
  'bundesregierung',
  'tagesschau',
  'zdf',
  'bundesagenturfuerarbeit',
  'stadtmuenchen',
  'bsi_bund',
  'hamburg_de',
];
const LINKTREE = [
  'jobcenterkoeln',
  'stadt.dresden',
  'buecherhallen_hamburg',
  'vhs_muenchen',
  'kreisborken',
  'jugendamt_berlin',
  'tagesschau',
  'ndr',
];

// ---------------------------------------------------------------------------------------------
// Third parties: host, operator address space, and what a request to it looks like.

interface Ctx {
  r: Rng;
  page: Page;
  pageUrl: string;
}
interface ThirdParty {
  key: string;
  pool: Pool;
  /** Host (some vary per request: scontent-*.cdninstagram.com, oNNN.ingest.sentry.io). */
  host: (c: Ctx) => string;
  /** [path+query, type] */
  req: (c: Ctx) => [string, string];
}

const enc = encodeURIComponent;
const fixed = (h: string) => () => h;
const ytId = (r: Rng) => alnum(r, 11);
const gaCollect = (c: Ctx): [string, string] => [
  `/g/collect?v=2&tid=${c.page.ga}&gtm=45je${int(c.r, 4000, 5999)}v9${int(c.r, 100000, 999999)}&_p=${int(c.r, 1e9, 2e9)}&gcd=13l3l3l3l1l1&npa=0&dma=1&cid=${int(c.r, 1e8, 2e9)}.${int(c.r, 1.6e9, 1.75e9)}&ul=de-de&sr=1920x1080&frm=0&pscdl=noapi&_s=${int(c.r, 1, 9)}&sid=${int(c.r, 1.6e9, 1.75e9)}&sct=${int(c.r, 1, 30)}&seg=1&dl=${enc(c.pageUrl)}&dt=${enc('Startseite - ' + c.page.site)}&en=${pick(c.r, ['page_view', 'scroll', 'user_engagement', 'click', 'view_search_results'])}&_et=${int(c.r, 5, 20000)}&tfd=${int(c.r, 200, 90000)}`,
  c.r() < 0.7 ? 'ping' : 'xmlhttprequest',
];

const CATALOGUE: ThirdParty[] = [
  {
    key: 'gtm',
    pool: 'google',
    host: fixed('www.googletagmanager.com'),
    req: (c) =>
      c.r() < 0.6 ? [`/gtag/js?id=${c.page.ga}&l=dataLayer&cx=c`, 'script'] : [`/gtm.js?id=${c.page.gtm}`, 'script'],
  },
  {
    key: 'ga',
    pool: 'google',
    host: fixed('www.google-analytics.com'),
    req: (c) => (c.r() < 0.9 ? gaCollect(c) : ['/analytics.js', 'script']),
  },
  { key: 'ga-region', pool: 'google', host: fixed('region1.google-analytics.com'), req: gaCollect },
  {
    key: 'dc-stats',
    pool: 'google',
    host: fixed('stats.g.doubleclick.net'),
    req: (c) => [
      `/g/collect?v=2&tid=${c.page.ga}&cid=${int(c.r, 1e8, 2e9)}&gtm=45je${int(c.r, 4000, 5999)}&aip=1`,
      'ping',
    ],
  },
  {
    key: 'dc-ads',
    pool: 'google',
    host: fixed('googleads.g.doubleclick.net'),
    req: (c) =>
      c.r() < 0.5
        ? [
            `/pagead/viewthroughconversion/${int(c.r, 1e8, 9e8)}/?random=${int(c.r, 1e9, 2e9)}&cv=11&fst=${Date.UTC(2026, 0, 1)}&bg=ffffff&guid=ON&async=1&gtm=45be`,
            'image',
          ]
        : [
            `/pagead/ads?client=ca-pub-${int(c.r, 1e15, 9e15)}&output=html&h=250&w=300&format=300x250&url=${enc(c.pageUrl)}`,
            'sub_frame',
          ],
  },
  {
    key: 'gpt',
    pool: 'google',
    host: fixed('securepubads.g.doubleclick.net'),
    req: (c) =>
      c.r() < 0.3
        ? ['/tag/js/gpt.js', 'script']
        : [
            `/gampad/ads?pvsid=${int(c.r, 1e15, 9e15)}&correlator=${int(c.r, 1e15, 9e15)}&eid=31088080&output=ldjh&gdfp_req=1&iu_parts=${int(c.r, 1000, 9999)},${c.page.site.replace(/\..*/, '')},home&prev_iu_szs=300x250|728x90&url=${enc(c.pageUrl)}`,
            'xmlhttprequest',
          ],
  },
  {
    key: 'adsense',
    pool: 'google',
    host: fixed('pagead2.googlesyndication.com'),
    req: (c) =>
      c.r() < 0.5
        ? [`/pagead/js/adsbygoogle.js?client=ca-pub-${int(c.r, 1e15, 9e15)}`, 'script']
        : [
            `/pagead/managed/js/gpt/m2026${int(c.r, 1000, 1299)}0101/pubads_impl.js?cb=${int(c.r, 31e6, 32e6)}`,
            'script',
          ],
  },
  {
    key: 'tpc',
    pool: 'google',
    host: fixed('tpc.googlesyndication.com'),
    req: (c) => (c.r() < 0.8 ? [`/simgad/${int(c.r, 1e18, 9e18)}`, 'image'] : [`/sodar/${alnum(c.r, 8)}.js`, 'script']),
  },
  {
    key: 'gadservices',
    pool: 'google',
    host: fixed('www.googleadservices.com'),
    req: () => ['/pagead/conversion_async.js', 'script'],
  },
  {
    key: 'fonts',
    pool: 'google',
    host: fixed('fonts.googleapis.com'),
    req: (c) => [
      `/css2?family=${pick(c.r, ['Roboto', 'Open+Sans', 'Lato', 'Source+Sans+3', 'Montserrat'])}:wght@400;700&display=swap`,
      'stylesheet',
    ],
  },
  {
    key: 'gstatic-fonts',
    pool: 'google',
    host: fixed('fonts.gstatic.com'),
    req: (c) => [
      `/s/${pick(c.r, ['roboto', 'opensans', 'lato', 'montserrat'])}/v${int(c.r, 20, 40)}/${alnum(c.r, 22)}.woff2`,
      'font',
    ],
  },
  {
    key: 'maps',
    pool: 'google',
    host: fixed('maps.googleapis.com'),
    req: (c) =>
      c.r() < 0.3
        ? [`/maps/api/js?key=AIza${alnum(c.r, 35)}&callback=initMap&v=weekly`, 'script']
        : [
            `/maps/vt?pb=!1m5!1m4!1i${int(c.r, 10, 16)}!2i${int(c.r, 1000, 9000)}!3i${int(c.r, 1000, 9000)}!4i256!2m3!1e0!2sm!3i${int(c.r, 6e8, 7e8)}`,
            'image',
          ],
  },
  {
    key: 'recaptcha',
    pool: 'google',
    host: fixed('www.google.com'),
    req: (c) =>
      c.r() < 0.5
        ? ['/recaptcha/api.js?render=explicit', 'script']
        : [
            `/recaptcha/api2/anchor?ar=1&k=6L${alnum(c.r, 38)}&co=${enc(btoa(c.pageUrl))}&hl=de&v=${alnum(c.r, 24)}&size=invisible`,
            'sub_frame',
          ],
  },
  {
    key: 'gstatic',
    pool: 'google',
    host: fixed('www.gstatic.com'),
    req: (c) => [`/recaptcha/releases/${alnum(c.r, 24)}/recaptcha__de.js`, 'script'],
  },
  {
    key: 'youtube',
    pool: 'google',
    host: fixed('www.youtube.com'),
    req: (c) =>
      c.r() < 0.5
        ? [`/embed/${ytId(c.r)}?rel=0&enablejsapi=1&origin=${enc('https://' + c.page.host)}`, 'sub_frame']
        : c.r() < 0.5
          ? ['/iframe_api', 'script']
          : [`/s/player/${hex(c.r, 8)}/www-widgetapi.vflset/www-widgetapi.js`, 'script'],
  },
  {
    key: 'youtube-nocookie',
    pool: 'google',
    host: fixed('www.youtube-nocookie.com'),
    req: (c) => [`/embed/${ytId(c.r)}?rel=0`, 'sub_frame'],
  },
  {
    key: 'ytimg',
    pool: 'google',
    host: fixed('i.ytimg.com'),
    req: (c) => [`/vi/${ytId(c.r)}/${pick(c.r, ['hqdefault', 'maxresdefault', 'sddefault'])}.jpg`, 'image'],
  },
  {
    key: 'fbevents',
    pool: 'meta',
    host: fixed('connect.facebook.net'),
    req: (c) =>
      c.r() < 0.6
        ? ['/en_US/fbevents.js', 'script']
        : [`/signals/config/${c.page.pixel}?v=2.9.${int(c.r, 150, 199)}&r=stable&domain=${c.page.host}`, 'script'],
  },
  {
    key: 'fbtr',
    pool: 'meta',
    host: fixed('www.facebook.com'),
    req: (c) => [
      `/tr/?id=${c.page.pixel}&ev=${pick(c.r, ['PageView', 'ViewContent', 'Lead'])}&dl=${enc(c.pageUrl)}&rl=&if=false&ts=${int(c.r, 1.7e12, 1.8e12)}&sw=1920&sh=1080&v=2.9.179&r=stable&ec=0&o=4126&fbp=fb.1.${int(c.r, 1.7e12, 1.8e12)}.${int(c.r, 1e8, 2e9)}`,
      'image',
    ],
  },
  {
    key: 'cdninstagram',
    pool: 'meta',
    host: fixed('static.cdninstagram.com'),
    req: (c) =>
      c.r() < 0.75
        ? [`/rsrc.php/v4/y${alnum(c.r, 2)}/r/${alnum(c.r, 11)}.js`, 'script']
        : [`/rsrc.php/v4/y${alnum(c.r, 2)}/l/0,cross/${alnum(c.r, 11)}.css`, 'stylesheet'],
  },
  {
    key: 'scontent',
    pool: 'meta',
    host: (c) =>
      `scontent-${pick(c.r, ['fra5-1', 'fra3-1', 'fra3-2', 'ham3-1', 'dus1-1', 'ber1-1', 'muc2-1', 'vie1-1'])}.cdninstagram.com`,
    req: (c) => [
      `/v/t51.${int(c.r, 29000, 29999)}-15/${int(c.r, 4e8, 5e8)}_${int(c.r, 1e15, 9e15)}_${int(c.r, 1e18, 9e18)}_n.jpg?stp=dst-jpg_e35_p640x640_sh0.08&_nc_ht=scontent.cdninstagram.com&_nc_cat=${int(c.r, 100, 111)}&_nc_ohc=${alnum(c.r, 11)}&edm=${alnum(c.r, 12)}&oh=00_${alnum(c.r, 40)}&oe=${hex(c.r, 8).toUpperCase()}`,
      'image',
    ],
  },
  {
    key: 'cookiebot',
    pool: 'microsoft',
    host: fixed('consent.cookiebot.com'),
    req: (c) =>
      c.r() < 0.5
        ? ['/uc.js', 'script']
        : [`/${uuid(c.r)}/cc.js?renew=false&referer=${c.page.host}&dnt=false&init=false`, 'script'],
  },
  {
    key: 'cookiebot-cdn',
    pool: 'microsoft',
    host: fixed('consentcdn.cookiebot.com'),
    req: (c) => [`/consentconfig/${uuid(c.r)}/${c.page.host}/configuration.js`, 'script'],
  },
  {
    key: 'usercentrics',
    pool: 'google',
    host: fixed('app.usercentrics.eu'),
    req: () => ['/browser-ui/latest/loader.js', 'script'],
  },
  {
    key: 'usercentrics-api',
    pool: 'google',
    host: fixed('api.usercentrics.eu'),
    req: (c) => [`/settings/${alnum(c.r, 9)}/latest/de.json`, 'xmlhttprequest'],
  },
  {
    key: 'sourcepoint',
    pool: 'aws',
    host: fixed('cdn.privacy-mgmt.com'),
    req: (c) =>
      c.r() < 0.3
        ? ['/unified/wrapperMessagingWithoutDetection.js', 'script']
        : [
            `/wrapper/v2/messages?env=prod&body=${enc(JSON.stringify({ accountId: int(c.r, 100, 2000), propertyHref: c.pageUrl }))}`,
            'xmlhttprequest',
          ],
  },
  {
    key: 'onetrust',
    pool: 'cloudflare',
    host: fixed('cdn.cookielaw.org'),
    req: (c) =>
      c.r() < 0.5
        ? ['/scripttemplates/otSDKStub.js', 'script']
        : [`/consent/${uuid(c.r)}/${uuid(c.r)}/de.json`, 'xmlhttprequest'],
  },
  {
    key: 'jsdelivr',
    pool: 'fastly',
    host: fixed('cdn.jsdelivr.net'),
    req: (c) =>
      pick(c.r, [
        ['/npm/jquery@3.7.1/dist/jquery.min.js', 'script'],
        ['/npm/bootstrap@5.3.3/dist/css/bootstrap.min.css', 'stylesheet'],
        ['/npm/bootstrap@5.3.3/dist/js/bootstrap.bundle.min.js', 'script'],
        ['/npm/swiper@11/swiper-bundle.min.js', 'script'],
        ['/gh/orestbida/cookieconsent@3.0.1/dist/cookieconsent.umd.js', 'script'],
        ['/npm/@fontsource/inter@5.0.16/files/inter-latin-400-normal.woff2', 'font'],
      ] as [string, string][]),
  },
  {
    key: 'cdnjs',
    pool: 'cloudflare',
    host: fixed('cdnjs.cloudflare.com'),
    req: (c) =>
      pick(c.r, [
        ['/ajax/libs/font-awesome/6.5.1/css/all.min.css', 'stylesheet'],
        ['/ajax/libs/font-awesome/6.5.1/webfonts/fa-solid-900.woff2', 'font'],
        ['/ajax/libs/jquery/3.7.1/jquery.min.js', 'script'],
        ['/ajax/libs/leaflet/1.9.4/leaflet.js', 'script'],
      ] as [string, string][]),
  },
  {
    key: 'unpkg',
    pool: 'cloudflare',
    host: fixed('unpkg.com'),
    req: () => ['/leaflet@1.9.4/dist/leaflet.css', 'stylesheet'],
  },
  {
    key: 'linktree-assets',
    pool: 'cloudflare',
    host: fixed('assets.production.linktr.ee'),
    req: (c) =>
      pick(c.r, [
        [`/profiles/_next/static/chunks/${int(c.r, 100, 9999)}-${hex(c.r, 16)}.js`, 'script'],
        [`/profiles/_next/static/css/${hex(c.r, 16)}.css`, 'stylesheet'],
        [`/images/${pick(c.r, ['instagram', 'tiktok', 'youtube', 'website', 'email'])}.svg`, 'image'],
        [`/fonts/LinkSans-${pick(c.r, ['Regular', 'Medium', 'Bold'])}.woff2`, 'font'],
      ] as [string, string][]),
  },
  {
    key: 'linktree-ugc',
    pool: 'cloudflare',
    host: fixed('ugc.production.linktr.ee'),
    req: (c) => [
      `/${uuid(c.r)}_${alnum(c.r, 8)}.jpeg?io=true&size=${pick(c.r, ['avatar-v3_0', 'thumbnail-v2_0'])}`,
      'image',
    ],
  },
  {
    key: 'hotjar',
    pool: 'aws',
    host: fixed('static.hotjar.com'),
    req: (c) => [`/c/hotjar-${c.page.hotjar}.js?sv=${int(c.r, 5, 7)}`, 'script'],
  },
  {
    key: 'hotjar-script',
    pool: 'aws',
    host: fixed('script.hotjar.com'),
    req: (c) => [`/modules.${hex(c.r, 20)}.js`, 'script'],
  },
  {
    key: 'hotjar-metrics',
    pool: 'aws',
    host: fixed('metrics.hotjar.io'),
    req: () => ['/v2/client/ping', 'xmlhttprequest'],
  },
  {
    key: 'bing',
    pool: 'microsoft',
    host: fixed('bat.bing.com'),
    req: (c) =>
      c.r() < 0.3
        ? ['/bat.js', 'script']
        : [
            `/action/0?ti=${int(c.r, 1e6, 9e8)}&tm=gtm002&Ver=2&mid=${uuid(c.r)}&bo=1&sid=${hex(c.r, 32)}&vid=${hex(c.r, 32)}&vids=1&msclkid=N&uach=pv%3D10.0&pi=918639831&lg=de-DE&sw=1920&sh=1080&sc=24&tl=Start&p=${enc(c.pageUrl)}&r=&lt=${int(c.r, 300, 5000)}&evt=pageLoad&sv=1&cdb=AQAQ&rn=${int(c.r, 1e5, 9e5)}`,
            'image',
          ],
  },
  {
    key: 'linkedin-px',
    pool: 'microsoft',
    host: fixed('px.ads.linkedin.com'),
    req: (c) => [
      `/collect?v=2&fmt=js&pid=${int(c.r, 1e5, 9e6)}&time=${int(c.r, 1.7e12, 1.8e12)}&url=${enc(c.pageUrl)}`,
      c.r() < 0.5 ? 'image' : 'xmlhttprequest',
    ],
  },
  {
    key: 'linkedin-insight',
    pool: 'akamai',
    host: fixed('snap.licdn.com'),
    req: () => ['/li.lms-analytics/insight.min.js', 'script'],
  },
  {
    key: 'tiktok',
    pool: 'akamai',
    host: fixed('analytics.tiktok.com'),
    req: (c) =>
      c.r() < 0.4
        ? [`/i18n/pixel/events.js?sdkid=${upper(c.r, 20)}&lib=ttq`, 'script']
        : ['/api/v2/pixel', 'xmlhttprequest'],
  },
  {
    key: 'tiktok-embed',
    pool: 'akamai',
    host: fixed('www.tiktok.com'),
    req: (c) => [`/embed/v2/${int(c.r, 7e18, 7.4e18)}`, 'sub_frame'],
  },
  { key: 'amazon-ads', pool: 'aws', host: fixed('c.amazon-adsystem.com'), req: () => ['/aax2/apstag.js', 'script'] },
  {
    key: 'amazon-bid',
    pool: 'aws',
    host: fixed('aax-eu.amazon-adsystem.com'),
    req: () => ['/e/dtb/bid', 'xmlhttprequest'],
  },
  { key: 'adnxs', pool: 'akamai', host: fixed('ib.adnxs.com'), req: () => ['/ut/v3/prebid', 'xmlhttprequest'] },
  { key: 'ioam', pool: 'de', host: fixed('script.ioam.de'), req: () => ['/iam.js', 'script'] },
  {
    key: 'ioam-tx',
    pool: 'de',
    host: fixed('de.ioam.de'),
    req: (c) => [
      `/tx.io?st=${c.page.site.replace(/\..*/, '')}&cp=${pick(c.r, ['home', 'politik', 'sport', 'wirtschaft'])}&sv=ke&co=&pt=CP&rf=&r2=&ur=${enc(c.page.host)}&xy=1920x1080x24&lo=DE&cb=${hex(c.r, 6)}&i2=${hex(c.r, 24)}&ep=${int(c.r, 1.7e9, 1.8e9)}`,
      'image',
    ],
  },
  { key: 'chartbeat', pool: 'aws', host: fixed('static.chartbeat.com'), req: () => ['/js/chartbeat.js', 'script'] },
  {
    key: 'chartbeat-ping',
    pool: 'aws',
    host: fixed('ping.chartbeat.net'),
    req: (c) => [
      `/ping?h=${c.page.site}&p=${enc(c.pageUrl.replace(/^https:\/\/[^/]+/, ''))}&u=${alnum(c.r, 22)}&d=${c.page.site}&g=${int(c.r, 10000, 99999)}&n=1&f=00001&c=0.5&x=0&m=0&y=${int(c.r, 2000, 20000)}&o=1905&w=1080&j=45&R=1&W=0&I=0&E=0&e=0&r=&b=${int(c.r, 1000, 9000)}&t=${alnum(c.r, 22)}&V=159&tz=-60&sn=1&sv=${alnum(c.r, 20)}&sd=1&im=${alnum(c.r, 8)}&_`,
      'image',
    ],
  },
  {
    key: 'twitter',
    pool: 'fastly',
    host: fixed('platform.twitter.com'),
    req: (c) =>
      c.r() < 0.5
        ? ['/widgets.js', 'script']
        : [
            `/embed/Tweet.html?dnt=true&embedId=twitter-widget-${int(c.r, 0, 9)}&frame=false&hideCard=false&hideThread=false&id=${int(c.r, 1.5e18, 1.9e18)}&lang=de`,
            'sub_frame',
          ],
  },
  {
    key: 'clarity',
    pool: 'microsoft',
    host: fixed('www.clarity.ms'),
    req: (c) => [`/tag/${alnum(c.r, 10).toLowerCase()}`, 'script'],
  },
  { key: 'clarity-c', pool: 'microsoft', host: fixed('c.clarity.ms'), req: () => ['/c.gif', 'image'] },
  {
    key: 'vimeo',
    pool: 'fastly',
    host: fixed('player.vimeo.com'),
    req: (c) => [`/video/${int(c.r, 1e8, 9e8)}?h=${hex(c.r, 10)}&dnt=1`, 'sub_frame'],
  },
  { key: 'etracker', pool: 'de', host: fixed('code.etracker.com'), req: () => ['/code/e.js', 'script'] },
  {
    key: 'etracker-dc',
    pool: 'de',
    host: fixed('www.etracker.de'),
    req: (c) => [`/dc.js?et=${alnum(c.r, 6)}`, 'script'],
  },
  {
    key: 'sentry-cdn',
    pool: 'google',
    host: fixed('browser.sentry-cdn.com'),
    req: () => ['/8.48.0/bundle.tracing.min.js', 'script'],
  },
  {
    key: 'sentry',
    pool: 'google',
    host: (c) => `o${(hash(c.page.site) % 900000) + 100000}.ingest.sentry.io`,
    req: (c) => [
      `/api/${int(c.r, 1e6, 9e6)}/envelope/?sentry_key=${hex(c.r, 32)}&sentry_version=7&sentry_client=sentry.javascript.browser%2F8.48.0`,
      'xmlhttprequest',
    ],
  },
  {
    key: 'matomo-cloud',
    pool: 'eu',
    host: (c) => `${c.page.site.replace(/\..*/, '')}.matomo.cloud`,
    req: (c) =>
      c.r() < 0.3
        ? ['/matomo.js', 'script']
        : [
            `/matomo.php?idsite=${int(c.r, 1, 9)}&rec=1&r=${int(c.r, 1e5, 9e5)}&h=12&m=3&s=9&url=${enc(c.pageUrl)}&_id=${hex(c.r, 16)}&send_image=0&pv_id=${alnum(c.r, 6)}`,
            'ping',
          ],
  },
  {
    key: 'osm',
    pool: 'fastly',
    host: (c) => `${pick(c.r, ['a', 'b', 'c'])}.tile.openstreetmap.org`,
    req: (c) => [`/${int(c.r, 12, 17)}/${int(c.r, 8000, 70000)}/${int(c.r, 5000, 45000)}.png`, 'image'],
  },
];
const TP = new Map(CATALOGUE.map((t) => [t.key, t]));
const tp = (k: string): ThirdParty => {
  const t = TP.get(k);
  if (!t) throw new Error(`corpus: no third party ${k}`);
  return t;
};

/** Which third parties a kind of page embeds: [key, probability the site has it, weight of its requests]. */
const PROFILES: Record<Kind, [string, number, number][]> = {
  news: [
    ['gtm', 0.8, 3],
    ['ga', 0.6, 4],
    ['ga-region', 0.3, 3],
    ['dc-stats', 0.5, 2],
    ['dc-ads', 0.7, 5],
    ['gpt', 0.8, 9],
    ['adsense', 0.7, 4],
    ['tpc', 0.7, 8],
    ['gadservices', 0.3, 1],
    ['fonts', 0.3, 1],
    ['gstatic-fonts', 0.3, 2],
    ['youtube', 0.6, 2],
    ['ytimg', 0.6, 3],
    ['fbevents', 0.6, 2],
    ['fbtr', 0.5, 2],
    ['sourcepoint', 0.6, 3],
    ['onetrust', 0.2, 2],
    ['cookiebot', 0.15, 2],
    ['jsdelivr', 0.3, 1],
    ['hotjar', 0.15, 1],
    ['hotjar-script', 0.15, 1],
    ['bing', 0.4, 2],
    ['linkedin-px', 0.2, 1],
    ['linkedin-insight', 0.2, 1],
    ['tiktok', 0.25, 2],
    ['amazon-ads', 0.6, 2],
    ['amazon-bid', 0.6, 4],
    ['adnxs', 0.6, 4],
    ['ioam', 0.85, 1],
    ['ioam-tx', 0.85, 3],
    ['chartbeat', 0.4, 1],
    ['chartbeat-ping', 0.4, 4],
    ['twitter', 0.4, 2],
    ['clarity', 0.1, 1],
    ['clarity-c', 0.1, 2],
    ['sentry-cdn', 0.2, 1],
    ['sentry', 0.2, 2],
    ['recaptcha', 0.1, 1],
    ['vimeo', 0.1, 1],
    ['tiktok-embed', 0.1, 1],
  ],
  authority: [
    ['gtm', 0.15, 2],
    ['ga', 0.15, 3],
    ['fonts', 0.35, 2],
    ['gstatic-fonts', 0.35, 3],
    ['cookiebot', 0.25, 2],
    ['cookiebot-cdn', 0.2, 1],
    ['usercentrics', 0.2, 1],
    ['usercentrics-api', 0.2, 1],
    ['jsdelivr', 0.3, 2],
    ['cdnjs', 0.2, 2],
    ['unpkg', 0.1, 1],
    ['youtube', 0.25, 1],
    ['youtube-nocookie', 0.3, 1],
    ['ytimg', 0.3, 2],
    ['maps', 0.2, 2],
    ['osm', 0.3, 3],
    ['hotjar', 0.08, 1],
    ['hotjar-metrics', 0.08, 1],
    ['etracker', 0.15, 1],
    ['etracker-dc', 0.15, 1],
    ['matomo-cloud', 0.1, 2],
    ['recaptcha', 0.15, 1],
    ['gstatic', 0.15, 1],
    ['fbevents', 0.08, 1],
    ['linkedin-insight', 0.05, 1],
    ['bing', 0.05, 1],
    ['vimeo', 0.1, 1],
    ['twitter', 0.05, 1],
  ],
  instagram: [
    ['cdninstagram', 1, 10],
    ['scontent', 1, 14],
    ['fbtr', 0.6, 1],
    ['fbevents', 0.5, 1],
    ['gstatic', 0.2, 1],
  ],
  linktree: [
    ['linktree-assets', 1, 10],
    ['linktree-ugc', 1, 4],
    ['gtm', 1, 2],
    ['ga', 1, 3],
    ['fbevents', 0.7, 1],
    ['fbtr', 0.7, 1],
    ['tiktok', 0.5, 2],
    ['sentry', 0.5, 1],
    ['recaptcha', 0.3, 1],
    ['gstatic-fonts', 0.2, 1],
  ],
};

// ---------------------------------------------------------------------------------------------
// First-party requests

const CMS_PATHS: [string, string][] = [
  ['/typo3conf/ext/site/Resources/Public/JavaScript/main.min.js', 'script'],
  ['/typo3temp/assets/compressed/merged-{h}.css', 'stylesheet'],
  ['/fileadmin/user_upload/Bilder/{w}-{n}.jpg', 'image'],
  ['/fileadmin/_processed_/{a}/{b}/csm_{w}_{h}.jpg', 'image'],
  ['/wp-content/themes/{w}/style.css?ver=6.{n}', 'stylesheet'],
  ['/wp-content/uploads/2026/0{a}/{w}-{n}x{n}.webp', 'image'],
  ['/wp-includes/js/jquery/jquery.min.js?ver=3.7.1', 'script'],
  ['/assets/fonts/{w}-regular.woff2', 'font'],
  ['/assets/js/app.{h}.js', 'script'],
  ['/api/v1/{w}?limit=20&offset={n}', 'xmlhttprequest'],
  ['/SiteGlobals/Forms/Suche/Servicesuche_Formular.html?nn={n}&resourceId={n}', 'xmlhttprequest'],
  ['/resource/blob/{n}/{h}/{w}-data.jpg', 'image'],
  ['/static/img/logo-{w}.svg', 'image'],
  ['/favicon.ico', 'image'],
  ['/images/Hintergrund%20Bild%20{n}.jpg', 'image'],
];
const NEWS_PATHS: [string, string][] = [
  ['/images/{h}/{w}-{n}.jpg?width={n}&format=webp', 'image'],
  ['/public/js/{w}.{h}.js', 'script'],
  ['/public/css/{w}.{h}.css', 'stylesheet'],
  ['/api/articles/{n}/comments?page=1', 'xmlhttprequest'],
  ['/fonts/{w}-bold.woff2', 'font'],
  ['/ads/{w}/iframe.html?pos={n}', 'sub_frame'],
  ['/stats/beacon?ev=view&id={n}', 'ping'],
];
const WORDS = [
  'start',
  'aktuelles',
  'service',
  'buergergeld',
  'antrag',
  'kontakt',
  'teaser',
  'header',
  'logo',
  'news',
  'politik',
  'karriere',
  'kita',
  'wohngeld',
  'termin',
  'presse',
];

function fill(r: Rng, template: string): string {
  return template
    .replace(/\{h\}/g, () => hex(r, 12))
    .replace(/\{n\}/g, () => String(int(r, 1, 99999)))
    .replace(/\{w\}/g, () => pick(r, WORDS))
    .replace(/\{a\}/g, () => hex(r, 1))
    .replace(/\{b\}/g, () => hex(r, 1));
}

function firstParty(c: Ctx): { host: string; path: string; type: string; pool: Pool } {
  const { r, page } = c;
  if (page.kind === 'instagram') {
    const x = r();
    if (x < 0.55)
      return {
        host: 'www.instagram.com',
        pool: 'meta',
        path: pick(r, [
          `/api/v1/users/web_profile_info/?username=${page.handle}`,
          '/ajax/bz?__a=1&__ccg=EXCELLENT',
          `/graphql/query/?query_hash=${hex(r, 32)}&variables=${enc(JSON.stringify({ id: String(int(r, 1e8, 9e9)), first: 12 }))}`,
          '/api/v1/web/fxcal/ig_sso_users/',
        ]),
        type: 'xmlhttprequest',
      };
    if (x < 0.8)
      return { host: 'graph.instagram.com', pool: 'meta', path: '/logging_client_events', type: 'xmlhttprequest' };
    return {
      host: 'www.instagram.com',
      pool: 'meta',
      path: `/static/bundles/es6/${alnum(r, 10)}.js/${hex(r, 12)}.js`,
      type: 'script',
    };
  }
  if (page.kind === 'linktree') {
    return r() < 0.6
      ? {
          host: 'linktr.ee',
          pool: 'cloudflare',
          path: `/_next/data/${alnum(r, 21)}/${page.handle}.json`,
          type: 'xmlhttprequest',
        }
      : {
          host: 'linktr.ee',
          pool: 'cloudflare',
          path: `/api/profiles/${page.handle}/events?type=${pick(r, ['view', 'click'])}`,
          type: 'ping',
        };
  }
  // Self-hosted Matomo (authority sites): the tracker file and its hits, on the site's own host.
  if (page.matomo !== 'none' && page.matomo !== 'cloud' && r() < 0.06) {
    const host = page.matomo === 'self' ? page.host : `statistik.${page.site}`;
    const x = r();
    const path =
      x < 0.25
        ? pick(r, ['/matomo.js', '/piwik.js', '/matomo/matomo.js'])
        : `${pick(r, ['/matomo.php', '/piwik.php', '/matomo/matomo.php'])}?action_name=${enc('Startseite')}&idsite=${int(r, 1, 40)}&rec=1&r=${int(r, 1e5, 9e5)}&h=${int(r, 0, 23)}&m=${int(r, 0, 59)}&s=${int(r, 0, 59)}&url=${enc(c.pageUrl)}&_id=${hex(r, 16)}&_idn=0&send_image=0&pdf=1&cookie=1&res=1920x1080&pv_id=${alnum(r, 6)}`;
    return { host, pool: 'de', path, type: x < 0.25 ? 'script' : r() < 0.5 ? 'ping' : 'xmlhttprequest' };
  }
  const host = r() < 0.7 ? page.host : `${pick(r, ['static', 'cdn', 'img', 'media', 'api'])}.${page.site}`;
  const [tpl, type] = pick(r, page.kind === 'news' && r() < 0.6 ? NEWS_PATHS : CMS_PATHS);
  return {
    host,
    pool: page.kind === 'news' ? pick(r, ['akamai', 'fastly', 'de'] as Pool[]) : 'de',
    path: fill(r, tpl),
    type,
  };
}

// ---------------------------------------------------------------------------------------------
// Long tail: hosts nobody catalogues (agencies, small CDNs, municipal IT providers, widgets).

function longTailHosts(r: Rng, n: number): string[] {
  const syll = [
    'ka',
    'lo',
    'mi',
    'ren',
    'tas',
    'vo',
    'bel',
    'dor',
    'fin',
    'gu',
    'har',
    'ix',
    'jel',
    'kor',
    'lun',
    'mav',
    'nex',
    'op',
    'pra',
    'quo',
    'ris',
    'sol',
    'tri',
    'ul',
    'ven',
    'wal',
    'xan',
    'yor',
    'zel',
  ];
  const sub = [
    'cdn',
    'static',
    'img',
    'media',
    'api',
    'assets',
    'www',
    'files',
    'cache',
    'edge',
    'widget',
    'tracking',
    'stats',
    'eu',
    'cdn2',
  ];
  const suffix = ['-media', '-digital', '-cloud', 'cdn', '-it', '-web', '-solutions', '', '', ''];
  const tld = ['.de', '.de', '.de', '.com', '.net', '.eu', '.io', '.at', '.org', '.cloud', '.co.uk', '.com.au'];
  const out = new Set<string>();
  while (out.size < n) {
    let name = '';
    for (let i = 0, k = int(r, 2, 4); i < k; i++) name += pick(r, syll);
    const deep = r() < 0.15 ? `${pick(r, sub)}${int(r, 1, 9)}.` : '';
    out.add(`${deep}${pick(r, sub)}.${name}${pick(r, suffix)}${pick(r, tld)}`);
  }
  return [...out];
}

const TAIL_PATHS: [string, string][] = [
  ['/js/{w}.min.js?v={n}', 'script'],
  ['/widget/{h}/embed.js', 'script'],
  ['/img/{w}_{n}.png', 'image'],
  ['/pixel.gif?id={n}&ref={h}', 'image'],
  ['/css/{w}.css', 'stylesheet'],
  ['/fonts/{w}.woff2', 'font'],
  ['/v2/events', 'xmlhttprequest'],
  ['/embed/{n}', 'sub_frame'],
  ['/collect', 'ping'],
];

// ---------------------------------------------------------------------------------------------

function buildPages(r: Rng): Page[] {
  const pages: Page[] = [];
  const make = (kind: Kind, host: string, site: string, handle: string): Page => {
    const thirdParties: Page['thirdParties'] = [];
    for (const [key, p, weight] of PROFILES[kind]) if (r() < p) thirdParties.push({ tp: tp(key), weight });
    const hasCloud = thirdParties.some((t) => t.tp.key === 'matomo-cloud');
    const m = r();
    return {
      kind,
      host,
      site,
      handle,
      ga: `G-${upper(r, 10)}`,
      gtm: `GTM-${upper(r, 7)}`,
      pixel: String(int(r, 1e14, 9e14)),
      hotjar: int(r, 100000, 5000000),
      thirdParties,
      matomo: hasCloud ? 'cloud' : kind !== 'authority' ? 'none' : m < 0.3 ? 'self' : m < 0.45 ? 'subdomain' : 'none',
    };
  };
  for (const s of NEWS) pages.push(make('news', s.split('.').length > 2 ? s : `www.${s}`, s, ''));
  for (const s of AUTHORITIES) pages.push(make('authority', s.startsWith('polizei.') ? s : `www.${s}`, s, ''));
  for (const h of INSTAGRAM) pages.push(make('instagram', 'www.instagram.com', 'instagram.com', h));
  for (const h of LINKTREE) pages.push(make('linktree', 'linktr.ee', 'linktr.ee', h));
  // Fisher-Yates, so that the popularity skew below does not follow the kind.
  for (let i = pages.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [pages[i], pages[j]] = [pages[j]!, pages[i]!];
  }
  return pages;
}

function pageUrlOf(r: Rng, page: Page, visit: number): string {
  switch (page.kind) {
    case 'instagram':
      return `https://www.instagram.com/${page.handle}/${r() < 0.2 ? `p/${alnum(r, 11)}/` : ''}`;
    case 'linktree':
      return `https://linktr.ee/${page.handle}`;
    case 'news':
      return r() < 0.2
        ? `https://${page.host}/`
        : `https://${page.host}/${pick(r, ['politik', 'wirtschaft', 'kultur', 'sport', 'panorama'])}/${pick(r, WORDS)}-${pick(r, WORDS)}-a-${hex(r, 8)}-${visit}.html`;
    default:
      return r() < 0.3
        ? `https://${page.host}/`
        : `https://${page.host}/${pick(r, WORDS)}/${pick(r, WORDS)}${r() < 0.3 ? `?id=${visit}` : ''}`;
  }
}

const REQUESTS_PER_VISIT: Record<Kind, [number, number]> = {
  news: [150, 400],
  authority: [30, 120],
  instagram: [80, 200],
  linktree: [25, 60],
};
/** Share of a visit's requests going to [first party, catalogued third party]; the rest is long tail. */
const MIX: Record<Kind, [number, number]> = {
  news: [0.38, 0.5],
  authority: [0.72, 0.22],
  instagram: [0.3, 0.65],
  linktree: [0.2, 0.75],
};

interface Visit {
  page: Page;
  pageUrl: string;
  left: number;
}

/**
 * `count` request events. Visits overlap a little (a background tab still loading): about one
 * event in eight belongs to another visit than the current one.
 */
export function generateRequestCorpus(
  count: number,
  seed = 0x5eed_2026,
): { events: RequestEvent[]; stats: CorpusStats } {
  const r = mulberry32(seed);
  hostIps.clear();
  const pages = buildPages(r);
  const tail = longTailHosts(r, 2500);
  const events: RequestEvent[] = [];
  const active: Visit[] = [];
  let visits = 0;
  let fp = 0;
  let known = 0;
  let v6 = 0;
  let noIp = 0;
  const types: Record<string, number> = {};
  const hosts = new Set<string>();
  const knownHosts = new Set<string>();
  const tailHosts = new Set<string>();
  const newVisit = (): Visit => {
    // Popular pages more often: a mild skew over the (shuffled) page list.
    const page = pages[Math.floor(r() ** 1.3 * pages.length)]!;
    const [lo, hi] = REQUESTS_PER_VISIT[page.kind];
    visits++;
    return { page, pageUrl: pageUrlOf(r, page, visits), left: int(r, lo, hi) };
  };
  while (events.length < count) {
    if (active.length === 0 || (active.length < 3 && r() < 0.004)) active.unshift(newVisit());
    const v = active.length > 1 && r() < 0.12 ? active[1 + Math.floor(r() * (active.length - 1))]! : active[0]!;
    const c: Ctx = { r, page: v.page, pageUrl: v.pageUrl };
    const [fpShare, knownShare] = MIX[v.page.kind];
    const x = r();
    let host: string;
    let path: string;
    let type: string;
    let pool: Pool;
    let wellKnown = false;
    if (x < fpShare || (x < fpShare + knownShare && v.page.thirdParties.length === 0)) {
      ({ host, path, type, pool } = firstParty(c));
      fp++;
    } else if (x < fpShare + knownShare) {
      const list = v.page.thirdParties;
      let total = 0;
      for (const t of list) total += t.weight;
      let w = r() * total;
      let chosen = list[0]!.tp;
      for (const t of list) {
        w -= t.weight;
        if (w <= 0) {
          chosen = t.tp;
          break;
        }
      }
      host = chosen.host(c);
      [path, type] = chosen.req(c);
      pool = chosen.pool;
      wellKnown = true;
      known++;
      knownHosts.add(host);
    } else {
      host = tail[Math.floor(r() ** 2 * tail.length)]!;
      const [tpl, t] = pick(r, TAIL_PATHS);
      path = fill(r, tpl);
      type = t;
      pool = (['any', 'de', 'eu', 'aws', 'cloudflare'] as Pool[])[hash(host) % 5]!;
      tailHosts.add(host);
    }
    const ips = addressesOf(host, pool);
    const ip = r() < 0.04 ? null : ips[Math.floor(r() * ips.length)]!;
    if (ip === null) noIp++;
    else if (ip.includes(':')) v6++;
    types[type] = (types[type] ?? 0) + 1;
    hosts.add(host);
    events.push({ url: `https://${host}${path}`, pageUrl: v.pageUrl, type, ip, host, wellKnown });
    if (--v.left <= 0) active.splice(active.indexOf(v), 1);
  }
  const n = events.length;
  return {
    events,
    stats: {
      events: n,
      pages: pages.length,
      visits,
      hosts: hosts.size,
      wellKnownHosts: knownHosts.size,
      longTailHosts: tailHosts.size,
      firstPartyShare: fp / n,
      wellKnownShare: known / n,
      longTailShare: (n - fp - known) / n,
      ipv6Share: v6 / n,
      noIpShare: noIp / n,
      types,
    },
  };
}
