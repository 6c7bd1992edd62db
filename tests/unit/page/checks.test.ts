import { describe, expect, it } from 'vitest';
import {
  type FetchedDoc,
  buildPageChecks,
  corroborationStart,
  imprintLinkOf,
  linksInHtml,
  ownerCandidates,
  planPageChecks,
  readableText,
} from '@/lib/page/checks';
import type { PageFacts } from '@/lib/page/facts';
import { pageHintsOf } from '@/lib/page/hints';

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
const doc = (url: string, text: string, extra: Partial<FetchedDoc> = {}): FetchedDoc => ({
  url,
  finalUrl: url,
  fetchedAt: 0,
  status: 200,
  contentType: 'text/html',
  text,
  truncated: false,
  error: null,
  ...extra,
});

/** The footer every platform page carries: the platform's own legal pages. */
const PLATFORM_FOOTER: PageFacts['links'] = [
  { href: 'https://privacycenter.instagram.com/policy/', text: 'Datenschutzrichtlinie', region: 'footer' },
  { href: 'https://help.instagram.com/1047593145284396/', text: 'Impressum/AGB/NetzDG/UrhDaG', region: 'footer' },
  { href: 'https://www.tiktok.com/legal/page/eea/imprint/de', text: 'Impressum', region: 'footer' },
];

describe('whose legal pages count', () => {
  it("on a profile only the account's own links (its elements and URLs written in its bio), never the platform's footer", () => {
    const f = facts(
      'https://www.instagram.com/kreis_a/',
      [
        ...PLATFORM_FOOTER,
        { href: 'https://l.instagram.com/?u=https%3A%2F%2Fwww.kreis-a.de%2F', text: 'kreis-a.de', region: 'bio' },
      ],
      {
        owner: {
          found: true,
          text: 'Kreis A\nImpressum: kreis-a.de/impressum\nDatenschutz: https://www.kreis-a.de/datenschutz/',
          badges: [],
        },
      },
    );
    const plan = planPageChecks(f);
    expect(plan.links.imprint.map((l) => l.url)).toEqual(['https://kreis-a.de/impressum']);
    expect(plan.links.privacy.map((l) => l.url)).toEqual(['https://www.kreis-a.de/datenschutz/']);
    expect(plan.bioLinks.map((b) => b.url)).toEqual([
      'https://www.kreis-a.de/',
      'https://kreis-a.de/impressum',
      'https://www.kreis-a.de/datenschutz/',
    ]);
  });

  it('a login wall or unknown markup leaves nothing of the account: the profile is not readable', () => {
    const wall = planPageChecks(
      facts('https://www.instagram.com/baeckerei_x/', PLATFORM_FOOTER, {
        title: 'Instagram',
        owner: { found: false, text: '', badges: [] },
      }),
    );
    expect(wall.hints.platform).toBe('instagram');
    expect(wall.hints.profileReadable).toBe(false);
    expect(wall.links.imprint).toEqual([]);
    expect(wall.links.privacy).toEqual([]);
    // A post or the platform's own pages are no account page, whatever they show.
    expect(
      pageHintsOf(facts('https://www.instagram.com/p/C0ffee/', [], { owner: { found: true, text: 'x', badges: [] } }))
        .profileReadable,
    ).toBe(false);
  });

  it("on a link page its list counts, the service's own links (footer, privacy page, sign-up) do not", () => {
    const f = facts('https://bio.link/gdp_x', [
      { href: 'https://www.gdp-x.de/impressum/', text: 'Impressum', region: 'nav' },
      { href: 'https://www.gdp-x.de/datenschutz/', text: 'Datenschutz', region: 'link-list' },
      { href: 'https://bio.link/privacy', text: 'Privacy', region: 'footer' },
      { href: 'https://bio.link/terms', text: 'Privacy & Terms', region: 'link-list' },
    ]);
    expect(ownerCandidates(f, pageHintsOf(f)).map((c) => c.href)).toEqual([
      'https://www.gdp-x.de/impressum/',
      'https://www.gdp-x.de/datenschutz/',
    ]);
    expect(planPageChecks(f).links.privacy[0]?.url).toBe('https://www.gdp-x.de/datenschutz/');
  });

  it('a Mastodon instance (any host) is recognised from its markup; its footer and "about" are the operator\'s', () => {
    const f = facts(
      'https://norden.social/@KV',
      [
        { href: 'https://norden.social/privacy-policy', text: 'Datenschutzerklärung', region: 'other' },
        { href: 'https://norden.social/about#impressum', text: 'Impressum', region: 'other' },
        { href: 'https://www.kv-x.de', text: 'https://www. kv-x.de', region: 'bio', before: 'Website', verified: true },
      ],
      { mastodon: true, owner: { found: true, text: 'Kreisverwaltung X @KV@norden.social', badges: [] } },
    );
    const plan = planPageChecks(f);
    expect(plan.hints.platform).toBe('mastodon');
    expect(plan.hints.handle).toBe('KV@norden.social');
    expect(plan.links.imprint).toEqual([]);
    expect(plan.bioLinks).toEqual([expect.objectContaining({ url: 'https://www.kv-x.de/', verified: true })]);
    expect(corroborationStart(plan)).toEqual({ url: 'https://www.kv-x.de/', kind: 'website' });
  });
});

