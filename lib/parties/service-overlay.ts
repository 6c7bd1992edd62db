/**
 * Our own service data, layered over Ghostery's tracker database (lib/parties/trackers.ts).
 *
 * trackerdb names the company behind most tracker hosts but lacks some that matter for this
 * product (Linktree and the other link-in-bio services, WhatsApp, TikTok) and files some hosts
 * under a category that hides what they do on a public body's page (connect.facebook.net is the
 * Meta Pixel: advertising). Overlay rows win over trackerdb for service, category and company;
 * trackerdb still supplies a company's privacy-policy URL and contact when it knows the company.
 *
 * Sources: the services and link-in-bio hosts come from lib/legal/rules.json (`services`,
 * `link_in_bio_hosts`, researched with sources in `meta.sources`); companies trackerdb lacks are
 * in OVERLAY_ORGANISATIONS below, each with the source of its name and country.
 */
import { link_in_bio_hosts, services } from '../legal/rules.json';

/** What a third party does, in the product's own words (popup, findings, exports). */
export type Category =
  | 'advertising'
  | 'analytics'
  | 'social'
  | 'messaging'
  | 'link-in-bio'
  | 'tag-manager'
  | 'session-replay'
  | 'consent'
  | 'cdn'
  | 'fonts'
  | 'embed'
  | 'maps'
  | 'captcha'
  | 'payment'
  | 'customer-interaction'
  | 'utilities'
  | 'misc'
  | 'unknown';

/** rules.json `services[].category` -> Category. */
const RULES_CATEGORY: Record<string, Category> = {
  advertising: 'advertising',
  analytics: 'analytics',
  social: 'social',
  messaging: 'messaging',
  link_in_bio: 'link-in-bio',
  tag_manager: 'tag-manager',
  session_replay: 'session-replay',
  consent: 'consent',
  cdn: 'cdn',
  fonts: 'fonts',
  embed_video: 'embed',
  maps: 'maps',
  captcha: 'captcha',
  payment: 'payment',
};

/** trackerdb category id -> Category. */
export const TRACKERDB_CATEGORY: Record<string, Category> = {
  advertising: 'advertising',
  pornvertising: 'advertising',
  site_analytics: 'analytics',
  social_media: 'social',
  consent: 'consent',
  hosting: 'cdn',
  audio_video_player: 'embed',
  customer_interaction: 'customer-interaction',
  utilities: 'utilities',
  extensions: 'misc',
  misc: 'misc',
};

export interface OverlayOrganisation {
  id: string;
  name: string;
  /** ISO 3166-1 alpha-2 of the company's seat; null when our sources do not settle it. */
  country: string | null;
  source: string;
  /**
   * The same company's organisation id in trackerdb, where trackerdb knows it under its own
   * name: its privacy-policy URL comes from there (the package's data, never copied by hand).
   */
  trackerdbId?: string;
}

/** Companies trackerdb does not know (ids must not clash with trackerdb organisation ids). */
export const OVERLAY_ORGANISATIONS: readonly OverlayOrganisation[] = [
  {
    id: 'overlay:linktree',
    name: 'Linktree',
    country: 'AU',
    source:
      'rules.json services[linktree]: Linktree Pty Ltd, Australia (its privacy policy names the Australian company)',
  },
  {
    id: 'overlay:beacons',
    name: 'Beacons AI',
    country: 'US',
    source: 'rules.json link_in_bio_hosts[beacons.ai]: Beacons AI Inc.',
  },
  { id: 'overlay:bitly', name: 'Bitly', country: 'US', source: 'rules.json link_in_bio_hosts[bit.ly/m/]: Bitly' },
  {
    id: 'overlay:bytedance',
    name: 'TikTok (ByteDance)',
    country: 'CN',
    source: 'rules.json services[tiktok]: TikTok Technology Ltd. (IE), parent ByteDance Ltd. (KY/CN)',
    trackerdbId: 'bytedance_inc',
  },
  {
    id: 'overlay:snap',
    name: 'Snap',
    country: 'US',
    source: 'rules.json services[snapchat]: Snap B.V. (NL), part of Snap Inc. (US)',
    trackerdbId: 'snap_technologies',
  },
  {
    id: 'overlay:etracker',
    name: 'etracker',
    country: 'DE',
    source: 'rules.json services[etracker]: etracker GmbH, Hamburg',
    trackerdbId: 'etracker_gmbh',
  },
  {
    id: 'overlay:bluesky',
    name: 'Bluesky Social',
    country: 'US',
    source: 'rules.json services[bluesky]: Bluesky Social, PBC (US)',
    trackerdbId: 'bluesky',
  },
  {
    id: 'overlay:telegram',
    name: 'Telegram',
    country: 'AE',
    source: 'rules.json services[telegram]: Telegram FZ-LLC, Dubai',
  },
  { id: 'overlay:calendly', name: 'Calendly', country: 'US', source: 'rules.json services[calendly]: Calendly LLC' },
  {
    id: 'overlay:fonticons',
    name: 'Font Awesome (Fonticons)',
    country: 'US',
    source: 'rules.json services[fontawesome]: Fonticons, Inc.',
  },
  {
    id: 'overlay:osmf',
    name: 'OpenStreetMap Foundation',
    country: 'GB',
    source:
      'rules.json services[openstreetmap]: OpenStreetMap Foundation, a company limited by guarantee in England and Wales (https://osmfoundation.org/wiki/About)',
  },
  {
    id: 'overlay:friendly-captcha',
    name: 'Friendly Captcha',
    country: 'DE',
    source: 'rules.json services[friendly_captcha]: Friendly Captcha GmbH',
    trackerdbId: 'friendly_captcha',
  },
];

