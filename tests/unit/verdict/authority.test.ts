import { describe, expect, it } from 'vitest';
import {
  ASK_USER_THRESHOLD,
  AUTHORITY_SIGNAL_IDS,
  AUTHORITY_THRESHOLD,
  type AuthorityInput,
  type AuthorityResult,
  detectAuthority,
} from '@/lib/verdict/authority';
import { hostOfUrl, matchOfficialDomain } from '@/lib/verdict/authority-signals';
import { cpuMs } from '../helpers/cpu-time';

function input(over: Partial<AuthorityInput>): AuthorityInput {
  return {
    pageUrl: 'https://www.instagram.com/example/',
    platform: 'instagram',
    pageKind: 'social-profile',
    title: '',
    profileName: null,
    handle: null,
    description: null,
    bioLinkUrls: [],
    ...over,
  };
}

const ids = (r: AuthorityResult): string[] => r.signals.map((s) => s.id).sort();
const weightOf = (r: AuthorityResult, id: string): number | undefined => r.signals.find((s) => s.id === id)?.weight;

/** Imprint of the gE Jobcenter fixture (tests/fixtures/sites/www.jobcenter-musterstadt.de/impressum.html), as text. */
const JOBCENTER_IMPRINT = [
  'Impressum',
  'Jobcenter Musterstadt',
  'gemeinsame Einrichtung der Agentur für Arbeit Musterstadt und der Stadt Musterstadt nach § 44b SGB II',
  'Hauptstraße 12',
  '12345 Musterstadt',
  'Telefon: 030 123456-0',
  'E-Mail: jobcenter-musterstadt@jobcenter-ge.de',
  'Vertreten durch den Geschäftsführer Max Beispiel',
  'Aufsichtsbehörde: Bundesministerium für Arbeit und Soziales, Wilhelmstraße 49, 10117 Berlin',
].join('\n');

const JOBCENTER_U25: AuthorityInput = input({
  pageUrl: 'https://www.instagram.com/jobcenter_musterstadt/',
  title: 'Jobcenter Musterstadt (@jobcenter_musterstadt) • Instagram-Fotos und -Videos',
  profileName: 'Jobcenter Musterstadt',
  handle: 'jobcenter_musterstadt',
  description:
    '1.204 Follower, 87 gefolgt, 312 Beiträge – Sieh dir Instagram-Fotos und -Videos von Jobcenter Musterstadt (@jobcenter_musterstadt) an',
  bioText:
    'Für junge Menschen unter 25. Kommentare sind aus Datenschutzgründen deaktiviert. Schreib uns gern eine DM!\nlinktr.ee/jobcenter_musterstadt',
  bioLinkUrls: ['https://linktr.ee/jobcenter_musterstadt'],
});

describe('rules.json wiring', () => {
  it('thresholds come from authority_detection.scoring', () => {
    expect(AUTHORITY_THRESHOLD).toBe(5);
    expect(ASK_USER_THRESHOLD).toBe(3);
  });

  it('official domains: suffix, host_regex, tld; look-alikes do not match', () => {
    expect(matchOfficialDomain('www.bmi.bund.de')?.weight).toBe(5);
    expect(matchOfficialDomain('bund.de')?.weight).toBe(5);
    expect(matchOfficialDomain('www.jobcenter-ge.de')?.weight).toBe(5); // suffix beats the host_regex (4)
    expect(matchOfficialDomain('www.jobcenter-musterstadt.de')?.weight).toBe(4); // host_regex "Jobcenter (type unknown)"
    expect(matchOfficialDomain('www.stadt-musterstadt.de')?.weight).toBe(3); // municipal heuristic
    expect(matchOfficialDomain('www.musterstadt.de')).toBeNull();
    expect(matchOfficialDomain('bund.de.example.com')).toBeNull();
    expect(matchOfficialDomain('fakebund.de')).toBeNull();
    expect(matchOfficialDomain('www.manchester.gov.uk')?.weight).toBe(5);
    expect(matchOfficialDomain('www.essen.nrw')?.weight).toBe(1); // open .nrw gTLD: weak
    expect(matchOfficialDomain('www.stadt.zh.ch')?.weight).toBe(5);
    expect(matchOfficialDomain('not a host')).toBeNull();
  });

  it('hostOfUrl reads http(s) and scheme-less URLs only', () => {
    expect(hostOfUrl('linktr.ee/jobcenter_musterstadt')).toBe('linktr.ee');
    expect(hostOfUrl('HTTPS://WWW.BMI.BUND.DE./x')).toBe('www.bmi.bund.de');
    expect(hostOfUrl('javascript:alert(1)')).toBeNull();
    expect(hostOfUrl('mailto:info@bund.de')).toBeNull();
    expect(hostOfUrl(42)).toBeNull();
  });
});