describe('corroboration: the linked website, then its imprint', () => {
  it('starts at a website the profile links, else at its link page; never when the profile links its own imprint', () => {
    const withSite = planPageChecks(
      facts(
        'https://www.tiktok.com/@jc_x',
        [
          {
            href: 'https://www.tiktok.com/link/v2?target=https%3A%2F%2Fwww.jc-x.de%2Fdatenschutz%2F',
            text: 'jc-x.de/datenschutz',
            region: 'bio',
          },
        ],
        {
          owner: { found: true, text: 'Jobcenter X', badges: [] },
        },
      ),
    );
    expect(corroborationStart(withSite)).toEqual({ url: 'https://www.jc-x.de/datenschutz/', kind: 'website' });
    const linkPageOnly = planPageChecks(
      facts(
        'https://www.instagram.com/jc_x/',
        [
          {
            href: 'https://l.instagram.com/?u=https%3A%2F%2Fbeacons.ai%2Fjc_x',
            text: 'beacons.ai/jc_x',
            region: 'bio',
          },
        ],
        {
          owner: { found: true, text: 'Jobcenter X', badges: [] },
        },
      ),
    );
    expect(corroborationStart(linkPageOnly)).toEqual({ url: 'https://beacons.ai/jc_x', kind: 'link-page' });
    const ownImprint = planPageChecks(
      facts(
        'https://www.instagram.com/jc_x/',
        [{ href: 'https://www.jc-x.de/impressum/', text: 'Impressum', region: 'bio' }],
        { owner: { found: true, text: 'Jobcenter X', badges: [] } },
      ),
    );
    expect(corroborationStart(ownImprint)).toBeNull();
    expect(
      corroborationStart(
        planPageChecks(facts('https://www.jc-x.de/', [{ href: '/impressum', text: 'Impressum', region: 'footer' }])),
      ),
    ).toBeNull();
  });

  it("finds a fetched page's imprint link in its HTML (not the platform's, not a weak 'Kontakt')", () => {
    const html =
      '<html><body><nav><a href="/kontakt/">Kontakt</a></nav><main><a href="https://www.instagram.com/legal/">Instagram</a></main>' +
      '<footer><a href="/impressum/" class="x">Impressum</a> · <a href=\'/datenschutz/\'>Daten&shy;schutz</a></footer></body></html>';
    const links = linksInHtml(html);
    expect(links).toEqual([
      { href: '/kontakt/', text: 'Kontakt', region: 'main' },
      { href: 'https://www.instagram.com/legal/', text: 'Instagram', region: 'main' },
      { href: '/impressum/', text: 'Impressum', region: 'footer' },
      { href: '/datenschutz/', text: 'Daten\u00adschutz', region: 'footer' },
    ]);
    expect(imprintLinkOf(doc('https://www.jc-x.de/', '', { links }))).toBe('https://www.jc-x.de/impressum/');
    expect(
      imprintLinkOf(
        doc('https://www.jc-x.de/', '', { links: [{ href: '/kontakt/', text: 'Kontakt', region: 'main' }] }),
      ),
    ).toBeNull();
    expect(imprintLinkOf(doc('https://www.jc-x.de/', '', { links, error: 'HTTP 404' }))).toBeNull();
  });
});