/**
 * The company (trackerdb organisation id or OVERLAY_ORGANISATIONS id) behind each rules.json
 * service. Services missing here (public JS CDNs: many operators) stay without a company.
 */
const SERVICE_ORGANISATION: Record<string, string> = {
  meta_pixel: 'facebook',
  facebook: 'facebook',
  instagram: 'facebook',
  whatsapp: 'facebook',
  linktree: 'overlay:linktree',
  google_analytics: 'google',
  google_tag_manager: 'google',
  google_ads: 'google',
  google_fonts: 'google',
  youtube: 'google',
  google_maps: 'google',
  recaptcha: 'google',
  google_generic: 'google',
  cloudflare: 'cloudflare',
  x_twitter: 'twitter',
  tiktok: 'overlay:bytedance',
  linkedin: 'microsoft',
  threads: 'facebook',
  bluesky: 'overlay:bluesky',
  telegram: 'overlay:telegram',
  vimeo: 'vimeo',
  matomo: 'matomo',
  hotjar: 'hotjar',
  ms_clarity: 'microsoft',
  microsoft_ads: 'microsoft',
  cookiebot: 'usercentrics',
  usercentrics: 'usercentrics',
  stripe: 'stripe',
  pinterest: 'pinterest',
  snapchat: 'overlay:snap',
  hubspot: 'hubspot',
  mailchimp: 'mailchimp',
  etracker: 'overlay:etracker',
  onetrust: 'onetrust',
  didomi: 'didomi',
  consentmanager: 'consentmanager',
  fontawesome: 'overlay:fonticons',
  adobe_fonts: 'adobe',
  hcaptcha: 'intuition_machines',
  friendly_captcha: 'overlay:friendly-captcha',
  spotify_embed: 'spotify',
  soundcloud: 'soundcloud',
  calendly: 'overlay:calendly',
  typeform: 'typeform',
  openstreetmap: 'overlay:osmf',
};

/** Parent companies named by rules.json (`parent`, e.g. "Google LLC (US)"), by organisation. */
const ORGANISATION_PARENT: Record<string, string> = { google: 'Alphabet Inc.' };

/** Hosts rules.json lists under no service (none at present; Threads has its own service row). */
const EXTRA_HOSTS: Record<string, readonly string[]> = {};

export interface OverlayService {
  id: string;
  name: string;
  category: Category;
  /** trackerdb or overlay organisation id; null when a service has many operators. */
  organisationId: string | null;
  /** The EU entity that contracts with EU users, where rules.json names one (e.g. Meta Platforms Ireland Ltd.). */
  contractingEntity: { name: string; country: string | null } | null;
  parent: string | null;
  /** Host suffixes. */
  hosts: readonly string[];
  /** Only when nothing more specific matches (google_generic). */
  fallback: boolean;
  source: string;
}

const COUNTRY_RE = /^[A-Z]{2}$/;
const cleanCountry = (c: string | undefined): string | null => (c && COUNTRY_RE.test(c) ? c : null);

/** "Meta Platforms, Inc. (US)" -> "Meta Platforms, Inc." */
function parentName(parent: string | undefined): string | null {
  if (!parent) return null;
  return parent.replace(/\s*\([^)]*\)\s*$/, '').trim() || null;
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/\(.*?\)/g, '')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