describe('detectAuthority — the Jobcenter U25 Instagram case (SPEC § 8)', () => {
  it('name + imprint naming a gemeinsame Einrichtung → authority, social-benefit body, gE, minors', () => {
    const r = detectAuthority({ ...JOBCENTER_U25, imprintText: JOBCENTER_IMPRINT });
    expect(ids(r)).toEqual(['imprint-public-law', 'name-keyword']);
    expect(weightOf(r, 'name-keyword')).toBe(3);
    expect(weightOf(r, 'imprint-public-law')).toBe(3);
    expect(r.score).toBe(6);
    expect(r.isAuthority).toBe(true);
    expect(r.likely).toBe(false);
    expect(r.isSocialBenefitBody).toBe(true);
    expect(r.jobcenterType).toBe('gemeinsame-einrichtung');
    expect(r.audienceMinors).toBe(true);
    expect(r.userOverride).toBeNull();
    expect(r.signals.find((s) => s.id === 'imprint-public-law')?.evidence).toContain('gemeinsame Einrichtung');
    expect(r.signals.find((s) => s.id === 'name-keyword')?.evidence).toContain('Jobcenter');
  });

  it('without the imprint the name alone only asks the user (linktr.ee is no official domain)', () => {
    const r = detectAuthority(JOBCENTER_U25);
    expect(r.score).toBe(3);
    expect(r.isAuthority).toBe(false);
    expect(r.likely).toBe(true);
    expect(r.isSocialBenefitBody).toBe(false); // only for authorities
    expect(r.jobcenterType).toBeNull();
    expect(r.audienceMinors).toBe(true);
    expect(ids(r)).toEqual(['name-keyword']);
  });

  it('the header category "Behörde" corroborates (SPEC § 8: name 3 + category 3 = 6)', () => {
    const r = detectAuthority({ ...JOBCENTER_U25, platformCategory: 'Behörde' });
    expect(ids(r)).toEqual(['name-keyword', 'platform-category']);
    expect(r.score).toBe(6);
    expect(r.isAuthority).toBe(true);
    expect(r.isSocialBenefitBody).toBe(true);
    expect(r.jobcenterType).toBeNull(); // no gE/zkT evidence in the inputs
  });

  it('the Linktree page itself, linking on to jobcenter-ge.de → authority, gE from the URL', () => {
    const r = detectAuthority(
      input({
        pageUrl: 'https://linktr.ee/jobcenter_musterstadt',
        platform: null,
        pageKind: 'link-in-bio',
        title: 'Jobcenter Musterstadt U25 | Linktree',
        bioLinkUrls: [
          'https://www.instagram.com/jobcenter_musterstadt/',
          'https://www.jobcenter-ge.de/Jobcenter/Musterstadt/DE/Home/home_node.html',
          'https://wa.me/49301234567',
        ],
      }),
    );
    expect(ids(r)).toEqual(['bio-link-domain', 'name-keyword']);
    expect(weightOf(r, 'bio-link-domain')).toBe(3);
    expect(r.score).toBe(6);
    expect(r.isAuthority).toBe(true);
    expect(r.isSocialBenefitBody).toBe(true);
    expect(r.jobcenterType).toBe('gemeinsame-einrichtung');
    expect(r.audienceMinors).toBe(true); // "U25"
  });

  it('the Jobcenter website on jobcenter-musterstadt.de: host pattern (4) + name (3)', () => {
    const r = detectAuthority(
      input({
        pageUrl: 'https://www.jobcenter-musterstadt.de/',
        platform: null,
        pageKind: 'website',
        title: 'Jobcenter Musterstadt – Startseite',
        bioLinkUrls: ['https://www.instagram.com/jobcenter_musterstadt/'],
        imprintText: JOBCENTER_IMPRINT,
      }),
    );
    expect(weightOf(r, 'page-domain')).toBe(4);
    expect(r.score).toBe(10);
    expect(r.isAuthority).toBe(true);
    expect(r.isSocialBenefitBody).toBe(true);
    expect(r.jobcenterType).toBe('gemeinsame-einrichtung');
    expect(r.audienceMinors).toBe(false);
  });

  it('a zkT Jobcenter is recognised from its imprint', () => {
    const r = detectAuthority(
      input({
        profileName: 'Kommunales Jobcenter Musterkreis',
        imprintText:
          'Impressum\nKreis Musterkreis (Körperschaft des öffentlichen Rechts), vertreten durch den Landrat\nKommunales Jobcenter (zugelassener kommunaler Träger nach § 6a SGB II)\nKreishaus 1, 12345 Musterkreis',
      }),
    );
    expect(r.isAuthority).toBe(true);
    expect(r.jobcenterType).toBe('zugelassener-kommunaler-traeger');
  });
});

