/**
 * What the user reports themselves about a site or profile: structured observations ticked in
 * the export panel of the sites page, stored per site, used only in the complaint (certainty
 * 'user-reported'; rules.json `meta.certainty_levels`). The extension cannot see these things —
 * what staff said on the phone, whether a DM went through — so they never colour the popup's
 * verdict; the free-text statement stays free text beside them.
 *
 * The rows here are part of the findings table (lib/verdict/findings.ts spreads them, so
 * docs/findings.md lists them); they fire only where `VerdictFacts.userReported` is set, which
 * only the complaint does (lib/export/complaint/user-reported.ts). Types only are imported from
 * findings.ts, which keeps the module graph free of cycles at run time.
 */
import { fire } from './evidence-text';
import type { FindingRule, PageKind, VerdictFacts } from './findings';

/** The observations a user can tick, with the rules.json facts they stand for. */
export const USER_OBSERVATIONS = [
  {
    id: 'staff-whatsapp-case',
    /** rules.json R-AUTH-06 `user.staff_whatsapp_case_statement`. */
    text: {
      de: 'Mitarbeitende boten an, meinen Fall über WhatsApp zu besprechen.',
      en: 'Staff offered to discuss my case over WhatsApp.',
    },
  },
  {
    id: 'comments-off-for-privacy',
    /** rules.json R-AUTH-08 `social.comments_disabled_privacy_claim`, confirmed by the user. */
    text: {
      de: 'Das Profil gibt an, Kommentare aus Datenschutzgründen abgeschaltet zu haben.',
      en: 'The profile says comments are switched off for data-protection reasons.',
    },
  },
  {
    id: 'dm-open',
    /** rules.json R-AUTH-04/08 `messaging.dm_open_user_confirmed`. */
    text: {
      de: 'Das Profil nimmt Direktnachrichten an (ich konnte eine senden oder wurde dazu aufgefordert).',
      en: 'The profile accepts direct messages (I could send one or was asked to).',
    },
  },
] as const;

export type UserObservationId = (typeof USER_OBSERVATIONS)[number]['id'];

/** The known observation ids in `value` (stored or imported data), in the list's order, each once. */
export function parseUserObservations(value: unknown): UserObservationId[] {
  const given = Array.isArray(value) ? value : [];
  return USER_OBSERVATIONS.map((o) => o.id).filter((id) => given.includes(id));
}

const reported = (f: VerdictFacts, id: UserObservationId) => Boolean(f.userReported?.includes(id));

/** R-AUTH-08's two halves: a claim that comments are off for privacy, and DMs invited or open. */
export function commentsOffDmsOpen(f: VerdictFacts): { claim: string | null; dms: string | null; byUser: boolean } {
  const claimSeen = f.commentsOffClaims[0];
  const dmSeen = f.dmInvitations[0];
  const claim = claimSeen
    ? `„${claimSeen}“`
    : reported(f, 'comments-off-for-privacy')
      ? 'comments-off-for-privacy'
      : null;
  const dms = dmSeen ? `„${dmSeen}“` : reported(f, 'dm-open') ? 'dm-open' : null;
  return { claim, dms, byUser: !claimSeen || !dmSeen };
}

export const USER_REPORTED_RULES: readonly FindingRule[] = [
  {
    id: 'authority-staff-whatsapp',
    source: ['R-AUTH-06'],
    kinds: ['social-profile', 'website'] as readonly PageKind[],
    severity: { default: 'red' },
    certainty: 'user-reported',
    tags: ['security'],
    text: {
      de: 'Nutzerangabe: Mitarbeitende besprechen Fälle über WhatsApp.',
      en: 'User report: staff discuss cases over WhatsApp.',
    },
    trigger:
      'Complaint only: the user ticked "staff offered to discuss my case over WhatsApp" for the site or profile of a public body (recognised or marked by the user).',
    when: (f) => (f.authority.isAuthority && reported(f, 'staff-whatsapp-case') ? fire(null) : null),
  },
  {
    id: 'comments-off-dms-open-reported',
    source: ['R-AUTH-08'],
    kinds: ['social-profile'] as readonly PageKind[],
    severity: { default: 'info' },
    certainty: 'user-reported',
    tags: ['consistency'],
    text: {
      de: 'Nutzerangabe: Kommentare „aus Datenschutzgründen“ deaktiviert, Direktnachrichten aber offen.',
      en: 'User report: comments disabled "for data protection", but direct messages open.',
    },
    trigger:
      'Complaint only: as comments-off-dms-open, where the user ticked "comments off for data protection" or "the profile accepts direct messages" for what the page did not show itself.',
    when: (f) => {
      const { claim, dms, byUser } = commentsOffDmsOpen(f);
      return claim && dms && byUser ? fire(`${claim} / ${dms}`) : null;
    },
  },
];

/** What storage.local keeps under USER_OBSERVATIONS_KEY: per site the ticked ids and when they last changed. */
export type StoredObservations = Record<string, { ids: UserObservationId[]; at: number }>;
export const USER_OBSERVATIONS_KEY = 'userObservations';
/** Sites remembered at most (the oldest change goes first); a few bytes each. */
export const MAX_OBSERVED_SITES = 500;

function storedOf(value: unknown): StoredObservations {
  const out: StoredObservations = {};
  if (!value || typeof value !== 'object' || Array.isArray(value)) return out;
  for (const [site, entry] of Object.entries(value as Record<string, unknown>)) {
    const e = entry && typeof entry === 'object' ? (entry as { ids?: unknown; at?: unknown }) : {};
    const ids = parseUserObservations(e.ids);
    if (site && ids.length) out[site] = { ids, at: typeof e.at === 'number' && Number.isFinite(e.at) ? e.at : 0 };
  }
  return out;
}

/** The ticked observations stored for `site` (anything malformed reads as none). */
export function observationsFor(stored: unknown, site: string): UserObservationId[] {
  return storedOf(stored)[site]?.ids ?? [];
}

/** The stored value with `site` set to `ids` (removed when none), at most MAX_OBSERVED_SITES sites. */
export function withObservations(
  stored: unknown,
  site: string,
  ids: readonly string[],
  now: number,
): StoredObservations {
  const all = storedOf(stored);
  const clean = parseUserObservations(ids);
  if (clean.length) all[site] = { ids: clean, at: now };
  else delete all[site];
  const sites = Object.keys(all);
  if (sites.length <= MAX_OBSERVED_SITES) return all;
  const keep = sites.sort((a, b) => all[b]!.at - all[a]!.at).slice(0, MAX_OBSERVED_SITES);
  return Object.fromEntries(keep.map((s) => [s, all[s]!]));
}
