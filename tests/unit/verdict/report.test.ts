// The report object end to end from a tally, page checks and authority facts, validated against
// docs/report-schema.json.
import { beforeAll, describe, expect, it } from 'vitest';
import { type Classifier, createClassifier } from '@/lib/parties/classify';
import { buildPageChecks, planPageChecks, type FetchedDoc } from '@/lib/page/checks';
import type { PageFacts } from '@/lib/page/facts';
import { summariseParties } from '@/lib/parties/summary';
import { type AuthorityFacts, buildReport } from '@/lib/verdict/report';
import { reduceTally } from '@/lib/tally/reduce';
import type { TallyEvent, TallyState } from '@/lib/tally/types';
import { loadTrackerIndex } from '@/lib/parties/trackers';
import { reportSchemaErrors } from '../../report-schema';
import { realIpTable, realTrackerData } from '../helpers/real-data';

let classifier: Classifier;
beforeAll(() => {
  classifier = createClassifier({ trackers: loadTrackerIndex(realTrackerData()), ipTable: realIpTable() });
});

const TAB = 3;
const T0 = Date.UTC(2026, 10, 26, 9, 0, 0);
let n = 0;
const req = (url: string, type = 'script', at = T0): TallyEvent => ({
  kind: 'request',
  tabId: TAB,
  frameId: type === 'main_frame' ? 0 : 1,
  requestId: String(++n),
  url,
  type,
  timeStamp: at,
});

const NOT_AUTHORITY: AuthorityFacts = {
  isAuthority: false,
  score: 0,
  isSocialBenefitBody: false,
  audienceMinors: false,
  userOverride: null,
  signals: [],
};
const JOBCENTER: AuthorityFacts = {
  isAuthority: true,
  score: 8,
  isSocialBenefitBody: true,
  audienceMinors: true,
  userOverride: null,
  signals: [{ id: 'name-de-strong', weight: 3, evidence: 'Jobcenter Musterstadt', source: 'name' }],
};

function facts(url: string, links: PageFacts['links'], extra: Partial<PageFacts> = {}): PageFacts {
  return {
    url,
    title: '',
    lang: 'de',
    meta: {},
    links,
    linkCount: links.length,
    textSample: '',
    truncated: false,
    collectMs: 1,
    ...extra,
  };
}
const doc = (url: string, text: string): FetchedDoc => ({
  url,
  finalUrl: url,
  fetchedAt: T0,
  status: 200,
  contentType: 'text/html',
  text,
  truncated: false,
  error: null,
});