function buildOverlayServices(): OverlayService[] {
  const out: OverlayService[] = [];
  for (const s of services) {
    const extra = EXTRA_HOSTS[s.id] ?? [];
    // A service without hosts (Mastodon: any server can be an instance) matches no request.
    if (s.hosts.length + extra.length === 0) continue;
    out.push({
      id: s.id,
      name: s.name,
      category: RULES_CATEGORY[s.category] ?? 'misc',
      organisationId: SERVICE_ORGANISATION[s.id] ?? null,
      contractingEntity: s.vendor ? { name: s.vendor, country: cleanCountry(s.vendor_country) } : null,
      parent: parentName(s.parent),
      hosts: [...s.hosts, ...extra],
      fallback: typeof s.match_priority === 'string' && s.match_priority.startsWith('lowest'),
      source: `rules.json services[${s.id}]`,
    });
  }
  const known = new Set(out.flatMap((s) => s.hosts));
  // Link-in-bio hosts not already covered by a service (linktr.ee is): one service per name.
  const byName = new Map<string, OverlayService>();
  for (const row of link_in_bio_hosts) {
    if (!('host' in row) || typeof row.host !== 'string' || known.has(row.host)) continue;
    const name = row.service.replace(/\s*\(.*\)\s*$/, '');
    let svc = byName.get(name);
    if (!svc) {
      const org = OVERLAY_ORGANISATIONS.find(
        (o) => row.vendor !== 'unknown' && o.name && row.vendor.startsWith(o.name),
      );
      svc = {
        id: `linkinbio_${slug(name)}`,
        name,
        category: 'link-in-bio',
        organisationId: org?.id ?? null,
        contractingEntity: null,
        parent: null,
        hosts: [],
        fallback: false,
        source: `rules.json link_in_bio_hosts[${row.host}]`,
      };
      byName.set(name, svc);
      out.push(svc);
    }
    (svc.hosts as string[]).push(row.host);
  }
  return out;
}

export const OVERLAY_SERVICES: readonly OverlayService[] = buildOverlayServices();

export function overlayOrganisation(id: string): OverlayOrganisation | null {
  return OVERLAY_ORGANISATIONS.find((o) => o.id === id) ?? null;
}

export function parentOfOrganisation(orgId: string): string | null {
  return ORGANISATION_PARENT[orgId] ?? null;
}

export interface OverlayIndex {
  /** Longest host-suffix match; a fallback row only when nothing else matches. */
  matchHost(host: string): OverlayService | null;
  service(id: string): OverlayService | null;
}

export function buildOverlayIndex(rows: readonly OverlayService[] = OVERLAY_SERVICES): OverlayIndex {
  const byHost = new Map<string, OverlayService>();
  const byId = new Map<string, OverlayService>();
  for (const s of rows) {
    byId.set(s.id, s);
    for (const h of s.hosts) {
      const prev = byHost.get(h);
      // A specific service keeps a host a fallback row also lists.
      if (!prev || (prev.fallback && !s.fallback)) byHost.set(h, s);
    }
  }
  return {
    matchHost(host) {
      let h = host;
      for (;;) {
        const s = byHost.get(h);
        if (s) return s;
        const dot = h.indexOf('.');
        if (dot < 0) return null;
        h = h.slice(dot + 1);
      }
    },
    service(id) {
      return byId.get(id) ?? null;
    },
  };
}

const TRACKING_SERVICE_CATEGORIES: ReadonlySet<Category> = new Set([
  'advertising',
  'analytics',
  'social',
  'session-replay',
  'tag-manager',
]);

/**
 * Cookie names that tracking services set, from rules.json `services[].cookies` ("_ga", "_ga_*",
 * "_fbp", "_gcl_au" …). Only names starting with "_" are used: they are what tracker scripts
 * write into the page's own (first-party) jar, while short generic names ("lang", "mid", "NID")
 * would also match a site's own cookies. Third-party cookies are judged by their company instead.
 */
const TRACKING_COOKIE_PATTERNS: readonly { name: string; prefix: boolean }[] = services
  .filter((s) => TRACKING_SERVICE_CATEGORIES.has(RULES_CATEGORY[s.category] ?? 'misc'))
  .flatMap((s) => ('cookies' in s && Array.isArray(s.cookies) ? (s.cookies as string[]) : []))
  .filter((c) => c.startsWith('_'))
  .map((c) => (c.endsWith('*') ? { name: c.slice(0, -1), prefix: true } : { name: c, prefix: false }));

export function isTrackingCookieName(name: string): boolean {
  return TRACKING_COOKIE_PATTERNS.some((p) => (p.prefix ? name.startsWith(p.name) : name === p.name));
}
