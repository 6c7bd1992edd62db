/**
 * The Jobcenter case (../shared/DESIGN.md, SPEC § 8) as two hand-built, schema-valid reports with
 * fixed timestamps: the Jobcenter's U25 Instagram profile, then the Linktree page its bio links
 * to (68 requests to third parties, 16 cookies before any interaction, servers in the USA).
 *
 * The findings are literal copies of what lib/verdict/findings.ts produced for these facts when the
 * golden files were written, so the export goldens test the export, not the findings table.
 */
import type { ComplaintInput } from '@/lib/export/complaint/model';
import { type HarRow, buildHar } from '@/lib/export/har';
import type { PackageInput } from '@/lib/export/package';
import type { Report } from '@/lib/verdict/report';

export const PROFILE_URL = 'https://www.instagram.com/jobcenter_musterstadt/';
export const LINKTREE_URL = 'https://linktr.ee/jobcenter_musterstadt';
export const PROFILE_AT = '2026-03-02T08:14:05.000Z';
export const LINKTREE_AT = '2026-03-02T08:15:31.000Z';
export const NOW = '2026-03-02T08:40:00.000Z';

/** The Jobcenter website's imprint (fetched separately: the profile's "Impressum" highlight was empty). */
export const IMPRINT_TEXT = `Impressum
Jobcenter Musterstadt
Gemeinsame Einrichtung der Agentur für Arbeit Musterstadt und der Stadt Musterstadt
Musterstraße 12
45127 Musterstadt
Telefon: 0201 1234-0
E-Mail: Jobcenter-Musterstadt@jobcenter-ge.de
Vertreten durch die Geschäftsführerin Erika Mustermann`;

export const PRIVACY_TEXT = `Datenschutzerklärung
Verantwortlich: Jobcenter Musterstadt, Musterstraße 12, 45127 Musterstadt.
Datenschutzbeauftragter: datenschutz@jobcenter-musterstadt.de
Wir verarbeiten Ihre Daten zur Erfüllung unserer Aufgaben nach dem SGB II (Art. 6 Abs. 1 lit. e DSGVO).
Sie haben das Recht auf Auskunft, Berichtigung, Löschung und Beschwerde bei einer Aufsichtsbehörde.`;

export const USER_STATEMENT = {
  de: `Die Kommentarfunktion des Profils ist „aus Datenschutzgründen“ abgeschaltet, Direktnachrichten sind aber ausdrücklich erwünscht.

Ich bin Kundin des Jobcenters (U25). Eine Mitarbeiterin hat mir am 25.02.2026 gesagt, dass Fälle im Team auch über WhatsApp besprochen werden.`,
  en: `The profile's comments are switched off "for data protection", yet direct messages are explicitly invited.

I am a client of the Jobcenter (under 25). On 25 Feb 2026 a member of staff told me that cases are also discussed in the team via WhatsApp.`,
};

const JOBCENTER_AUTHORITY: Report['authority'] = {
  isAuthority: true,
  score: 8,
  isSocialBenefitBody: true,
  audienceMinors: true,
  userOverride: null,
  signals: [
    { id: 'name-keyword', weight: 3, evidence: 'Jobcenter Musterstadt', source: 'name' },
    { id: 'bio-link-domain', weight: 5, evidence: 'jobcenter-musterstadt.de', source: 'bio-link' },
  ],
};

const GOOGLE_IE = { name: 'Google Ireland Limited', country: 'IE' };
const META_IE = { name: 'Meta Platforms Ireland Limited', country: 'IE' };

type HostRow = Report['requests']['thirdPartyHosts'][number];
const host = (
  h: string,
  requests: number,
  owner: string,
  category: string,
  service: string | null,
  at: string,
  server = ['US'],
): HostRow => ({
  host: h,
  requests,
  owner,
  country: 'US',
  serverCountries: server,
  category,
  service,
  firstSeenAt: at,
});

