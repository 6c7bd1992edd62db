/**
 * Content a page pulls from third parties before the visitor has done anything: web fonts from
 * Google's servers (rules.json R-TRK-03) and embedded players, maps and social posts (R-TRK-04).
 * Either hands the visitor's IP address to the third party on page load; a click-to-load
 * ("two-click") embed loads only after the visitor asked for it.
 *
 * The facts come from the classifier (lib/parties/classify.ts: service and category per host) and
 * the tally (first request per host, resource types), never from host names written here:
 *  - Google Fonts: hosts of the rules.json service `google_fonts` (fonts.googleapis.com for the
 *    style sheet, fonts.gstatic.com for the font files);
 *  - embeds: hosts of the categories `embed` (video and audio players, booking and form widgets),
 *    `maps`, and `social` when that service filled a frame on the page (a post or a button; a
 *    social tracking pixel alone is an image or beacon, which cookies-before-consent judges).
 * Only requests that reached the network count (a host row with requests > 0: Chromium's
 * cache-only probes of font files are not loads, docs/ARCHITECTURE.md "The tally").
 * "Before any interaction": the host's first request came before the first trusted click or key
 * press on the page (or there was none), as for cookies-before-consent.
 *
 * The rows are part of the findings table (lib/verdict/findings.ts spreads them); types only are
 * imported from findings.ts, which keeps the module graph free of cycles at run time.
 */
import type { Category } from '../parties/classify';
import type { CompanyGroup } from '../parties/summary';
import type { HostTally } from '../tally/types';
import { capped, fire, secs } from './evidence-text';
import type { FindingRule, PageKind, VerdictFacts } from './findings';

/** A host contacted, and when: milliseconds after the page visit started. */
export interface LoadedHost {
  host: string;
  afterMs: number;
}

/** One embedded service loaded before any interaction. */
export interface EmbedFact {
  /** The classifier's service name ("YouTube embed", "Google Maps"), else the company or site. */
  service: string;
  category: EmbedCategory;
  /** The company's country (ISO 3166-1 alpha-2), null when unknown. */
  country: string | null;
  /** Its hosts, first contacted first. */
  hosts: string[];
  /** First request to any of its hosts, ms after the visit started. */
  afterMs: number;
}

export type EmbedCategory = Extract<Category, 'embed' | 'maps' | 'social'>;

export interface ThirdPartyContentFacts {
  googleFonts: LoadedHost[];
  embeds: EmbedFact[];
}

/** rules.json `services[].id` of Google Fonts served by Google (the overlay keeps the rules.json ids). */
export const GOOGLE_FONTS_SERVICE = 'google_fonts';
const EMBED_CATEGORIES: readonly Category[] = ['embed', 'maps', 'social'];
/** A social service counts as embedded content when it filled a frame (webRequest type). */
const FRAME_TYPES: readonly string[] = ['sub_frame'];

/**
 * The facts of R-TRK-03 and R-TRK-04 for one visit. `groups`: the third parties by company,
 * without the page's own company (report.ts `foreignGroups`); `hosts`: the tally's host rows;
 * `firstInteractionAt`: epoch ms of the first click or key press, null when none.
 */