describe('detectAuthority — cities, fans, municipal companies', () => {
  it("a Stadt's Instagram with a bio link to the municipal domain stadt-musterstadt.de → authority", () => {
    const r = detectAuthority(
      input({
        pageUrl: 'https://www.instagram.com/stadt.musterstadt/',
        profileName: 'Stadt Musterstadt',
        handle: 'stadt.musterstadt',
        bioText: 'Hier postet das Team der Stadtverwaltung. Impressum & Datenschutz: Link unten',
        bioLinkUrls: ['https://www.stadt-musterstadt.de/impressum'],
      }),
    );
    expect(ids(r)).toEqual(['bio-link-domain', 'name-keyword']);
    expect(weightOf(r, 'name-keyword')).toBe(2); // de_medium "Stadt X"
    expect(weightOf(r, 'bio-link-domain')).toBe(3);
    expect(r.score).toBe(5);
    expect(r.isAuthority).toBe(true);
    expect(r.isSocialBenefitBody).toBe(false);
    expect(r.audienceMinors).toBe(false);
  });

  it('the same account linking to www.musterstadt.de (no official pattern) stays below "ask"', () => {
    const r = detectAuthority(
      input({ profileName: 'Stadt Musterstadt', bioLinkUrls: ['https://www.musterstadt.de/'] }),
    );
    expect(ids(r)).toEqual(['name-keyword']);
    expect(r.score).toBe(2);
    expect(r.isAuthority).toBe(false);
    expect(r.likely).toBe(false);
  });

  it('a Landeshauptstadt with a bio link to a state domain (muenchen.de is not listed, bayern.de is)', () => {
    const r = detectAuthority(
      input({
        profileName: 'Landeshauptstadt München',
        bioLinkUrls: ['https://www.muenchen.de', 'https://www.stmi.bayern.de/'],
      }),
    );
    expect(r.score).toBe(6);
    expect(r.signals.find((s) => s.id === 'bio-link-domain')?.evidence).toContain('stmi.bayern.de');
  });

  it('a weak domain entry counts no more than its own weight via a bio link (.nrw gTLD = 1)', () => {
    const r = detectAuthority(input({ profileName: 'Stadt Essen', bioLinkUrls: ['https://www.essen.nrw/'] }));
    expect(weightOf(r, 'bio-link-domain')).toBe(1);
    expect(r.score).toBe(3);
    expect(r.likely).toBe(true);
  });

  it('fan account "Fans der Stadt Musterstadt (inoffiziell)" → not an authority', () => {
    const r = detectAuthority(
      input({
        profileName: 'Fans der Stadt Musterstadt (inoffiziell)',
        handle: 'musterstadt_fans',
        bioText: 'Die schönsten Ecken unserer Stadt. Kein offizieller Account der Stadtverwaltung.',
        bioLinkUrls: ['https://www.stadt-musterstadt.de/'],
        platformCategory: 'City',
      }),
    );
    expect(ids(r)).toEqual(['bio-link-domain', 'name-keyword', 'negative-keyword', 'platform-category']);
    expect(weightOf(r, 'negative-keyword')).toBe(-3);
    // name 2 + copied link 3 + copied category 3 − 3 = 5, but "inoffiziell" vetoes the automatic
    // verdict: not an authority, the user is asked instead.
    expect(r.score).toBe(5);
    expect(r.isAuthority).toBe(false);
    expect(r.likely).toBe(true);
    expect(
      detectAuthority(input({ profileName: 'Fans der Stadt Musterstadt (inoffiziell)', userOverride: true }))
        .isAuthority,
    ).toBe(true);
  });

  it('"Fan" alone is a −3, not a veto (real city accounts write "Werde Fan!")', () => {
    const r = detectAuthority(
      input({
        profileName: 'Stadt Musterstadt',
        bioText: 'Werde Fan unserer Stadt!',
        bioLinkUrls: ['https://www.stadt-musterstadt.de/'],
        platformCategory: 'City',
      }),
    );
    expect(r.score).toBe(5);
    expect(r.isAuthority).toBe(true);
  });

  it('fan account without the copied category and link scores below zero', () => {
    const r = detectAuthority(input({ profileName: 'Fans der Stadt Musterstadt (inoffiziell)' }));
    expect(r.score).toBe(-1);
    expect(r.isAuthority).toBe(false);
    expect(r.likely).toBe(false);
    expect(r.signals.find((s) => s.id === 'negative-keyword')).toMatchObject({ source: 'negative', weight: -3 });
  });

  it('a disclaimer in the bio counts too (parody)', () => {
    const r = detectAuthority(
      input({ profileName: 'Bundesministerium für Humor', bioText: 'Parodie-Account. Not affiliated.' }),
    );
    expect(ids(r)).toEqual(['name-keyword', 'negative-keyword']);
    expect(r.score).toBe(0);
  });

  it('"Stadtwerke Musterstadt GmbH" → not an authority', () => {
    const r = detectAuthority(
      input({
        profileName: 'Stadtwerke Musterstadt GmbH',
        handle: 'stadtwerke_musterstadt',
        bioText: 'Strom, Gas, Wasser und Bäder für Musterstadt. Ein Unternehmen der Stadt Musterstadt.',
        bioLinkUrls: ['https://www.stadtwerke-musterstadt.de/'],
        imprintText:
          'Impressum\nStadtwerke Musterstadt GmbH\nWerkstraße 1\n12345 Musterstadt\nGeschäftsführer: Max Beispiel\nHRB 1234, Amtsgericht Musterstadt',
      }),
    );
    expect(ids(r)).toEqual(['negative-keyword']);
    expect(r.score).toBe(-3);
    expect(r.isAuthority).toBe(false);
    expect(r.likely).toBe(false);
  });

  it('a private operator named in the imprint head is a negative signal (berlin.de-style portal)', () => {
    const r = detectAuthority(
      input({
        pageUrl: 'https://www.berlin.de/',
        platform: null,
        pageKind: 'website',
        title: 'Berlin.de – Das offizielle Hauptstadtportal',
        imprintText: 'Impressum\nBerlinOnline Stadtportal GmbH & Co. KG\nAlte Jakobstraße 105, 10969 Berlin',
      }),
    );
    expect(ids(r)).toEqual(['negative-keyword', 'page-domain']);
    expect(weightOf(r, 'page-domain')).toBe(3);
    expect(r.score).toBe(0);
  });

  it('an imprint naming a public-law body is not outweighed by a GmbH further down', () => {
    const r = detectAuthority(
      input({
        profileName: 'Bezirksamt Musterbezirk',
        imprintText:
          'Impressum\nBezirksamt Musterbezirk von Berlin\nDas Bezirksamt ist eine Behörde des Landes Berlin.\nUmsetzung: Webagentur Beispiel GmbH',
      }),
    );
    expect(ids(r)).toEqual(['imprint-public-law', 'name-keyword']);
    expect(r.score).toBe(6);
    expect(r.isAuthority).toBe(true);
  });

  it('a shop\'s imprint naming its supervisory "Behörde" is not a public-law provider', () => {
    const r = detectAuthority(
      input({
        profileName: 'Feuerwehr-Shop Müller',
        imprintText:
          'Impressum\nMax Müller, Feuerwehr-Shop\nMusterweg 1, 12345 Musterstadt\nZuständige Behörde: Gewerbeamt Musterstadt',
      }),
    );
    expect(ids(r)).toEqual(['name-keyword']);
    expect(r.score).toBe(2);
  });

  it('a bakery scores 0 with no signals', () => {
    const r = detectAuthority(
      input({
        pageUrl: 'https://www.instagram.com/baeckerei_mueller/',
        title: 'Bäckerei Müller (@baeckerei_mueller) • Instagram-Fotos und -Videos',
        profileName: 'Bäckerei Müller',
        handle: 'baeckerei_mueller',
        description: 'Frische Brötchen seit 1920',
        bioText: 'Frische Brötchen seit 1920 🥐 Mo–Sa 6–18 Uhr',
        bioLinkUrls: ['https://www.baeckerei-mueller.de/'],
        platformCategory: 'Bäckerei',
      }),
    );
    expect(r).toEqual({
      score: 0,
      isAuthority: false,
      likely: false,
      isSocialBenefitBody: false,
      jobcenterType: null,
      audienceMinors: false,
      selfDisclaimed: false,
      signals: [],
      userOverride: null,
    });
  });
});

