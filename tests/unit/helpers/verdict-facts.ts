// The facts a golden verdict case starts from: a clean https website with imprint and notice found
// and complete, no third parties (tests/golden/verdict/*.json override parts of it).
import type { VerdictFacts } from '@/lib/verdict/findings';

export const DEFAULT_FACTS: VerdictFacts = {
  pageKind: 'website',
  platform: null,
  commercialPlatform: false,
  https: true,
  authority: { isAuthority: false, isSocialBenefitBody: false, audienceMinors: false },
  imprint: {
    status: 'found',
    url: 'https://www.example.de/impressum',
    missingElements: ['register', 'vat-id'],
    poBoxOnly: false,
    contactForm: false,
    legalForm: null,
    outdatedRefs: [],
  },
  privacy: {
    status: 'found',
    url: 'https://www.example.de/datenschutz',
    missingElements: [],
    unmentionedServices: [],
    vendorOnlyServices: [],
    coversPlatform: false,
    jointControl: true,
    bases: null,
  },
  thirdParties: { hosts: 0, requests: 0, thirdCountry: [], trackingCompanies: [] },
  consent: { status: 'not-checked', cmp: null },
  beforeInteraction: { cookies: [], trackers: [] },
  googleFonts: [],
  embeds: [],
  messengers: [],
  dmInvitations: [],
  commentsOffClaims: [],
  ownChannels: [],
  linkInBioTargets: [],
  linkInBioKnownTracking: [],
  linkPageVendor: null,
  operator: null,
};