type CookieRow = Report['cookies']['items'][number];
const cookie = (
  name: string,
  domain: string,
  thirdParty: boolean,
  lifetimeSeconds: number | null,
  beforeInteraction = true,
): CookieRow => ({
  name,
  domain,
  thirdParty,
  session: lifetimeSeconds === null,
  lifetimeSeconds,
  attemptedOnly: false,
  beforeInteraction,
});

const YEAR = 31_536_000;
const DAY = 86_400;

export function profileReport(): Report {
  return {
    schemaVersion: 2,
    tool: { name: 'Datenschutz-Ampel', version: '0.1.0', rulesVersion: '0.1.0' },
    url: PROFILE_URL,
    visitedAt: PROFILE_AT,
    analysedAt: '2026-03-02T08:14:11.000Z',
    pageKind: 'social-profile',
    platform: 'instagram',
    page: {
      title: 'Jobcenter Musterstadt (@jobcenter_musterstadt) • Instagram-Fotos und -Videos',
      profileName: 'Jobcenter Musterstadt U25',
      handle: 'jobcenter_musterstadt',
    },
    authority: JOBCENTER_AUTHORITY,
    verdict: 'red',
    greyReason: null,
    findings: [
      {
        id: 'imprint-empty',
        severity: 'red',
        certainty: 'observed',
        legal: ['§ 5 Abs. 1 Nr. 1 DDG', '§ 18 Abs. 1 Nr. 1 MStV'],
        evidence: 'https://www.instagram.com/stories/highlights/17890/',
        text: { de: 'Das verlinkte Impressum ist leer.', en: 'The linked imprint has no content.' },
      },
      {
        id: 'privacy-incomplete',
        severity: 'red',
        certainty: 'heuristic',
        legal: ['Art. 13(1)(c), 6 GDPR', 'Art. 13(2)(b), 15-21 GDPR', 'Art. 13(2)(d), 77 GDPR', 'Art. 13(2)(a) GDPR'],
        evidence: 'storage-period',
        text: {
          de: 'In der Datenschutzerklärung fehlen Pflichtangaben nach Art. 13 DSGVO.',
          en: 'The privacy notice lacks information required by Art. 13 GDPR.',
        },
        escalatedBy: 'ESC-MINORS',
      },
      {
        id: 'privacy-unmentioned-service',
        severity: 'red',
        certainty: 'heuristic',
        legal: ['Art. 13(1)(e),(f) GDPR', 'Art. 5(1)(a) GDPR'],
        evidence: 'instagram, linktree',
        text: {
          de: 'Genutzte Dienste werden in der Datenschutzerklärung nicht genannt.',
          en: 'Services in use are not named in the privacy notice.',
        },
        escalatedBy: 'ESC-MINORS',
      },
      {
        id: 'privacy-no-platform-notice',
        severity: 'red',
        certainty: 'heuristic',
        legal: ['Art. 12(1), 13 GDPR', 'Art. 26(2) GDPR', 'DSK FAQ Fanpages 22.06.2022'],
        evidence: 'instagram – https://www.jobcenter-musterstadt.de/datenschutz',
        text: {
          de: 'Keine vom Profil erreichbare Datenschutzerklärung deckt diese Plattform ab.',
          en: 'No privacy notice reachable from the profile covers this platform.',
        },
      },
      {
        id: 'authority-dm-invitation',
        severity: 'red',
        certainty: 'heuristic',
        legal: [
          'Art. 5(1)(f), 25(1),(2), 32 GDPR',
          '§ 35 SGB I (Sozialgeheimnis)',
          '§§ 67 ff. SGB X',
          '§ 80 SGB X (processing on behalf)',
        ],
        evidence: '„Schreib uns gern eine DM!“',
        text: {
          de: 'Behörde lädt zu Direktnachrichten ein, ohne auf sichere Kanäle zu verweisen.',
          en: 'Public body invites direct messages without pointing to secure channels.',
        },
      },
      {
        id: 'link-in-bio-tracking',
        severity: 'red',
        certainty: 'observed',
        legal: [
          'Art. 5(1)(c), 25 GDPR',
          'Art. 6(1) subpara 2 GDPR',
          '§ 25 TDDDG (if trackers)',
          '§ 5 DDG',
          '§ 18 Abs. 1 MStV',
        ],
        evidence: 'https://linktr.ee/jobcenter_musterstadt',
        text: {
          de: 'Link-in-Bio-Dienst statt eigener Seite: Besucher werden an einen weiteren Tracking-Anbieter weitergereicht.',
          en: 'A link-in-bio service instead of an own site: visitors are handed to another tracking provider.',
        },
      },
      {
        id: 'authority-on-platform',
        severity: 'yellow',
        certainty: 'contested',
        legal: [
          'Art. 26 GDPR; CJEU C-210/16',
          'DSK Beschluss 23.03.2022 + Kurzgutachten v1.1 (10.11.2022)',
          'BfDI Bescheid 17.02.2023 (Bundespresseamt)',
          'contra: VG Koeln 17.07.2025 - 13 K 1419/23 (appeal pending)',
        ],
        evidence: 'instagram',
        text: {
          de: 'Behörde auf einer Plattform, die Nutzerdaten für eigene Zwecke auswertet (nach DSK/BfDI nicht datenschutzkonform betreibbar; VG Köln 2025 nicht rechtskräftig anders).',
          en: 'Public body on a platform that profiles its users (German DPAs: cannot be run lawfully; VG Cologne 2025, not final, disagrees).',
        },
      },
    ],
    requests: {
      total: 78,
      firstParty: 49,
      thirdParty: 29,
      failed: 0,
      thirdPartyHosts: [
        host('static.cdninstagram.com', 18, 'Meta Platforms, Inc.', 'cdn', null, '2026-03-02T08:14:05.412Z', ['IE']),
        host('scontent-fra5-2.cdninstagram.com', 9, 'Meta Platforms, Inc.', 'cdn', null, '2026-03-02T08:14:06.020Z', [
          'DE',
        ]),
        host('www.facebook.com', 2, 'Meta Platforms, Inc.', 'social', 'facebook', '2026-03-02T08:14:07.180Z', ['IE']),
      ],
    },
    companies: [
      {
        name: 'Meta Platforms, Inc.',
        site: 'cdninstagram.com',
        country: 'US',
        parent: null,
        contractingEntity: META_IE,
        privacyPolicyUrl: 'https://privacycenter.instagram.com/policy',
        serverCountries: ['DE', 'IE'],
        transferStatus: 'conditional',
        categories: ['cdn', 'social'],
        services: ['instagram'],
        requests: 29,
        hosts: ['static.cdninstagram.com', 'scontent-fra5-2.cdninstagram.com', 'www.facebook.com'],
      },
    ],
    thirdParties: { requests: 29, hosts: 3, companies: 1, unknownHosts: 0, countries: ['DE', 'IE', 'US'] },
    selfHostedTools: [],
    cookies: {
      total: 5,
      thirdParty: 0,
      items: [
        cookie('csrftoken', '.instagram.com', false, YEAR),
        cookie('mid', '.instagram.com', false, 400 * DAY),
        cookie('ig_did', '.instagram.com', false, 400 * DAY),
        cookie('datr', '.instagram.com', false, 400 * DAY),
        cookie('ig_nrcb', '.instagram.com', false, YEAR),
      ],
    },
    imprint: {
      status: 'empty',
      url: 'https://www.instagram.com/stories/highlights/17890/',
      elements: { name: false, address: false, email: false, representative: false },
      evidence: {},
      reason: 'the linked page has no identifying element',
    },
    privacyNotice: {
      status: 'found',
      url: 'https://www.jobcenter-musterstadt.de/datenschutz',
      elements: {
        controller: true,
        dpo: true,
        purposes: true,
        'legal-basis': true,
        rights: true,
        'complaint-right': true,
        'storage-period': false,
      },
      evidence: { controller: 'Verantwortlich: Jobcenter Musterstadt, Musterstraße 12, 45127 Musterstadt.' },
      reason: null,
      unmentionedServices: ['instagram', 'linktree'],
      vendorOnlyServices: [],
    },
    messengers: [],
    dmInvitations: ['Schreib uns gern eine DM!'],
    bioLinks: [{ url: LINKTREE_URL, linkInBio: true, viaRedirector: true }],
    firstInteractionAt: '2026-03-02T08:15:28.000Z',
    truncated: false,
  };
}