describe("the site's own channels", () => {
  const page = 'https://www.verein-x.de/';
  const links: PageFacts['links'] = [
    { href: 'https://www.instagram.com/verein_x/', text: '', ariaLabel: 'Instagram', region: 'header' },
    { href: 'https://www.facebook.com/vereinx/', text: 'Facebook', region: 'main' },
    { href: 'https://www.verein-x.de/impressum-datenschutz/#impressum', text: 'Impressum', region: 'footer' },
    { href: 'https://www.verein-x.de/impressum-datenschutz/#datenschutz', text: 'Datenschutz', region: 'footer' },
  ];
  const combined =
    '<section id="impressum"><h2>Impressum</h2><p>Dieses Impressum gilt auch für unsere Auftritte bei Instagram und Facebook.</p></section>' +
    '<section id="datenschutz"><h2>Datenschutzerklärung</h2><p>Verantwortlicher im Sinne der DSGVO ist der Verein X e.V., Hauptstraße 1, 79100 Freiburg, E-Mail: info@verein-x.de.</p>' +
    '<p>Wir verarbeiten Ihre Daten auf Grundlage von Art. 6 Abs. 1 lit. f DSGVO. Sie haben das Recht auf Auskunft, Berichtigung, Löschung und Widerspruch sowie das Recht, sich bei einer Aufsichtsbehörde zu beschweren.</p>' +
    '<p>Wir betreiben einen Auftritt bei Instagram (Meta Platforms Ireland Limited).</p></section>';

  it('on a page holding imprint and notice, only the notice part names channels (the imprint only says it covers them)', () => {
    const r = readableText(combined, 'text/html', '#datenschutz');
    expect(r?.section).toMatch(/^Datenschutzerklärung/);
    const f = facts(page, links);
    const plan = planPageChecks(f);
    const privacy = doc(links[3]!.href, r!.text, { section: r!.section });
    const checks = buildPageChecks(f, plan, { imprint: doc(links[2]!.href, r!.text), privacy }, [], true);
    expect(checks.ownChannels).toEqual([
      { id: 'instagram', url: 'https://www.instagram.com/verein_x/', namedInNotice: true },
      { id: 'facebook', url: 'https://www.facebook.com/vereinx/', namedInNotice: false },
    ]);
  });

  it('without a readable notice the channels are listed with namedInNotice null', () => {
    const f = facts(page, links.slice(0, 2));
    expect(
      buildPageChecks(f, planPageChecks(f), { imprint: null, privacy: null }, [], true).ownChannels.map(
        (c) => c.namedInNotice,
      ),
    ).toEqual([null, null]);
  });
});

describe('a link shown as its address is one link, not two', () => {
  it('the display text of an l.instagram.com link in the bio is not read again as a URL', () => {
    const f = facts(
      'https://www.instagram.com/kreis_a/',
      [
        {
          href: 'https://l.instagram.com/?u=https%3A%2F%2Fwww.kreis-a.de%2Fsocial%2F%23impressum',
          text: 'kreis-a.de/impressum',
          region: 'bio',
        },
      ],
      {
        owner: { found: true, text: 'Kreis A\nkreis-a.de/impressum', badges: [] },
      },
    );
    expect(planPageChecks(f).links.imprint.map((l) => l.url)).toEqual(['https://www.kreis-a.de/social/#impressum']);
  });
});