describe('buildReport', () => {
  it('the Jobcenter U25 Instagram profile comes out red with the reasons of the story, and matches the schema', () => {
    const page = 'https://www.instagram.com/jobcenter_musterstadt/';
    const state = [
      req(page, 'main_frame'),
      req('https://static.cdninstagram.com/rsrc.php/app.js'),
      req('https://www.instagram.com/api/graphql', 'xmlhttprequest'),
    ].reduce<TallyState>(reduceTally, {});
    const visit = state[TAB]!;
    const f = facts(
      page,
      [
        {
          href: 'https://l.instagram.com/?u=https%3A%2F%2Flinktr.ee%2Fjobcenter_musterstadt&e=AT0',
          text: 'linktr.ee/jobcenter_musterstadt',
          region: 'bio',
        },
        { href: '/stories/highlights/17890/', text: 'Impressum', region: 'bio' },
      ],
      {
        title: 'Jobcenter Musterstadt (@jobcenter_musterstadt) • Instagram-Fotos und -Videos',
        meta: { 'og:title': 'Jobcenter Musterstadt (@jobcenter_musterstadt) • Instagram-Fotos und -Videos' },
        textSample: 'Offizieller Account für junge Menschen unter 25. Schreib uns gern eine DM!',
        owner: {
          found: true,
          text: 'Jobcenter Musterstadt\nOffizieller Account für junge Menschen unter 25. Kommentare sind aus Datenschutzgründen deaktiviert. Schreib uns gern eine DM!',
          badges: [],
        },
      },
    );
    const plan = planPageChecks(f);
    const checks = buildPageChecks(
      f,
      plan,
      { imprint: doc('https://www.instagram.com/stories/highlights/17890/', 'Impressum'), privacy: null },
      ['instagram', 'linktree'],
      true,
    );
    const report = buildReport({
      visit,
      parties: summariseParties(visit, classifier),
      checks,
      authority: JOBCENTER,
      classifier,
      firstInteractionAt: null,
      now: T0 + 5000,
      toolVersion: '0.1.0',
    });
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.pageKind).toBe('social-profile');
    expect(report.platform).toBe('instagram');
    expect(report.page.handle).toBe('jobcenter_musterstadt');
    expect(report.verdict).toBe('red');
    const ids = report.findings.map((x) => x.id);
    for (const id of [
      'imprint-empty',
      'privacy-missing',
      'authority-on-platform',
      'authority-dm-invitation',
      'link-in-bio-tracking',
    ])
      expect(ids, id).toContain(id);
    expect(report.imprint.status).toBe('empty');
    // Meta's own CDN on Instagram is not a foreign tracker before consent.
    expect(ids).not.toContain('cookies-before-consent');
    expect(report.bioLinks).toEqual([
      { url: 'https://linktr.ee/jobcenter_musterstadt', linkInBio: true, viaRedirector: true },
    ]);
    // R-AUTH-08 from the bio itself: comments off "for data protection", DMs invited.
    expect(report.commentsOffClaims).toEqual(['Kommentare sind aus Datenschutzgründen deaktiviert.']);
    expect(report.findings.find((x) => x.id === 'comments-off-dms-open')).toMatchObject({
      severity: 'info',
      certainty: 'heuristic',
      evidence: `„Kommentare sind aus Datenschutzgründen deaktiviert.“ / „${report.dmInvitations[0]}“`,
    });
    // R-AUTH-09: looks official (score 8) but neither a badge nor an official bio link confirms the operator.
    expect(report.findings.find((x) => x.id === 'operator-not-confirmed')).toMatchObject({
      severity: 'info',
      evidence: 'score 8',
    });
    const rebuilt = (authority: AuthorityFacts) =>
      buildReport({
        visit,
        parties: summariseParties(visit, classifier),
        checks,
        authority,
        classifier,
        firstInteractionAt: null,
        now: T0 + 5000,
        toolVersion: '0.1.0',
      });
    const badge = { id: 'platform-verified', weight: 1, evidence: 'instagram: Verifiziert', source: 'platform' };
    expect(rebuilt({ ...JOBCENTER, signals: [...JOBCENTER.signals, badge] }).findings.map((x) => x.id)).not.toContain(
      'operator-not-confirmed',
    );
    expect(rebuilt({ ...JOBCENTER, userOverride: true }).findings.map((x) => x.id)).not.toContain(
      'operator-not-confirmed',
    );
  });

  it('a shop: Google Analytics and its _ga cookie before any interaction -> cookies-before-consent; after a click -> not', () => {
    const page = 'https://www.shop-beispiel.de/';
    const events: TallyEvent[] = [
      req(page, 'main_frame', T0),
      req('https://www.google-analytics.com/g/collect?v=2', 'ping', T0 + 800),
    ];
    const state = events.reduce<TallyState>(reduceTally, {});
    const withCookie = reduceTally(state, {
      kind: 'set-cookie',
      tabId: TAB,
      url: page,
      lines: ['_ga=GA1.1.1.1; Max-Age=63072000; Path=/'],
      timeStamp: T0 + 900,
    });
    const visit = withCookie[TAB]!;
    const f = facts(page, [
      { href: '/impressum', text: 'Impressum', region: 'footer' },
      { href: '/datenschutz', text: 'Datenschutz', region: 'footer' },
    ]);
    const checks = buildPageChecks(f, planPageChecks(f), { imprint: null, privacy: null }, [], true);
    const base = {
      visit,
      parties: summariseParties(visit, classifier),
      checks,
      authority: NOT_AUTHORITY,
      classifier,
      now: T0 + 5000,
      toolVersion: '0.1.0',
    };
    const early = buildReport({ ...base, firstInteractionAt: null });
    expect(reportSchemaErrors(early)).toEqual([]);
    const finding = early.findings.find((x) => x.id === 'cookies-before-consent');
    expect(finding?.severity).toBe('red');
    expect(finding?.evidence).toContain('_ga');
    expect(finding?.evidence).toContain('Google');
    expect(early.verdict).toBe('red');
    const late = buildReport({ ...base, firstInteractionAt: T0 + 100 });
    expect(late.findings.map((x) => x.id)).not.toContain('cookies-before-consent');
  });

  it('cookie items say which are partitioned and quote the stored lifetime beside the requested one; tool.browser names the browser', () => {
    const events: TallyEvent[] = [
      req('https://www.example.de/', 'main_frame'),
      req('https://ads.tracker.net/px.gif', 'image', T0 + 5),
      {
        kind: 'set-cookie',
        tabId: TAB,
        url: 'https://ads.tracker.net/px.gif',
        lines: ['tp=1; Secure; SameSite=None; Max-Age=315360000'],
        timeStamp: T0 + 10,
        partitioning: 'total-cookie-protection',
      },
      {
        kind: 'set-cookie',
        tabId: TAB,
        url: 'https://www.example.de/',
        lines: ['sid=1; Max-Age=3600'],
        timeStamp: T0 + 10,
        partitioning: 'total-cookie-protection',
      },
    ];
    const visit = events.reduce<TallyState>(reduceTally, {})[TAB]!;
    const report = buildReport({
      visit,
      parties: summariseParties(visit, classifier),
      checks: null,
      authority: NOT_AUTHORITY,
      classifier,
      firstInteractionAt: null,
      now: T0,
      toolVersion: '0.1.0',
      browser: { name: 'Firefox', version: '153.8.0' },
    });
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.tool.browser).toEqual({ name: 'Firefox', version: '153.8.0' });
    const tp = report.cookies.items.find((c) => c.name === 'tp')!;
    expect(tp).toMatchObject({
      partitioned: true,
      lifetimeSeconds: 400 * 86_400,
      requestedLifetimeSeconds: 315_360_000,
    });
    const sid = report.cookies.items.find((c) => c.name === 'sid')!;
    expect(sid.partitioned).toBe(false);
    expect(sid).not.toHaveProperty('requestedLifetimeSeconds');
  });

  it('without the content script report the verdict is grey and says why', () => {
    const visit = [req('https://www.example.de/', 'main_frame')].reduce<TallyState>(reduceTally, {})[TAB]!;
    const report = buildReport({
      visit,
      parties: summariseParties(visit, classifier),
      checks: null,
      authority: NOT_AUTHORITY,
      classifier,
      firstInteractionAt: null,
      now: T0,
      toolVersion: '0.1.0',
    });
    expect(report.verdict).toBe('grey');
    expect(report.greyReason).toMatch(/could not be read/);
    expect(reportSchemaErrors(report)).toEqual([]);
  });

  it("a platform page without an account to read (login wall, error page) is grey with a named reason, never red from the platform's footer", () => {
    const page = 'https://www.instagram.com/baeckerei_x/';
    const visit = [req(page, 'main_frame')].reduce<TallyState>(reduceTally, {})[TAB]!;
    const f = facts(
      page,
      [{ href: 'https://privacycenter.instagram.com/policy/', text: 'Datenschutzrichtlinie', region: 'footer' }],
      { title: 'Instagram', owner: { found: false, text: '', badges: [] } },
    );
    const checks = buildPageChecks(f, planPageChecks(f), { imprint: null, privacy: null }, ['instagram'], true);
    const report = buildReport({
      visit,
      parties: summariseParties(visit, classifier),
      checks,
      authority: NOT_AUTHORITY,
      classifier,
      firstInteractionAt: null,
      now: T0,
      toolVersion: '0.1.0',
    });
    expect(report.pageKind).toBe('social-profile');
    expect(report.platform).toBe('instagram');
    expect(report.verdict).toBe('grey');
    expect(report.findings).toEqual([]);
    expect(report.greyReason).toMatch(/no account page we can read/);
    expect(reportSchemaErrors(report)).toEqual([]);
  });

  describe("a site's own channels", () => {
    const page = 'https://www.kreis-x.de/';
    const notice =
      'Datenschutzerklärung\nVerantwortlich: Landkreis X, Kreishausplatz 1, 31134 Kreisstadt, E-Mail: info@kreis-x.de\nDatenschutzbeauftragte: datenschutz@kreis-x.de\n' +
      'Zwecke und Rechtsgrundlage: Art. 6 Abs. 1 lit. e DSGVO. Speicherdauer: 7 Tage. Sie haben das Recht auf Auskunft, Berichtigung, Löschung, Einschränkung und das Recht auf Beschwerde bei einer Aufsichtsbehörde.\n' +
      'Unser Instagram-Auftritt: Instagram ist ein Dienst der Meta Platforms Ireland Limited.';
    const f = facts(page, [
      { href: 'https://www.instagram.com/kreis_x/', text: 'Instagram', region: 'header' },
      { href: 'https://www.tiktok.com/@kreis.x', text: 'TikTok', region: 'header' },
      { href: '/impressum/', text: 'Impressum', region: 'footer' },
      { href: '/datenschutz/', text: 'Datenschutz', region: 'footer' },
    ]);
    const build = (authority: AuthorityFacts) => {
      const visit = [req(page, 'main_frame')].reduce<TallyState>(reduceTally, {})[TAB]!;
      const checks = buildPageChecks(
        f,
        planPageChecks(f),
        {
          imprint: doc(
            'https://www.kreis-x.de/impressum/',
            'Impressum\nLandkreis X\nKreishausplatz 1\n31134 Kreisstadt\ninfo@kreis-x.de\nvertreten durch den Landrat',
          ),
          privacy: doc('https://www.kreis-x.de/datenschutz/', notice),
        },
        [],
        true,
      );
      return buildReport({
        visit,
        parties: summariseParties(visit, classifier),
        checks,
        authority,
        classifier,
        firstInteractionAt: null,
        now: T0,
        toolVersion: '0.1.0',
      });
    };

    it('are a fact for every site; for a public body the unnamed ones are services its notice should name, with no second finding', () => {
      const authority = build({ ...NOT_AUTHORITY, isAuthority: true, score: 8 });
      expect(authority.ownChannels).toEqual([
        { id: 'instagram', url: 'https://www.instagram.com/kreis_x/', namedInNotice: true },
        { id: 'tiktok', url: 'https://www.tiktok.com/@kreis.x', namedInNotice: false },
      ]);
      expect(authority.privacyNotice.unmentionedServices).toEqual(['tiktok']);
      // R-AUTH-07 is the rule book's finding; R-SVC-01 stays about observed services.
      expect(authority.findings.map((x) => x.id)).not.toContain('privacy-unmentioned-service');
      expect(authority.findings.find((x) => x.id === 'authority-channels-not-in-notice')).toMatchObject({
        severity: 'red',
        certainty: 'heuristic',
        evidence: 'tiktok: https://www.tiktok.com/@kreis.x',
        legal: ['Art. 13(1)(e), 12(1) GDPR', 'Art. 26(2) GDPR'],
      });
      expect(authority.verdict).toBe('red');
      expect(reportSchemaErrors(authority)).toEqual([]);

      const company = build(NOT_AUTHORITY);
      expect(company.ownChannels).toEqual(authority.ownChannels);
      expect(company.privacyNotice.unmentionedServices).toEqual([]);
      expect(company.findings.map((x) => x.id)).not.toContain('privacy-unmentioned-service');
      expect(company.findings.map((x) => x.id)).not.toContain('authority-channels-not-in-notice');
    });
  });

  it('R-AUTH-01/01B: a public body on a public-sector Mastodon instance is not on a commercial platform; on Bluesky it is', () => {
    const run = (page: string, facts_: PageFacts, commercialPlatform: boolean) => {
      const visit = [req(page, 'main_frame')].reduce<TallyState>(reduceTally, {})[TAB]!;
      const checks = buildPageChecks(facts_, planPageChecks(facts_), { imprint: null, privacy: null }, [], true);
      return buildReport({
        visit,
        parties: summariseParties(visit, classifier),
        checks,
        authority: { ...NOT_AUTHORITY, isAuthority: true, score: 10 },
        classifier,
        firstInteractionAt: null,
        now: T0,
        toolVersion: '0.1.0',
        commercialPlatform,
      });
    };
    const owner = { found: true, text: 'Bundesamt X', badges: [] };
    const mastodon = run(
      'https://social.bund.de/@amt',
      facts('https://social.bund.de/@amt', [], { mastodon: true, owner }),
      false,
    );
    expect(mastodon.platform).toBe('mastodon');
    expect(mastodon.findings.map((x) => x.id)).not.toContain('authority-on-platform');
    const bluesky = run(
      'https://bsky.app/profile/amt.bund.de',
      facts('https://bsky.app/profile/amt.bund.de', [], { owner }),
      true,
    );
    expect(bluesky.platform).toBe('bluesky');
    expect(bluesky.findings.find((x) => x.id === 'authority-on-platform')?.evidence).toBe('bluesky');
    expect(reportSchemaErrors(bluesky)).toEqual([]);
  });
});