describe('detectAuthority — websites, platforms, Mastodon', () => {
  it('a ministry website on bund.de → authority from the domain alone, no social-benefit body', () => {
    const bare = detectAuthority(
      input({
        pageUrl: 'https://www.bmi.bund.de/DE/startseite/startseite-node.html',
        platform: null,
        pageKind: 'website',
        title: 'BMI - Startseite',
      }),
    );
    expect(ids(bare)).toEqual(['page-domain']);
    expect(bare.score).toBe(5);
    expect(bare.isAuthority).toBe(true);
    expect(bare.signals[0]).toMatchObject({ source: 'domain', weight: 5 });
    expect(bare.signals[0]?.evidence).toBe('www.bmi.bund.de (DE federal)');

    const named = detectAuthority(
      input({
        pageUrl: 'https://www.bmi.bund.de/',
        platform: null,
        pageKind: 'website',
        title: 'Bundesministerium des Innern und für Heimat',
        bioLinkUrls: ['https://www.instagram.com/bmi_bund/', 'https://social.bund.de/@BMI'],
      }),
    );
    expect(ids(named)).toEqual(['name-keyword', 'page-domain']); // a website's links are no "bio link"
    expect(named.score).toBe(8);
    expect(named.isSocialBenefitBody).toBe(false);
    expect(named.jobcenterType).toBeNull();
  });

  it("a website's body text sample is not read as a bio (no veto, no social-benefit, no minors from it)", () => {
    const r = detectAuthority(
      input({
        pageUrl: 'https://www.bmfsfj.bund.de/',
        platform: null,
        pageKind: 'website',
        title: 'Bundesministerium für Familie, Senioren, Frauen und Jugend',
        bioText: 'Laut inoffiziellen Zahlen … Das Jugendamt hilft Kindern und Jugendlichen. Parodie im Netz.',
      }),
    );
    expect(r.score).toBe(8);
    expect(r.isAuthority).toBe(true);
    expect(r.isSocialBenefitBody).toBe(false);
    expect(r.audienceMinors).toBe(false);
    const profile = detectAuthority(
      input({ profileName: 'Stadt Musterstadt', bioText: 'Das Jugendamt informiert Jugendliche', userOverride: true }),
    );
    expect(profile.isSocialBenefitBody).toBe(true);
    expect(profile.audienceMinors).toBe(true);
  });

  it('a private website linking to bund.de gains nothing from the link', () => {
    const r = detectAuthority(
      input({
        pageUrl: 'https://www.steuerblog.example/',
        platform: null,
        pageKind: 'website',
        title: 'Steuertipps',
        bioLinkUrls: ['https://www.bzst.bund.de/'],
      }),
    );
    expect(r.signals).toEqual([]);
  });

  it('a name matching several tiers (de_strong and at "Bundesministerium") still counts once, 3', () => {
    const r = detectAuthority(
      input({
        profileName: 'Landkreis Musterkreis – Landratsamt',
        title: 'Bundesministerium Polizei Council Mairie Gemeente',
      }),
    );
    expect(r.signals).toHaveLength(1);
    expect(r.signals[0]).toMatchObject({ id: 'name-keyword', weight: 3, source: 'name' });
    expect(r.signals[0]?.evidence).toContain('Landratsamt'); // first hit of the strongest tier (de_strong)
    expect(r.score).toBe(3);
    expect(r.isAuthority).toBe(false);
  });

  it('the Bundesagentur für Arbeit website is a social-benefit body', () => {
    const r = detectAuthority(
      input({
        pageUrl: 'https://www.arbeitsagentur.de/',
        platform: null,
        pageKind: 'website',
        title: 'Bundesagentur für Arbeit',
      }),
    );
    expect(r.score).toBe(8);
    expect(r.isSocialBenefitBody).toBe(true);
    expect(r.jobcenterType).toBeNull();
  });

  it('Deutsche Rentenversicherung: social-benefit body recognised from the host', () => {
    const r = detectAuthority(
      input({
        pageUrl: 'https://www.deutsche-rentenversicherung.de/DRV/DE/Home/home_node.html',
        platform: null,
        pageKind: 'website',
        title: 'Startseite',
      }),
    );
    expect(r.isAuthority).toBe(true);
    expect(r.isSocialBenefitBody).toBe(true);
  });

  it('a police profile: verification corroborates a strong name (3 + 2)', () => {
    const r = detectAuthority(
      input({ profileName: 'Polizei Musterstadt', handle: 'polizei.musterstadt', verified: true }),
    );
    expect(ids(r)).toEqual(['name-keyword', 'platform-verified']);
    expect(r.score).toBe(5);
    expect(r.isAuthority).toBe(true);
    expect(r.isSocialBenefitBody).toBe(false);
  });

  it('X government badge (grey check) weighs 5; a plain verified badge 2', () => {
    const grey = detectAuthority(
      input({
        pageUrl: 'https://x.com/bundesregierung',
        platform: 'x',
        profileName: 'Bundesregierung',
        governmentBadge: true,
        verified: true,
      }),
    );
    expect(ids(grey)).toEqual(['name-keyword', 'x-government-badge']);
    expect(grey.score).toBe(8);
    const blue = detectAuthority(
      input({ pageUrl: 'https://x.com/musterfirma', platform: 'x', profileName: 'Musterfirma', verified: true }),
    );
    expect(ids(blue)).toEqual(['platform-verified']);
    expect(blue.score).toBe(2);
  });

  it('category labels from rules.json in English and German; several categories separated by "·"', () => {
    expect(detectAuthority(input({ platformCategory: 'Government organization' })).score).toBe(3);
    expect(detectAuthority(input({ platformCategory: 'Regierungsorganisation' })).score).toBe(3);
    expect(detectAuthority(input({ platformCategory: 'Polizeiwache · Musterstadt' })).score).toBe(3);
    expect(detectAuthority(input({ platformCategory: 'Governmental Fan Club' })).score).toBe(0);
  });

  it('a Mastodon account on a government instance (social.bund.de) → authority; counted once, not also as bund.de', () => {
    const r = detectAuthority(
      input({
        pageUrl: 'https://social.bund.de/@bfdi',
        platform: 'mastodon',
        profileName: 'BfDI',
        handle: '@bfdi@social.bund.de',
      }),
    );
    expect(ids(r)).toEqual(['mastodon-instance']);
    expect(r.score).toBe(5);
    expect(r.isAuthority).toBe(true);
    expect(r.signals[0]).toMatchObject({ source: 'platform', evidence: 'Mastodon: social.bund.de' });
  });

  it('the same account viewed from another instance still counts; a remote account viewed on social.bund.de does not', () => {
    const remote = detectAuthority(
      input({
        pageUrl: 'https://mastodon.social/@bfdi@social.bund.de',
        platform: 'mastodon',
        profileName: 'BfDI',
        handle: null,
      }),
    );
    expect(ids(remote)).toEqual(['mastodon-instance']);
    const visitor = detectAuthority(
      input({
        pageUrl: 'https://social.bund.de/@someone@mastodon.social',
        platform: 'mastodon',
        profileName: 'Jemand',
        handle: '@someone@mastodon.social',
      }),
    );
    expect(visitor.signals).toEqual([]);
    expect(visitor.score).toBe(0);
  });

  it('the IDN instance bawü.social matches in Unicode and punycode form', () => {
    const uni = detectAuthority(
      input({
        pageUrl: 'https://bawü.social/@Landesregierung',
        platform: 'mastodon',
        profileName: 'Landesregierung BW',
      }),
    );
    expect(uni.score).toBe(8); // instance 5 + "Landesregierung" 3
    const puny = detectAuthority(
      input({ pageUrl: 'https://example.social/@lr', platform: 'mastodon', handle: '@lr@xn--baw-joa.social' }),
    );
    expect(ids(puny)).toEqual(['mastodon-instance']);
  });

  it('a Mastodon account on mastodon.social with a government name only asks the user', () => {
    const r = detectAuthority(
      input({
        pageUrl: 'https://mastodon.social/@bmi_fake',
        platform: 'mastodon',
        profileName: 'Bundesministerium des Innern',
      }),
    );
    expect(r.score).toBe(3);
    expect(r.likely).toBe(true);
  });

  it('English-language UK council: covered by rules.json (gov.uk domain, en keywords)', () => {
    const site = detectAuthority(
      input({
        pageUrl: 'https://www.manchester.gov.uk/',
        platform: null,
        pageKind: 'website',
        title: 'Manchester City Council',
      }),
    );
    expect(ids(site)).toEqual(['name-keyword', 'page-domain']);
    expect(site.score).toBe(8);
    expect(site.isAuthority).toBe(true);
    expect(site.isSocialBenefitBody).toBe(false); // social_benefit_bodies is German-only
    const insta = detectAuthority(
      input({ profileName: 'Leeds City Council', bioLinkUrls: ['https://www.leeds.gov.uk/'] }),
    );
    expect(insta.score).toBe(6);
    expect(insta.isAuthority).toBe(true);
    const nameOnly = detectAuthority(input({ profileName: 'Leeds City Council' }));
    expect(nameOnly.likely).toBe(true);
    expect(nameOnly.isAuthority).toBe(false);
  });

  it('an English council on its own non-gov.uk domain is not detected by the domain (DE-first scope)', () => {
    const r = detectAuthority(
      input({
        pageUrl: 'https://www.dublincity.ie/',
        platform: null,
        pageKind: 'website',
        title: 'Dublin City Council',
      }),
    );
    expect(ids(r)).toEqual(['name-keyword']);
    expect(r.isAuthority).toBe(false);
  });
});

