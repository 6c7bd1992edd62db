/**
 * Ownership changes since the snapshot of Ghostery's tracker database we ship
 * (@ghostery/trackerdb, see lib/parties/trackers.ts): acquisitions and spin-offs that change who
 * receives the data and, through the company's country, the transfer status under Chapter V GDPR.
 *
 * Applied at build time by scripts/trackerdb-encoder.ts (the shipped public/data/trackerdb.json
 * already carries the corrected owner) and listed on the About page, each with its source and the
 * date of the change. A row names the trackerdb pattern it corrects and what trackerdb says, so a
 * later trackerdb release that fixes the owner itself shows up in the unit test
 * (tests/unit/parties/owners.test.ts) instead of being silently overridden.
 *
 * Pure data, no browser API: the About page imports it directly.
 */

export interface OwnershipCorrection {
  /** trackerdb pattern id whose organisation is corrected. */
  pattern: string;
  /** The pattern's domains, for the About page. */
  domains: readonly string[];
  /** What trackerdb says (organisation id, name and country), so a fixed upstream row is noticed. */
  trackerdbSays: { id: string; name: string; country: string | null };
  /**
   * The owner now: a trackerdb organisation id when trackerdb knows the company (its name and
   * country are then taken from trackerdb), else a new organisation with this id.
   */
  organisation: { id: string; name: string; country: string | null; websiteUrl?: string; privacyPolicyUrl?: string };
  /** A service name that says what the pattern is today, when trackerdb's name is the old owner's. */
  service?: string;
  /** When the ownership changed (ISO date, month precision where that is all the source gives). */
  changedOn: string;
  /** When we checked it. */
  checkedOn: string;
  /** Where it is documented. */
  source: string;
}

export const OWNERSHIP_CORRECTIONS: readonly OwnershipCorrection[] = [
  {
    pattern: 'treasuredata',
    domains: ['treasuredata.com'],
    trackerdbSays: { id: 'arm', name: 'arm', country: 'GB' },
    organisation: {
      id: 'treasure_data',
      name: 'Treasure Data',
      country: 'US',
      websiteUrl: 'https://www.treasuredata.com/',
      privacyPolicyUrl: 'https://www.treasuredata.com/privacy/',
    },
    changedOn: '2021-01',
    checkedOn: '2026-12-07',
    source:
      'Arm transferred its IoT Services Group including Treasure Data to SoftBank Group (announced July 2020, https://www.arm.com/company/news/2020/07/arm-announces-proposal-to-transfer-isg); Treasure Data, Inc. has since operated as an independent company headquartered in Mountain View, California (https://www.treasuredata.com/company/)',
  },
  {
    pattern: 'experian',
    domains: ['eccmp.com'],
    trackerdbSays: { id: 'experian_inc', name: 'Experian', country: 'IE' },
    organisation: { id: 'marigold', name: 'Marigold', country: 'US' },
    service: 'Marigold Engage+ (formerly Cheetah Digital, Experian CCMP)',
    changedOn: '2022-05',
    checkedOn: '2026-12-07',
    source:
      "eccmp.com is the Cross-Channel Marketing Platform Experian sold in 2017 as Cheetah Digital; CM Group, Cheetah Digital's owner, renamed itself Marigold in 2022 (https://meetmarigold.com/about/). trackerdb's own 'marigold' organisation: Nashville, Tennessee, US",
  },
  {
    pattern: 'expedia',
    domains: ['expedia.com', 'trvl-px.com'],
    trackerdbSays: { id: 'iac_apps', name: 'IAC (InterActiveCorp)', country: null },
    organisation: {
      id: 'expedia_group',
      name: 'Expedia Group',
      country: 'US',
      websiteUrl: 'https://www.expediagroup.com/',
    },
    changedOn: '2005-08',
    checkedOn: '2026-12-07',
    source:
      'IAC/InterActiveCorp spun off Expedia, Inc. as a separate listed company in August 2005 (Expedia Group, Inc., Seattle, Washington; https://www.expediagroup.com/about/)',
  },
  {
    pattern: 'tripadvisor',
    domains: ['tripadvisor.com', 'tripadvisor.de', 'tripadvisor.co.uk', 'tacdn.com', 'jscache.com', 'tamgrt.com'],
    trackerdbSays: { id: 'iac_apps', name: 'IAC (InterActiveCorp)', country: null },
    organisation: {
      id: 'tripadvisor_inc',
      name: 'Tripadvisor',
      country: 'US',
      websiteUrl: 'https://www.tripadvisor.com/',
    },
    changedOn: '2011-12',
    checkedOn: '2026-12-07',
    source:
      'Expedia spun off TripAdvisor, Inc. as an independent listed company in December 2011 (Tripadvisor, Inc., Needham, Massachusetts; https://ir.tripadvisor.com/)',
  },
];