describe('bidi controls (lib/bidi.ts)', () => {
  it('no page-supplied string of the report carries one, so neither the popup nor the history nor an export shows it', () => {
    const page = 'https://www.shop-beispiel.de/';
    const visit = [
      req(page, 'main_frame'),
      req('https://www.google-analytics.com/g/collect', 'ping'),
    ].reduce<TallyState>(reduceTally, {})[TAB]!;
    const f = facts(page, [{ href: '/impressum', text: 'Impr\u202Eessum\u2066', region: 'footer' }], {
      title: 'Angebot \u202Egnp.exe\u202C \u2067heute\u2069 \u200Fnur\u200E',
      textSample: 'Text \u061C mit \u202B Steuerzeichen',
    });
    const plan = planPageChecks(f);
    const checks = buildPageChecks(
      f,
      plan,
      { imprint: doc(`${page}impressum`, 'Impressum\u202E'), privacy: null },
      [],
      true,
    );
    const report = buildReport({
      visit,
      parties: summariseParties(visit, classifier),
      checks,
      authority: NOT_AUTHORITY,
      classifier,
      firstInteractionAt: null,
      now: T0 + 5000,
      toolVersion: '0.1.0',
    });
    expect(report.page.title).toBe('Angebot gnp.exe heute nur');
    expect(JSON.stringify(report)).not.toMatch(/[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/);
    expect(reportSchemaErrors(report)).toEqual([]);
  });
});