export function thirdPartyContentFacts(
  groups: readonly CompanyGroup[],
  hosts: ReadonlyMap<string, HostTally>,
  startedAt: number,
  firstInteractionAt: number | null,
): ThirdPartyContentFacts {
  const firstSeen = (host: string) => hosts.get(host)?.firstSeenAt ?? startedAt;
  const before = (host: string) => firstInteractionAt === null || firstSeen(host) < firstInteractionAt;
  const afterMs = (host: string) => Math.max(0, firstSeen(host) - startedAt);
  const framed = (host: string) => FRAME_TYPES.some((t) => (hosts.get(host)?.types[t] ?? 0) > 0);

  const googleFonts: LoadedHost[] = [];
  const embeds = new Map<string, EmbedFact & { framed: boolean }>();
  for (const g of groups) {
    for (const h of g.hosts) {
      if (h.requests <= 0 || !before(h.host)) continue;
      if (h.serviceId === GOOGLE_FONTS_SERVICE) {
        googleFonts.push({ host: h.host, afterMs: afterMs(h.host) });
        continue;
      }
      if (!EMBED_CATEGORIES.includes(h.category)) continue;
      const service = h.service ?? g.organisation ?? g.site;
      const key = `${h.category}\u0000${service}`;
      const e = embeds.get(key) ?? {
        service,
        category: h.category as EmbedCategory,
        country: g.ownerCountry,
        hosts: [],
        afterMs: Infinity,
        framed: false,
      };
      e.hosts.push(h.host);
      e.afterMs = Math.min(e.afterMs, afterMs(h.host));
      e.framed ||= framed(h.host);
      embeds.set(key, e);
    }
  }
  const byTime = <T extends { afterMs: number }>(a: T, b: T) => a.afterMs - b.afterMs;
  return {
    googleFonts: googleFonts.sort((a, b) => byTime(a, b) || (a.host < b.host ? -1 : 1)),
    embeds: [...embeds.values()]
      .filter((e) => e.category !== 'social' || e.framed)
      .map(({ framed: _f, ...e }) => ({
        ...e,
        hosts: e.hosts.sort((a, b) => afterMs(a) - afterMs(b) || (a < b ? -1 : 1)),
      }))
      .sort((a, b) => byTime(a, b) || (a.service < b.service ? -1 : 1)),
  };
}

/** "fonts.googleapis.com +0.1 s, fonts.gstatic.com +0.3 s" */
export function googleFontsEvidence(hosts: readonly LoadedHost[]): string {
  return capped(
    hosts.map((h) => `${h.host} ${secs(h.afterMs)}`),
    4,
  ).join(', ');
}

/** "Google Maps (maps, US): maps.googleapis.com, maps.gstatic.com +0.4 s; …" */
export function embedsEvidence(embeds: readonly EmbedFact[]): string {
  return capped(
    embeds.map(
      (e) =>
        `${e.service} (${[e.category, e.country].filter(Boolean).join(', ')}): ${capped(e.hosts, 3).join(', ')} ${secs(e.afterMs)}`,
    ),
    4,
  ).join('; ');
}

/** rules.json R-TRK-03/04 contexts: websites and link pages (a profile's page belongs to the platform). */
const PAGES: readonly PageKind[] = ['website', 'link-in-bio'];

export const THIRD_PARTY_CONTENT_RULES: readonly FindingRule[] = [
  {
    id: 'google-fonts-remote',
    source: ['R-TRK-03'],
    kinds: PAGES,
    severity: { default: 'yellow' },
    certainty: 'observed',
    tags: ['lawfulness'],
    text: {
      de: 'Google Fonts werden von Google-Servern geladen: die IP-Adresse geht ohne Einwilligung an Google.',
      en: "Google Fonts are loaded from Google's servers: the IP address goes to Google without consent.",
    },
    trigger:
      "Before the first click or key press, the page requested a style sheet or font file from Google's font hosts (classifier service google_fonts: fonts.googleapis.com, fonts.gstatic.com). Fonts served by the site itself, other font services and cache probes that never left the browser do not count.",
    when: (f: VerdictFacts) => (f.googleFonts.length ? fire(googleFontsEvidence(f.googleFonts)) : null),
  },
  {
    id: 'embeds-without-click',
    source: ['R-TRK-04'],
    kinds: PAGES,
    severity: { default: 'yellow' },
    certainty: 'observed',
    tags: ['lawfulness'],
    text: {
      de: 'Externe Inhalte (Video, Karte, soziale Netzwerke) werden ohne Klick geladen, ohne Zwei-Klick-Lösung.',
      en: 'Third-party embeds (video, map, social media) load without a click, with no click-to-load.',
    },
    trigger:
      'Before the first click or key press, the page loaded a third-party player, map or social-media post or button: classifier categories embed and maps, and social when the service filled a frame (a tracking pixel alone does not count). Embeds that load only after a click do not fire.',
    when: (f: VerdictFacts) => (f.embeds.length ? fire(embedsEvidence(f.embeds)) : null),
  },
];