describe('detectAuthority — minors, user override', () => {
  it.each([
    ['Jugendberufsagentur Musterstadt – Ausbildung & Job für Jugendliche', true],
    ['Infos für Schüler:innen und Azubis', true],
    ['Angebote für Kinder und Familien', true],
    ['Unser Team U25 hilft dir', true],
    ['Wir beraten Arbeitgeber zu Fördermitteln', false],
  ])('audienceMinors for %j → %s', (bio, expected) => {
    expect(detectAuthority(input({ bioText: bio })).audienceMinors).toBe(expected);
  });

  it('user override true wins over a score of 0 and is listed as a signal', () => {
    const r = detectAuthority(input({ profileName: 'Bäckerei Müller', userOverride: true }));
    expect(r.isAuthority).toBe(true);
    expect(r.likely).toBe(false);
    expect(r.userOverride).toBe(true);
    expect(r.score).toBe(0);
    expect(r.signals).toEqual([
      { id: 'user-override', weight: 0, evidence: 'user override: authority', source: 'user' },
    ]);
  });

  it('user override false wins over a high score; social-benefit/Jobcenter flags follow isAuthority', () => {
    const r = detectAuthority({
      ...JOBCENTER_U25,
      imprintText: JOBCENTER_IMPRINT,
      platformCategory: 'Behörde',
      userOverride: false,
    });
    expect(r.score).toBe(9);
    expect(r.isAuthority).toBe(false);
    expect(r.likely).toBe(false);
    expect(r.isSocialBenefitBody).toBe(false);
    expect(r.jobcenterType).toBeNull();
    expect(r.audienceMinors).toBe(true);
    expect(ids(r)).toContain('user-override');
  });

  it('user override true on a "likely" Jobcenter makes it a social-benefit body', () => {
    const r = detectAuthority({ ...JOBCENTER_U25, userOverride: true });
    expect(r.score).toBe(3);
    expect(r.isAuthority).toBe(true);
    expect(r.likely).toBe(false);
    expect(r.isSocialBenefitBody).toBe(true);
  });

  it('userOverride null/undefined means no override', () => {
    expect(detectAuthority({ ...JOBCENTER_U25, userOverride: null }).likely).toBe(true);
    expect(detectAuthority({ ...JOBCENTER_U25, userOverride: undefined }).userOverride).toBeNull();
  });
});