export function linktreeReport(): Report {
  const t = (s: string) => `2026-03-02T08:15:${s}Z`;
  const hosts: HostRow[] = [
    host('api.segment.io', 14, 'Twilio Inc.', 'analytics', 'segment', t('33.870')),
    host('region1.google-analytics.com', 9, 'Google LLC', 'analytics', 'google-analytics', t('32.940')),
    host('cdn.cookielaw.org', 8, 'OneTrust LLC', 'consent', 'onetrust', t('31.620')),
    host('fonts.gstatic.com', 7, 'Google LLC', 'fonts', 'google-fonts', t('31.880')),
    host('www.facebook.com', 6, 'Meta Platforms, Inc.', 'advertising', 'facebook-pixel', t('33.410')),
    host('googleads.g.doubleclick.net', 4, 'Google LLC', 'advertising', 'google-ads', t('33.560')),
    host('connect.facebook.net', 3, 'Meta Platforms, Inc.', 'advertising', 'facebook-pixel', t('32.710')),
    host('o450.ingest.sentry.io', 3, 'Functional Software, Inc.', 'utilities', 'sentry', t('34.020')),
    host('www.googletagmanager.com', 3, 'Google LLC', 'tag-manager', 'google-tag-manager', t('31.790')),
    host('cdn.segment.com', 2, 'Twilio Inc.', 'analytics', 'segment', t('32.230')),
    host('fonts.googleapis.com', 2, 'Google LLC', 'fonts', 'google-fonts', t('31.700')),
    host('geolocation.onetrust.com', 2, 'OneTrust LLC', 'consent', 'onetrust', t('31.950')),
    host('www.google-analytics.com', 2, 'Google LLC', 'analytics', 'google-analytics', t('32.990')),
    host('www.googleadservices.com', 2, 'Google LLC', 'advertising', 'google-ads', t('33.600')),
    host('browser.sentry-cdn.com', 1, 'Functional Software, Inc.', 'utilities', 'sentry', t('31.840')),
  ];
  const byOwner = (owner: string) => hosts.filter((h) => h.owner === owner);
  const company = (
    name: string,
    site: string,
    categories: string[],
    services: string[],
    contractingEntity: { name: string; country: string | null } | null,
    privacyPolicyUrl: string | null,
  ) => ({
    name,
    site,
    country: 'US',
    parent: null,
    contractingEntity,
    privacyPolicyUrl,
    serverCountries: ['US'],
    transferStatus: 'conditional',
    categories,
    services,
    requests: byOwner(name).reduce((s, h) => s + h.requests, 0),
    hosts: byOwner(name).map((h) => h.host),
  });
  return {
    schemaVersion: 2,
    tool: { name: 'Datenschutz-Ampel', version: '0.1.0', rulesVersion: '0.1.0' },
    url: LINKTREE_URL,
    visitedAt: LINKTREE_AT,
    analysedAt: '2026-03-02T08:15:40.000Z',
    pageKind: 'link-in-bio',
    platform: null,
    page: {
      title: 'Jobcenter Musterstadt U25 | Instagram | Linktree',
      profileName: 'Jobcenter Musterstadt U25',
      handle: 'jobcenter_musterstadt',
    },
    authority: JOBCENTER_AUTHORITY,
    verdict: 'red',
    greyReason: null,
    findings: [
      {
        id: 'cookies-before-consent',
        severity: 'red',
        certainty: 'observed',
        legal: [
          '§ 25 Abs. 1 TDDDG',
          'Art. 5(3) Directive 2002/58/EC',
          'CJEU C-673/17 Planet49',
          'Art. 6(1)(a), 7 GDPR',
        ],
        evidence: '_ga, _gid, _gcl_au, _fbp, IDE, fr, ajs_anonymous_id, Google LLC',
        text: {
          de: 'Tracker und Cookies von Dritten vor jeder Einwilligung.',
          en: 'Third-party trackers and cookies before any consent.',
        },
      },
      {
        id: 'link-in-bio-tracking',
        severity: 'red',
        certainty: 'observed',
        legal: [
          'Art. 5(1)(c), 25 GDPR',
          'Art. 6(1) subpara 2 GDPR',
          '§ 25 TDDDG (if trackers)',
          '§ 5 DDG',
          '§ 18 Abs. 1 MStV',
        ],
        evidence: 'Google LLC, Meta Platforms, Inc., Twilio Inc.',
        text: {
          de: 'Link-in-Bio-Dienst statt eigener Seite: Besucher werden an einen weiteren Tracking-Anbieter weitergereicht.',
          en: 'A link-in-bio service instead of an own site: visitors are handed to another tracking provider.',
        },
        escalatedBy: 'ESC-LIB-TRACKING',
      },
      {
        id: 'imprint-missing',
        severity: 'red',
        certainty: 'heuristic',
        legal: ['§ 5 Abs. 1 DDG', '§ 18 Abs. 1 MStV'],
        evidence: '–',
        text: { de: 'Kein Impressum auffindbar.', en: 'No imprint (legal notice) found.' },
      },
      {
        id: 'privacy-missing',
        severity: 'red',
        certainty: 'heuristic',
        legal: ['Art. 12(1), 13 GDPR'],
        evidence: '–',
        text: { de: 'Keine Datenschutzerklärung auffindbar.', en: 'No privacy notice found.' },
      },
      {
        id: 'many-third-parties',
        severity: 'info',
        certainty: 'observed',
        legal: ['Art. 5(1)(c), 25(2) GDPR'],
        evidence: '15 / 68',
        text: { de: 'Sehr viele Drittanbieter.', en: 'Very many third parties.' },
      },
    ],
    requests: { total: 131, firstParty: 63, thirdParty: 68, failed: 2, thirdPartyHosts: hosts },
    companies: [
      company(
        'Google LLC',
        'google-analytics.com',
        ['analytics', 'advertising', 'fonts', 'tag-manager'],
        ['google-analytics', 'google-ads', 'google-fonts', 'google-tag-manager'],
        GOOGLE_IE,
        'https://policies.google.com/privacy',
      ),
      company('Twilio Inc.', 'segment.io', ['analytics'], ['segment'], null, 'https://www.twilio.com/legal/privacy'),
      company('OneTrust LLC', 'cookielaw.org', ['consent'], ['onetrust'], null, 'https://www.onetrust.com/privacy/'),
      company(
        'Meta Platforms, Inc.',
        'facebook.com',
        ['advertising'],
        ['facebook-pixel'],
        META_IE,
        'https://www.facebook.com/privacy/policy/',
      ),
      company('Functional Software, Inc.', 'sentry.io', ['utilities'], ['sentry'], null, 'https://sentry.io/privacy/'),
    ],
    thirdParties: { requests: 68, hosts: 15, companies: 5, unknownHosts: 0, countries: ['US'] },
    selfHostedTools: [],
    cookies: {
      total: 16,
      thirdParty: 7,
      items: [
        cookie('__cf_bm', '.linktr.ee', false, 1800),
        cookie('_cfuvid', '.linktr.ee', false, null),
        cookie('lt_session', 'linktr.ee', false, null),
        cookie('_ga', '.linktr.ee', false, 400 * DAY),
        cookie('_ga_3XKV7Y2M1Q', '.linktr.ee', false, 400 * DAY),
        cookie('_gid', '.linktr.ee', false, DAY),
        cookie('_gcl_au', '.linktr.ee', false, 90 * DAY),
        cookie('_fbp', '.linktr.ee', false, 90 * DAY),
        cookie('ajs_anonymous_id', '.linktr.ee', false, YEAR),
        cookie('IDE', '.doubleclick.net', true, 390 * DAY),
        cookie('test_cookie', '.doubleclick.net', true, 900),
        cookie('ar_debug', '.doubleclick.net', true, 90 * DAY),
        cookie('fr', '.facebook.com', true, 90 * DAY),
        cookie('datr', '.facebook.com', true, 400 * DAY),
        cookie('NID', '.google.com', true, 183 * DAY),
        cookie('AEC', '.google.com', true, 180 * DAY),
      ],
    },
    imprint: { status: 'missing', url: null, elements: {}, evidence: {}, reason: null },
    privacyNotice: {
      status: 'missing',
      url: null,
      elements: {},
      evidence: {},
      reason: null,
      unmentionedServices: [],
      vendorOnlyServices: [],
    },
    messengers: [],
    dmInvitations: [],
    bioLinks: [],
    firstInteractionAt: null,
    truncated: false,
  };
}

