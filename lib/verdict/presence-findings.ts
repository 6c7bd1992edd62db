/**
 * Rows on how a body runs its presence on platforms and link pages, as far as one page shows it:
 *  - R-AUTH-07: a public body's website links its own channels (lib/page/channels.ts
 *    `ownChannels`) that its privacy notice does not name (Art. 13(1)(e) GDPR: the recipients, here
 *    the platform operators the body hands its visitors to; Art. 26(2) for the joint-control part);
 *  - R-PRV-11: a Facebook, Instagram or LinkedIn profile whose notice says nothing on the joint
 *    controllership for page insights (CJEU C-210/16 Wirtschaftsakademie; Art. 26(2) GDPR);
 *  - R-AUTH-08: the profile says comments are off "for data protection" while it invites or
 *    accepts direct messages, the more exposed channel (Art. 25 GDPR; an inconsistency worth
 *    documenting, no breach in itself) — from the page here (heuristic); as the user confirmed it
 *    in the export panel, lib/verdict/user-reported.ts (user-reported, complaint only);
 *  - R-AUTH-09: a profile that looks official (authority score ≥ 3) while nothing confirms who runs
 *    it: no platform badge, no bio link to an official domain or a site whose imprint names a
 *    public body, no public-sector instance or domain handle — possibly a fan account (info);
 *  - R-LIB-03: the link page's own vendor (rules.json `link_in_bio_hosts[].vendor_country`) sits in
 *    a third country without an adequacy decision (Art. 44-46 GDPR).
 *
 * The rows are part of the findings table (lib/verdict/findings.ts spreads them); types only are
 * imported from findings.ts, which keeps the module graph free of cycles at run time.
 */
import { link_in_bio_hosts } from '../legal/rules.json';
import { type TransferStatus, transferStatusOf } from '../parties/adequacy';
import { linkInBioHostOf } from '../page/platforms';
import { capped, fire } from './evidence-text';
import type { FindingRule } from './findings';
import { commentsOffDmsOpen } from './user-reported';

/** The vendor of a link-in-bio service, as rules.json `link_in_bio_hosts` records it. */
export interface LinkPageVendor {
  service: string;
  vendor: string;
  /** ISO 3166-1 alpha-2; null where the table says "unknown" or asks to verify it. */
  country: string | null;
  transfer: TransferStatus;
}

/** The vendor of the link-in-bio service `host` belongs to, or null for any other host. */
export function linkPageVendorOf(host: string): LinkPageVendor | null {
  const key = linkInBioHostOf(host);
  const row = key ? link_in_bio_hosts.find((r) => 'host' in r && r.host === key) : undefined;
  if (!row || !('service' in row)) return null;
  // Only a plain country code counts: "US (verify)", "CA/US (verify)" and "unknown" are not facts yet.
  const cc =
    typeof row.vendor_country === 'string' && /^[A-Z]{2}$/.test(row.vendor_country) ? row.vendor_country : null;
  return {
    service: String(row.service),
    vendor: String(row.vendor),
    country: cc,
    transfer: cc ? transferStatusOf(cc) : 'unknown',
  };
}

/**
 * Authority signals (lib/verdict/authority.ts) that confirm the operator, not just the look: the
 * platform's badge, and links or handles the operator alone controls (rules.json R-AUTH-09
 * `bio.link_official_domain`, `ctx.platform_verified`).
 */
export const OPERATOR_CONFIRMING_SIGNALS: readonly string[] = [
  'platform-verified',
  'x-government-badge',
  'bio-link-domain',
  'verified-link-domain',
  'linked-imprint-public-law',
  'handle-domain',
  'mastodon-instance',
];

/** R-AUTH-09's facts for a profile: the authority score, and whether the operator is confirmed (by a signal or the user's own marking). */
export interface OperatorFacts {
  score: number;
  confirmed: boolean;
}

const PLATFORMS_WITH_INSIGHTS: readonly string[] = ['facebook', 'instagram', 'linkedin'];