describe('detectAuthority — robustness', () => {
  it('signal ids are unique, known, with plain evidence ≤ 120 chars', () => {
    const long = 'Jobcenter ' + 'x'.repeat(5000);
    const r = detectAuthority({
      ...JOBCENTER_U25,
      profileName: long,
      imprintText: 'gemeinsame Einrichtung ' + 'y'.repeat(5000),
      bioLinkUrls: ['https://www.' + 'a'.repeat(60) + '.bund.de/'],
      platformCategory: 'Behörde',
      verified: true,
      userOverride: true,
    });
    const seen = new Set<string>();
    for (const s of r.signals) {
      expect(AUTHORITY_SIGNAL_IDS).toContain(s.id);
      expect(seen.has(s.id)).toBe(false);
      seen.add(s.id);
      expect(s.evidence.length).toBeLessThanOrEqual(120);
      expect(s.evidence).not.toMatch(/\n/);
    }
    expect(r.signals.length).toBe(6);
  });

  it('hostile and huge inputs never throw and stay fast', () => {
    const huge = 'Jobcenter '.repeat(300_000) + 'Stadt '.repeat(200_000) + 'a'.repeat(1_000_000);
    const bad = {
      pageUrl: 'http://[::1' + '%'.repeat(10_000),
      platform: 'mastodon',
      pageKind: 'nonsense',
      title: huge,
      profileName: 42,
      handle: '@' + '@'.repeat(100_000),
      description: { toString: () => 'x' },
      bioText: '\uD800'.repeat(100_000) + 'Agentur für Arbeit '.repeat(50_000),
      bioLinkUrls: [
        null,
        7,
        'javascript:alert(1)',
        'https://' + 'a.'.repeat(50_000) + 'bund.de',
        ...Array(10_000).fill('https://bund.de'),
      ],
      imprintText: 'gemeinsame '.repeat(200_000) + '§ 44b SGB II',
      platformCategory: '·'.repeat(100_000),
      verified: 'yes',
      userOverride: 'true',
    } as unknown as AuthorityInput;
    let r = detectAuthority(bad);
    expect(cpuMs(() => (r = detectAuthority(bad)))).toBeLessThan(3000);
    expect(typeof r.score).toBe('number');
    expect(r.userOverride).toBeNull();
    expect(() => detectAuthority(null as unknown as AuthorityInput)).not.toThrow();
    expect(() => detectAuthority({} as AuthorityInput)).not.toThrow();
    expect(detectAuthority({} as AuthorityInput).score).toBe(0);
  });
});