/** The complaint input of the golden files; reports deliberately out of time order. */
export function jobcenterInput(lang: 'de' | 'en'): ComplaintInput {
  return {
    site: 'instagram.com/jobcenter_musterstadt',
    reports: [linktreeReport(), profileReport()],
    lang,
    userStatement: USER_STATEMENT[lang],
    imprintText: IMPRINT_TEXT,
    privacyText: PRIVACY_TEXT,
    jobcenterType: 'gemeinsame-einrichtung',
    screenshot: null,
    toolVersion: '0.1.0',
    now: NOW,
  };
}

/** A 1×1 JPEG (the screenshot of the golden export: only its bytes and hash matter). */
export const TINY_JPEG =
  'data:image/jpeg;base64,/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=';

/** The Linktree visit's first requests as a recorder saw them (a cookie value and a token to redact). */
export function linktreeHarRows(): HarRow[] {
  const at = Date.parse(LINKTREE_AT);
  return [
    {
      pageref: 'page_2',
      startedAt: at,
      method: 'GET',
      url: LINKTREE_URL,
      status: 200,
      statusText: 'OK',
      httpVersion: 'HTTP/1.1',
      serverIp: '104.18.2.3',
      resourceType: 'main_frame',
      responseHeaders: [{ name: 'Set-Cookie', value: '__cf_bm=secret-value; Path=/; Secure; SameSite=None' }],
      timings: { send: 0, wait: 41, receive: 3 },
    },
    {
      pageref: 'page_2',
      startedAt: at + 180,
      method: 'GET',
      url: 'https://www.google-analytics.com/g/collect?v=2&tid=G-ABC123&access_token=abc',
      status: 204,
      serverIp: '142.250.1.1',
      resourceType: 'ping',
      requestHeaders: [{ name: 'Cookie', value: '_ga=GA1.1.123.456' }],
      timings: { send: 0, wait: 20, receive: 0 },
    },
  ];
}

/** The golden export: the case with every attachment (screenshot, HAR, CSV tables). */
export function jobcenterPackageInput(lang: 'de' | 'en'): PackageInput {
  return {
    ...jobcenterInput(lang),
    baseName: 'jobcenter',
    screenshot: { dataUrl: TINY_JPEG, takenAt: '2026-03-02T08:15:40.000Z' },
    har: buildHar({
      creator: { name: 'Datenschutz-Ampel', version: '0.1.0' },
      pages: [
        { id: 'page_1', title: PROFILE_URL, startedAt: Date.parse(PROFILE_AT) },
        { id: 'page_2', title: LINKTREE_URL, startedAt: Date.parse(LINKTREE_AT) },
      ],
      rows: linktreeHarRows(),
    }),
    csv: true,
  };
}
