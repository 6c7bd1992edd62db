/**
 * Two facts on the imprint a profile or page links, for the rule book (rules.json facts_schema):
 *  - `imprint.label_clear` (R-IMP-02): the link's label says what it leads to. § 5 Abs. 1 DDG wants
 *    the imprint "leicht erkennbar"; BGH, 20.07.2006, I ZR 228/03 (Anbieterkennzeichnung im
 *    Internet) accepts "Impressum" and also "Kontakt" as labels; a label that names neither
 *    ("Info", "Über uns", an icon without text) leaves the visitor guessing (OLG Düsseldorf,
 *    13.08.2013, I-20 U 75/13: an imprint behind a Facebook "Info" tab). The link finder
 *    (lib/page/links.ts) records how it knew the link: its text, title, aria-label or the field
 *    label before it name the imprint, or only the URL path or a weak label did.
 *  - `imprint.covers_profile` (R-IMP-12): "imprint text mentions the platform/profile or is on the
 *    authority's domain linked from the profile" (rules.json facts_schema). The statement is
 *    lib/legal/imprint-extras.ts findCoversProfiles; LG Aschaffenburg, 19.08.2011, 2 HK O 54/11.
 * Pure functions on plain data.
 */
import type { RankedLink } from '../page/links';
import { isLinkInBioHost } from '../page/platforms';

/** BGH I ZR 228/03: "Kontakt" (and its English form) is a clear enough label for the imprint. */
const ACCEPTED_WEAK_LABEL = /(?<![\p{L}])(?:Kontakt|Contact)(?![\p{L}])/iu;

/** What the report keeps of the followed link: its label and how the link finder matched it. */
export type DocLinkLabel = Pick<RankedLink, 'text' | 'matchedBy' | 'weak'>;

/**
 * The label of an imprint link that does not name the imprint, as shown ('' for a link without
 * text); null when the label is clear or there is no link. Unclear: matched only by its URL path,
 * or only by a weak label other than "Kontakt"/"Contact".
 */
export function unclearImprintLabel(link: DocLinkLabel | null | undefined): string | null {
  if (!link) return null;
  if (link.weak) return ACCEPTED_WEAK_LABEL.test(link.text) ? null : link.text;
  return link.matchedBy.length > 0 && link.matchedBy.every((s) => s === 'url') ? link.text : null;
}

/**
 * Whether the imprint a social profile links covers the profile (rules.json
 * `imprint.covers_profile`); null where the question does not arise: not a profile, or no imprint
 * read. Covered: the imprint says so; it is shown on the platform itself (the profile's own
 * imprint field or tab); or the profile is a public body's and the imprint sits on a domain it
 * links directly (not a link-in-bio page, whose imprint is usually the link service's).
 */
export function imprintCoversProfile(input: {
  isProfile: boolean;
  imprintRead: boolean;
  statement: boolean;
  imprintUrl: string | null;
  pageUrl: string;
  isAuthority: boolean;
}): boolean | null {
  if (!input.isProfile || !input.imprintRead || !input.imprintUrl) return null;
  if (input.statement) return true;
  const host = hostOf(input.imprintUrl);
  if (!host) return null;
  if (host === hostOf(input.pageUrl)) return true;
  return input.isAuthority && !isLinkInBioHost(host);
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
}