export const PRESENCE_RULES: readonly FindingRule[] = [
  {
    id: 'authority-channels-not-in-notice',
    source: ['R-AUTH-07'],
    kinds: ['website'],
    severity: { default: 'red' },
    certainty: 'heuristic',
    tags: ['transparency'],
    text: {
      de: 'Behörde verlinkt eigene Social-Media-Kanäle, die ihre Datenschutzerklärung nicht erwähnt.',
      en: 'Public body links its own social-media channels that its privacy notice does not mention.',
    },
    trigger:
      "A public body's website links its own profiles, messenger channels or link pages (recognised from the links it presents as its own: follow-us blocks, social icons) and the privacy notice it links, read in full, names none of the platforms of some of them. No notice read: privacy-missing or the grey state says so instead.",
    when: (f) => {
      if (!f.authority.isAuthority || f.privacy.status !== 'found') return null;
      const unnamed = f.ownChannels.filter((c) => c.namedInNotice === false);
      return unnamed.length
        ? fire(
            capped(
              unnamed.map((c) => `${c.id}: ${c.url}`),
              5,
            ).join(', '),
          )
        : null;
    },
  },
  {
    id: 'privacy-no-joint-control',
    source: ['R-PRV-11'],
    kinds: ['social-profile'],
    severity: { default: 'yellow' },
    certainty: 'heuristic',
    tags: ['transparency'],
    text: {
      de: 'Keine Information zur gemeinsamen Verantwortlichkeit mit der Plattform (Insights).',
      en: 'No information on joint controllership with the platform (Insights).',
    },
    trigger:
      'A Facebook, Instagram or LinkedIn profile links a notice that was read and says nothing on joint controllership (Art. 26, "gemeinsam Verantwortliche", page insights; rules.json privacy_notice joint_control).',
    when: (f) =>
      f.platform &&
      PLATFORMS_WITH_INSIGHTS.includes(f.platform) &&
      f.privacy.status === 'found' &&
      !f.privacy.jointControl
        ? fire(`${f.platform} – ${f.privacy.url ?? ''}`)
        : null,
  },
  {
    id: 'comments-off-dms-open',
    source: ['R-AUTH-08'],
    kinds: ['social-profile'],
    severity: { default: 'info' },
    certainty: 'heuristic',
    tags: ['consistency'],
    text: {
      de: 'Kommentare „aus Datenschutzgründen“ deaktiviert, Direktnachrichten aber erwünscht.',
      en: 'Comments disabled "for data protection", but direct messages invited.',
    },
    trigger:
      "The profile's own text says comments are off for data-protection reasons (a comment word, a data-protection reason and a switched-off word in one sentence) and invites direct messages (as authority-dm-invitation reads them).",
    when: (f) => {
      const { claim, dms, byUser } = commentsOffDmsOpen(f);
      return claim && dms && !byUser ? fire(`${claim} / ${dms}`) : null;
    },
  },
  {
    id: 'operator-not-confirmed',
    source: ['R-AUTH-09'],
    kinds: ['social-profile'],
    severity: { default: 'info' },
    certainty: 'heuristic',
    tags: ['identity'],
    text: {
      de: 'Betreiber nicht bestätigt (möglicher Fan-Account) – bitte prüfen.',
      en: 'Operator not confirmed (possible fan account) – please verify.',
    },
    trigger:
      'The profile scores 3 or more on the authority signals but none confirms the operator: no platform verification badge, no bio link to an official domain (or to a site whose imprint names a public body), no public-sector Mastodon instance or Bluesky domain handle, and the user has not marked it.',
    when: (f) =>
      f.operator && f.operator.score >= 3 && !f.operator.confirmed ? fire(`score ${f.operator.score}`) : null,
  },
  {
    id: 'link-page-vendor-third-country',
    source: ['R-LIB-03'],
    kinds: ['link-in-bio'],
    severity: { default: 'info', authority: 'yellow' },
    certainty: 'heuristic',
    tags: ['transfer'],
    text: {
      de: 'Anbieter der Link-Seite sitzt in einem Drittland ohne Angemessenheitsbeschluss.',
      en: 'The link-page provider is based in a third country without an adequacy decision.',
    },
    trigger:
      "The page is a link-in-bio page whose service's vendor (rules.json link_in_bio_hosts vendor_country) sits outside the EEA in a country without an adequacy decision. US vendors (Data Privacy Framework certification not checkable) and vendors of unknown country do not fire.",
    when: (f) =>
      f.linkPageVendor?.transfer === 'third-country'
        ? fire(`${f.linkPageVendor.service}: ${f.linkPageVendor.vendor} (${f.linkPageVendor.country})`)
        : null,
  },
];