describe('detectAuthority — corroboration as a reviewer does it', () => {
  const profile = (over: Partial<AuthorityInput>) =>
    input({ pageUrl: 'https://www.instagram.com/kreis_a/', title: 'Kreis A', ...over });

  it('an official e-mail domain in the bio counts like a bio link, capped at the domain weight', () => {
    const police = detectAuthority(
      profile({
        profileName: 'Polizei Nordhausen',
        bioText: 'Polizeipräsidium Nordhausen 🚓\nPresseanfragen: pressestelle@polizei-nordhausen.de',
      }),
    );
    expect(weightOf(police, 'email-domain')).toBe(3);
    expect(police.signals.find((s) => s.id === 'email-domain')?.evidence).toContain(
      'pressestelle@polizei-nordhausen.de',
    );
    expect(police.isAuthority).toBe(true);
    const weak = detectAuthority(profile({ bioText: 'Kontakt: info@essen.nrw' }));
    expect(weightOf(weak, 'email-domain')).toBe(1);
    expect(
      weightOf(detectAuthority(profile({ bioText: 'info@baeckerei-mueller.de' })), 'email-domain'),
    ).toBeUndefined();
  });

  it('a Bluesky handle on an official domain (Bluesky has checked the domain)', () => {
    const r = detectAuthority(
      input({
        pageUrl: 'https://bsky.app/profile/beispielamt.bund.de',
        platform: 'bluesky',
        handle: 'beispielamt.bund.de',
        profileName: 'Bundesamt für Beispielwesen',
      }),
    );
    expect(weightOf(r, 'handle-domain')).toBe(5);
    expect(r.isAuthority).toBe(true);
    expect(
      weightOf(detectAuthority(input({ platform: 'bluesky', handle: 'stadtfan.bsky.social' })), 'handle-domain'),
    ).toBeUndefined();
  });

  it('a Mastodon field verified by a rel=me back-link to an official domain; an unverified one is only a bio link', () => {
    const base = {
      pageUrl: 'https://norden.social/@Kreis',
      platform: 'mastodon' as const,
      handle: 'Kreis@norden.social',
      bioLinkUrls: ['https://www.landkreis-x.de/'],
    };
    expect(
      weightOf(
        detectAuthority(input({ ...base, verifiedLinkUrls: ['https://www.landkreis-x.de/'] })),
        'verified-link-domain',
      ),
    ).toBe(3);
    expect(weightOf(detectAuthority(input(base)), 'verified-link-domain')).toBeUndefined();
    expect(weightOf(detectAuthority(input(base)), 'bio-link-domain')).toBe(3);
  });

  it.each([
    ['Offizieller Account der Stadt Neustadt 🏛️', true],
    ['🏛️ Offizieller Account des Landkreises', true],
    ['Offizielle Seite des Landkreises Beispielkreis', true],
    ['Herzlich willkommen auf der offiziellen Facebook-Seite der Gemeinde!', true],
    ['Offizieller Kanal der Kreisverwaltung: Unwetterwarnungen', true],
    ['Official account of the Federal Office for Example Affairs', true],
    ['Official channel of the Ministry', true],
    ['Fanpage – kein offizieller Account der Stadt!', false],
    ['Das ist nicht der offizielle Kanal der Polizei', false],
    ['Inoffizieller Nachrichtenkanal für Neustadt', false],
    ['Offizielle Infos gibt es bei @stadt_neustadt', false],
  ])('official claim in "%s": %s', (bio, claimed) => {
    expect(detectAuthority(profile({ bioText: bio })).signals.some((s) => s.id === 'official-phrase')).toBe(claimed);
  });

  it('a public-law statement in the bio, in German or English; the bare category word "Behörde" is not one', () => {
    for (const bio of [
      'The Chamber of Commerce is a public-law corporation (Körperschaft des öffentlichen Rechts).',
      'Die IHK ist eine Körperschaft des öffentlichen Rechts.',
      'Anstalt des öffentlichen Rechts · Nachrichten aus dem Land',
    ])
      expect(weightOf(detectAuthority(profile({ bioText: bio })), 'bio-public-law'), bio).toBe(3);
    expect(weightOf(detectAuthority(profile({ bioText: 'Behörde' })), 'bio-public-law')).toBeUndefined();
  });

  it('a verified badge (aria-label/alt) counts 2; on X a grey check is the government badge', () => {
    expect(weightOf(detectAuthority(profile({ badges: ['Verifiziert'] })), 'platform-verified')).toBe(2);
    expect(
      weightOf(
        detectAuthority(
          input({ pageUrl: 'https://x.com/StadtA', platform: 'x', badges: ['Verified account|rgb(29, 155, 240)'] }),
        ),
        'platform-verified',
      ),
    ).toBe(2);
    const grey = detectAuthority(
      input({ pageUrl: 'https://x.com/StadtA', platform: 'x', badges: ['Verifizierter Account|rgb(130, 154, 171)'] }),
    );
    expect(weightOf(grey, 'x-government-badge')).toBe(5);
    expect(weightOf(grey, 'platform-verified')).toBeUndefined();
    expect(weightOf(detectAuthority(profile({ badges: ['Profilbild'] })), 'platform-verified')).toBeUndefined();
  });

  it('a category label on a line of its own in the header (Instagram, LinkedIn "Art", X professional category)', () => {
    for (const bio of [
      'Landkreis A\nRegierungsorganisation\nNeues aus dem Kreishaus',
      'Seite · Regierungsorganisation',
      'Art\nRegierungsbehörde',
      'Government Agency',
    ])
      expect(weightOf(detectAuthority(profile({ bioText: bio })), 'platform-category'), bio).toBe(3);
    expect(
      weightOf(
        detectAuthority(
          profile({
            bioText: 'Wir sind keine Regierungsorganisation, sondern ein Verein, der sich für die City einsetzt.',
          }),
        ),
        'platform-category',
      ),
    ).toBeUndefined();
  });

  it("the linked website's imprint counts when the profile links none of its own", () => {
    const linkedImprint = {
      url: 'https://www.kreisverwaltung-x.de/impressum/',
      text: 'Impressum\nKreisverwaltung X\nKörperschaft des öffentlichen Rechts\nvertreten durch den Landrat',
    };
    const r = detectAuthority(
      input({
        pageUrl: 'https://norden.social/@KV',
        platform: 'mastodon',
        profileName: 'Kreisverwaltung X',
        linkedImprint,
      }),
    );
    expect(weightOf(r, 'linked-imprint-public-law')).toBe(3);
    expect(r.signals.find((s) => s.id === 'linked-imprint-public-law')?.evidence).toContain('www.kreisverwaltung-x.de');
    expect(r.isAuthority).toBe(true);
    // The account's own imprint wins; a website's own imprint is never "linked".
    const own = detectAuthority(
      input({
        pageUrl: 'https://norden.social/@KV',
        platform: 'mastodon',
        profileName: 'Kreisverwaltung X',
        imprintText: 'Impressum\nMusterfirma GmbH',
        linkedImprint,
      }),
    );
    expect(weightOf(own, 'linked-imprint-public-law')).toBeUndefined();
    const site = detectAuthority(
      input({ pageUrl: 'https://www.x.de/', platform: null, pageKind: 'website', linkedImprint }),
    );
    expect(weightOf(site, 'linked-imprint-public-law')).toBeUndefined();
  });
});

describe('detectAuthority — counter-signals stay', () => {
  const profile = (over: Partial<AuthorityInput>) => input({ pageUrl: 'https://www.instagram.com/someone/', ...over });

  it("a mayor's personal account with the city linked is not the city", () => {
    const r = detectAuthority(
      profile({
        profileName: 'Anna Beispiel',
        bioText: 'Oberbürgermeisterin der Stadt Neustadt (SPD) · hier privat · Offizielles: @stadt_neustadt',
        bioLinkUrls: ['https://www.stadt-neustadt.de/'],
      }),
    );
    expect(r.isAuthority).toBe(false);
    expect(r.selfDisclaimed).toBe(true);
    expect(r.signals.find((s) => s.id === 'counter-affiliation')?.evidence).toMatch(/^party:/);
  });

  it.each([
    ['Gewerkschaft der Polizei (GdP) · Landesbezirk Nord', 'union'],
    ['Deutsche Polizeigewerkschaft (DPolG) Landesverband Nord e.V.', 'union'],
    ['dbb beamtenbund und tarifunion – Landesbund', 'union'],
    ['Ortsverband der Partei für Nachhaltige Kommunalpolitik. Wir im Stadtrat.', 'party'],
    ['CDU-Fraktion im Rat der Stadt Neustadt', 'party'],
    ['Police union for officers in the North', 'union'],
  ])('"%s" → %s', (bio, group) => {
    const r = detectAuthority(profile({ profileName: 'Polizei Nord', bioText: bio }));
    expect(r.signals.find((s) => s.id === 'counter-affiliation')?.evidence.startsWith(`${group}:`)).toBe(true);
  });

  it('a city bio that mentions its council or "union" in another sense is not a union or party', () => {
    for (const bio of [
      'Die Stadt Neustadt informiert über den Stadtrat und die Ausschüsse.',
      'Partner city of the European Union programme',
      'Wir sind parteipolitisch neutral.',
    ])
      expect(
        detectAuthority(profile({ bioText: bio })).signals.some((s) => s.id === 'counter-affiliation'),
        bio,
      ).toBe(false);
  });

  it('a page that needs no fetch: decided, self-disclaimed or without any hint', async () => {
    const { needsCorroboration } = await import('@/lib/verdict/authority');
    expect(needsCorroboration(detectAuthority(profile({ profileName: 'Kreisverwaltung X' })))).toBe(true);
    expect(needsCorroboration(detectAuthority(profile({ profileName: 'Bäckerei Müller' })))).toBe(false);
    expect(
      needsCorroboration(
        detectAuthority(
          profile({ profileName: 'Stadt Neustadt', bioText: 'Fanpage – kein offizieller Account, inoffiziell' }),
        ),
      ),
    ).toBe(false);
    expect(
      needsCorroboration(detectAuthority(profile({ profileName: 'Kreisverwaltung X', userOverride: false }))),
    ).toBe(false);
    // A recognised Jobcenter whose type (gE/zkT) is still unknown: the imprint decides the DPA.
    const jc = detectAuthority(
      profile({ profileName: 'Jobcenter Neustadt', bioText: 'Öffentliches und staatliches Angebot' }),
    );
    expect(jc.isAuthority).toBe(true);
    expect(needsCorroboration(jc)).toBe(true);
  });
});

describe('isCommercialPresence (R-AUTH-01/01B)', () => {
  it('every platform, except a Mastodon instance run by a public body', async () => {
    const { isCommercialPresence } = await import('@/lib/verdict/authority');
    expect(isCommercialPresence('instagram', 'https://www.instagram.com/a/', 'a')).toBe(true);
    expect(isCommercialPresence('bluesky', 'https://bsky.app/profile/a.de', 'a.de')).toBe(true);
    expect(isCommercialPresence('telegram', 'https://t.me/s/a', 'a')).toBe(true);
    expect(isCommercialPresence('mastodon', 'https://social.bund.de/@amt', 'amt@social.bund.de')).toBe(false);
    expect(isCommercialPresence('mastodon', 'https://xn--baw-joa.social/@Polizei', 'Polizei@bawü.social')).toBe(false);
    expect(isCommercialPresence('mastodon', 'https://mastodon.stadt-a.de/@stadt', 'stadt@mastodon.stadt-a.de')).toBe(
      false,
    );
    expect(
      isCommercialPresence('mastodon', 'https://social.kreis-x.org/@kreis', 'kreis@social.kreis-x.org', [
        'https://www.kreis-x.org/',
      ]),
    ).toBe(false);
    expect(
      isCommercialPresence('mastodon', 'https://norden.social/@KV', 'KV@norden.social', ['https://www.kv.de/']),
    ).toBe(true);
    expect(isCommercialPresence(null, 'https://www.a.de/', null)).toBe(false);
  });
});
