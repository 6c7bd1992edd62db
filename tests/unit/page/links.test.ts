import { describe, expect, it } from 'vitest';
import { type LinkCandidate, findLegalLinks, isOpaqueRedirect, unwrapRedirector, urlsInText } from '@/lib/page/links';
import {
  findCommentsOffClaims,
  findDmInvitations,
  findMessengerChannels,
  findWhatsAppMentions,
} from '@/lib/page/messaging';

const PAGE = 'https://www.jobcenter-musterstadt.de/aktuelles/index.html';
const link = (
  href: string,
  text: string,
  region: LinkCandidate['region'] = 'main',
  extra: Partial<LinkCandidate> = {},
): LinkCandidate => ({ href, text, region, ...extra });

describe('unwrapRedirector', () => {
  it('unwraps Instagram, Facebook, Threads, YouTube, LinkedIn and Google redirects', () => {
    expect(unwrapRedirector('https://l.instagram.com/?u=https%3A%2F%2Flinktr.ee%2Fjobcenter&e=AT0')).toBe(
      'https://linktr.ee/jobcenter',
    );
    expect(unwrapRedirector('https://l.facebook.com/l.php?u=https%3A%2F%2Fexample.de%2Fimpressum&h=x')).toBe(
      'https://example.de/impressum',
    );
    expect(unwrapRedirector('https://lm.facebook.com/l.php?u=http%3A%2F%2Fexample.de%2F')).toBe('http://example.de/');
    expect(unwrapRedirector('https://l.threads.net/?u=https%3A%2F%2Fexample.de%2Fa')).toBe('https://example.de/a');
    expect(
      unwrapRedirector('https://www.youtube.com/redirect?event=video_description&q=https%3A%2F%2Fexample.de%2F'),
    ).toBe('https://example.de/');
    expect(
      unwrapRedirector(
        'https://www.linkedin.com/redir/redirect?url=https%3A%2F%2Fexample.de%2Fdatenschutz&urlhash=abc',
      ),
    ).toBe('https://example.de/datenschutz');
    expect(unwrapRedirector('https://www.google.com/url?q=https://example.de/x&sa=D')).toBe('https://example.de/x');
    // nested wrappers
    expect(
      unwrapRedirector(
        'https://l.instagram.com/?u=' +
          encodeURIComponent('https://l.facebook.com/l.php?u=' + encodeURIComponent('https://example.de/')),
      ),
    ).toBe('https://example.de/');
  });

  it('returns the input for non-http targets, t.co, unknown hosts and junk', () => {
    for (const href of [
      'https://l.facebook.com/l.php?u=javascript%3Aalert(1)',
      'https://l.instagram.com/?u=data%3Atext%2Fhtml%2C%3Cscript%3E',
      'https://l.instagram.com/?x=1',
      'https://t.co/abc123',
      'https://example.de/?u=https://evil.example/',
      'not a url',
      '',
    ]) {
      expect(unwrapRedirector(href)).toBe(href);
    }
  });
});

describe('unwrapRedirector — one table for every platform (rules.json normalisation.url_unwrapping)', () => {
  const target = 'https://www.landratsamt-beispiel.de/impressum/';
  const enc = encodeURIComponent(target);
  it.each([
    ['Instagram', `https://l.instagram.com/?u=${enc}&e=AT1x`],
    ['Facebook', `https://l.facebook.com/l.php?u=${enc}&h=AT2`],
    ['Facebook mobile', `https://lm.facebook.com/l.php?u=${enc}`],
    ['Facebook on its main host', `https://www.facebook.com/l.php?u=${enc}`],
    ['TikTok', `https://www.tiktok.com/link/v2?aid=1988&lang=de&scene=bio_url&target=${enc}`],
    ['YouTube', `https://www.youtube.com/redirect?event=channel_description&redir_token=QUFF&q=${enc}`],
    ['LinkedIn', `https://www.linkedin.com/redir/redirect?url=${enc}&urlhash=Ab1_&trk=about_website`],
    ['LinkedIn (country host)', `https://de.linkedin.com/redir/redirect?url=${enc}`],
    ['Threads (.net)', `https://l.threads.net/?u=${enc}&e=AT3`],
    ['Threads (.com)', `https://l.threads.com/?u=${enc}`],
    ['a link-in-bio click tracker', `https://linktr.ee/track?url=${enc}`],
    ['another link-in-bio service', `https://beacons.ai/go?target=${enc}`],
  ])('%s', (_name, wrapped) => {
    expect(unwrapRedirector(wrapped)).toBe(target);
  });

  it('does not treat a platform page with a look-alike parameter as a redirector', () => {
    for (const href of [
      `https://www.tiktok.com/@stadt?target=${enc}`,
      `https://www.youtube.com/watch?v=x&q=${enc}`,
      `https://www.linkedin.com/company/x/?url=${enc}`,
      `https://www.instagram.com/?u=${enc}`,
    ])
      expect(unwrapRedirector(href)).toBe(href);
  });

  it('t.co: only a link text showing the whole target gives it (X display URLs drop the scheme and "www.")', () => {
    expect(unwrapRedirector('https://t.co/IDwNGHbZ', 'landratsamt-beispiel.de/impressum')).toBe(
      'https://www.landratsamt-beispiel.de/impressum',
    );
    expect(unwrapRedirector('https://t.co/IDwNGHbZ', 'service.landratsamt-beispiel.de/datenschutz')).toBe(
      'https://service.landratsamt-beispiel.de/datenschutz',
    );
    expect(unwrapRedirector('https://t.co/IDwNGHbZ', 'https://example.org/a?b=c')).toBe('https://example.org/a?b=c');
    // Cut off, prose, or no text: no target, and the link stays opaque (no signal).
    for (const text of [
      'landratsamt-beispiel.de/impres…',
      'landratsamt-beispiel.de/impres...',
      'unser Impressum',
      '',
      undefined,
    ]) {
      expect(unwrapRedirector('https://t.co/IDwNGHbZ', text)).toBe('https://t.co/IDwNGHbZ');
    }
    expect(isOpaqueRedirect('https://t.co/IDwNGHbZ')).toBe(true);
    expect(isOpaqueRedirect('https://www.landratsamt-beispiel.de/')).toBe(false);
  });
});

describe('urlsInText (LinkedIn and WhatsApp write legal URLs as plain text)', () => {
  it('finds full and bare URLs with the label before each', () => {
    const text =
      'Die Stadt ist eine große Arbeitgeberin.\nImpressum: https://www.stadt-a.de/impressum/\nDatenschutzhinweise zu dieser Seite: https://www.stadt-a.de/datenschutz/#linkedin';
    expect(urlsInText(text)).toEqual([
      { url: 'https://www.stadt-a.de/impressum/', label: 'Impressum:' },
      { url: 'https://www.stadt-a.de/datenschutz/#linkedin', label: 'Datenschutzhinweise zu dieser Seite:' },
    ]);
    expect(urlsInText('Legal notice: ihk-x.de/impressum · Privacy: ihk-x.de/datenschutz.')).toEqual([
      { url: 'https://ihk-x.de/impressum', label: 'Legal notice:' },
      { url: 'https://ihk-x.de/datenschutz', label: 'Privacy:' },
    ]);
  });

  it('leaves e-mail addresses, abbreviations and sentence ends alone', () => {
    expect(urlsInText('Presse: presse@stadt-a.de. Z.B. am Rathaus. Beispielhausen.Impressum folgt')).toEqual([]);
  });
});

describe('findLegalLinks — labels before bio links', () => {
  it('reads "Datenschutz:" before a link that shows only a URL, not prose', () => {
    const r = findLegalLinks(
      [
        link('https://www.polizei-x.de/social-media', 'polizei-x.de/social-media', 'bio', {
          before: 'Impressum & Datenschutz:',
        }),
        link('https://www.polizei-x.de/presse', 'polizei-x.de/presse', 'bio', {
          before: 'Alles über uns, auch zum Datenschutz, finden Sie in unseren Beiträgen und Geschichten 👇',
        }),
      ],
      'https://x.com/polizei_x',
    );
    expect(r.imprint.map((l) => l.url)).toEqual(['https://www.polizei-x.de/social-media']);
    expect(r.privacy.map((l) => l.url)).toEqual(['https://www.polizei-x.de/social-media']);
    expect(r.privacy[0]?.matchedBy).toEqual(['label']);
  });
});

describe('findMessengerChannels — channels to follow are not contacts', () => {
  it('a WhatsApp channel, a t.me/s preview and a t.me link labelled as a channel are left to ownChannels', () => {
    const found = findMessengerChannels(
      [
        link('https://whatsapp.com/channel/0029VaAbCdEfGh', 'WhatsApp-Kanal'),
        link('https://t.me/s/kreis_info', 'Telegram'),
        link('https://t.me/kreis_info', 'Telegram-Kanal'),
        link('https://t.me/kreis_buergerbuero', 'Schreiben Sie uns auf Telegram'),
        link('https://wa.me/4930123456', 'WhatsApp'),
      ],
      '',
    );
    expect(found.map((m) => m.url)).toEqual(['https://t.me/kreis_buergerbuero', 'https://wa.me/4930123456']);
  });
});

describe('findLegalLinks', () => {
  it('finds imprint and privacy links by text in many languages and resolves relative URLs', () => {
    const cases: [string, 'imprint' | 'privacy'][] = [
      ['Impressum', 'imprint'],
      ['Legal notice', 'imprint'],
      ['Mentions légales', 'imprint'],
      ['Aviso legal', 'imprint'],
      ['Note legali', 'imprint'],
      ['Colofon', 'imprint'],
      ['Nota prawna', 'imprint'],
      ['Ansvarig utgivare', 'imprint'],
      ['Datenschutzerklärung', 'privacy'],
      ['Privacy Policy', 'privacy'],
      ['Politique de confidentialité', 'privacy'],
      ['Política de privacidad', 'privacy'],
      ['Informativa privacy', 'privacy'],
      ['Privacyverklaring', 'privacy'],
      ['Polityka prywatności', 'privacy'],
      ['Integritetspolicy', 'privacy'],
      ['Ochrana osobních údajů', 'privacy'],
    ];
    for (const [text, kind] of cases) {
      const r = findLegalLinks([link('../seite-x', text, 'footer')], PAGE);
      expect(
        r[kind].map((l) => l.url),
        text,
      ).toEqual(['https://www.jobcenter-musterstadt.de/seite-x']);
    }
  });

  it('uses URL paths, title and aria-label when the text says nothing', () => {
    const r = findLegalLinks(
      [
        link('/de/impressum.html', '§', 'footer'),
        link('/x', '', 'footer', { ariaLabel: 'Datenschutzhinweise' }),
        link('/y', 'i', 'nav', { title: 'Legal notice' }),
      ],
      PAGE,
    );
    expect(r.imprint.map((l) => [l.url, l.matchedBy])).toEqual([
      ['https://www.jobcenter-musterstadt.de/y', ['title']],
      ['https://www.jobcenter-musterstadt.de/de/impressum.html', ['url']],
    ]);
    expect(r.privacy[0]).toMatchObject({
      url: 'https://www.jobcenter-musterstadt.de/x',
      matchedBy: ['aria-label'],
      language: 'de',
    });
  });

  it('prefers footer/nav/bio links over the same label in the main text', () => {
    const r = findLegalLinks(
      [link('/news/impressum-aktualisiert', 'Impressum', 'main'), link('/impressum', 'Impressum', 'footer')],
      PAGE,
    );
    expect(r.imprint[0]?.url).toBe('https://www.jobcenter-musterstadt.de/impressum');
    expect(r.imprint[0]?.region).toBe('footer');
  });

  it('"Kontakt"/"About" are weak imprint candidates ranked below real labels', () => {
    const r = findLegalLinks([link('/kontakt', 'Kontakt', 'footer'), link('/impressum', 'Impressum', 'main')], PAGE);
    expect(r.imprint.map((l) => [l.url.split('/').pop(), l.weak])).toEqual([
      ['impressum', false],
      ['kontakt', true],
    ]);
  });

  it('ignores javascript:, data:, blob:, mailto: links, consent-settings buttons and platform legal pages', () => {
    const r = findLegalLinks(
      [
        link('javascript:void(0)', 'Impressum', 'footer'),
        link('data:text/html,Impressum', 'Impressum', 'footer'),
        link('blob:https://x/1', 'Datenschutz', 'footer'),
        link('mailto:datenschutz@x.de', 'Datenschutz', 'footer'),
        link('#', 'Datenschutz-Einstellungen', 'footer'),
        link('#', 'Cookie-Einstellungen', 'footer'),
        link('https://linktr.ee/s/privacy', 'Privacy', 'link-list'),
        link('https://help.instagram.com/519522125107875', 'Datenschutzrichtlinie', 'bio'),
      ],
      PAGE,
    );
    expect(r).toEqual({ imprint: [], privacy: [] });
  });

  it('unwraps bio links and deduplicates by URL without fragment', () => {
    const r = findLegalLinks(
      [
        link(
          'https://l.instagram.com/?u=https%3A%2F%2Fjobcenter-musterstadt.de%2Fimpressum',
          'jobcenter-musterstadt.de/impressum',
          'bio',
        ),
        link('https://jobcenter-musterstadt.de/impressum#top', 'Impressum', 'link-list'),
      ],
      'https://www.instagram.com/jobcenter_musterstadt/',
    );
    expect(r.imprint).toHaveLength(1);
    expect(r.imprint[0]?.url.replace(/#.*/, '')).toBe('https://jobcenter-musterstadt.de/impressum');
    expect(r.imprint[0]?.matchedBy).toEqual(expect.arrayContaining(['text', 'url']));
  });

  it('never throws on junk and only processes the first 5,000 candidates', () => {
    expect(findLegalLinks(null as unknown as LinkCandidate[], 'x')).toEqual({ imprint: [], privacy: [] });
    expect(findLegalLinks([{} as LinkCandidate, link('/impressum', 'Impressum')], 'not a url')).toEqual({
      imprint: [],
      privacy: [],
    });
    const many = Array.from({ length: 6000 }, (_, i) => link(`/a/${i}`, `Artikel ${i}`));
    many.push(link('/impressum', 'Impressum', 'footer'));
    expect(findLegalLinks(many, PAGE).imprint).toEqual([]);
  });

  // Its speed is the browser bench's (tests/bench/browser-bench.ts: the content script on a page of links).
  it("among 20,000 candidates the footer's legal links still win", () => {
    const many = Array.from({ length: 20_000 }, (_, i) =>
      link(`/artikel/${i}?seite=${i % 7}`, `Meldung ${i}: Neues aus dem Jobcenter`, i % 10 === 0 ? 'nav' : 'main'),
    );
    many.splice(4000, 0, link('/impressum', 'Impressum', 'footer'), link('/datenschutz', 'Datenschutz', 'footer'));
    const r = findLegalLinks(many, PAGE);
    expect(r.imprint[0]?.url).toBe('https://www.jobcenter-musterstadt.de/impressum');
    expect(r.privacy[0]?.url).toBe('https://www.jobcenter-musterstadt.de/datenschutz');
  });
});

describe('findMessengerChannels', () => {
  it('finds WhatsApp, Telegram, Signal and Threema links and URLs written in text', () => {
    const r = findMessengerChannels(
      [
        link('https://wa.me/4915112345678', 'WhatsApp', 'bio'),
        link('https://l.instagram.com/?u=https%3A%2F%2Fchat.whatsapp.com%2FAbC123', 'Gruppe', 'bio'),
        link('whatsapp://send?phone=4915112345678', 'App', 'bio'),
        link('https://signal.me/#eu/abc', 'Signal', 'bio'),
        link('https://www.whatsapp.com/', 'WhatsApp Website', 'main'),
      ],
      'Schreib uns: t.me/jobcenter_x, threema.id/ABCD1234. Nicht: at.me/x oder https://wa.me/4915112345678',
    );
    expect(r.map((c) => [c.kind, c.url, c.source])).toEqual([
      ['whatsapp', 'https://wa.me/4915112345678', 'link'],
      ['whatsapp', 'https://chat.whatsapp.com/AbC123', 'link'],
      ['whatsapp', 'whatsapp://send?phone=4915112345678', 'link'],
      ['signal', 'https://signal.me/#eu/abc', 'link'],
      ['telegram', 'https://t.me/jobcenter_x', 'text'],
      ['threema', 'https://threema.id/ABCD1234', 'text'],
    ]);
  });

  it('never throws on junk', () => {
    expect(findMessengerChannels(undefined as unknown as LinkCandidate[], undefined as unknown as string)).toEqual([]);
  });

  it('finds WhatsApp offered in text without a link (services.whatsapp.text_signals)', () => {
    expect(findWhatsAppMentions('Fragen? Schreiben Sie uns gerne per WhatsApp!')[0]).toContain('per WhatsApp');
    expect(findWhatsAppMentions('Wir nutzen kein Messenger-Angebot.')).toEqual([]);
  });
});

describe('findDmInvitations', () => {
  it('finds invitations to send matters by DM / Direktnachricht / PN (de, en)', () => {
    const r = findDmInvitations(
      'Du hast Fragen zu deinem Antrag? Schreib uns eine Direktnachricht! Oder per PN. Slide into our DMs!',
    );
    expect(r).toHaveLength(3);
    expect(r[0]).toContain('Direktnachricht');
    expect(findDmInvitations('Questions? Send us a DM and we will help.')[0]).toContain('Send us a DM');
  });

  it('does not count warnings against DMs or "write to us" by e-mail', () => {
    expect(findDmInvitations('Bitte senden Sie uns keine persönlichen Daten per Direktnachricht.')).toEqual([]);
    expect(findDmInvitations('Schreiben Sie uns eine E-Mail an info@jobcenter.de.')).toEqual([]);
    expect(findDmInvitations('')).toEqual([]);
  });
});

describe('urlsInText — displays cut off with "…" are no target', () => {
  it('skips "stadt-a.de/arch…" and "stadt-a.de/arch..."', () => {
    expect(urlsInText('Archiv: stadt-a.de/arch… · Alt: stadt-a.de/alt... · Neu: stadt-a.de/neu')).toEqual([
      { url: 'https://stadt-a.de/neu', label: 'Neu:' },
    ]);
  });
});

describe('findCommentsOffClaims (rules.json R-AUTH-08 social.comments_disabled_privacy_claim)', () => {
  it.each([
    [
      'Behörde · Kommentare sind aus Datenschutzgründen deaktiviert. Schreib uns gern eine DM!',
      'Kommentare sind aus Datenschutzgründen deaktiviert.',
    ],
    [
      'Aus datenschutzrechtlichen Gründen ist die Kommentarfunktion auf dieser Seite abgeschaltet.',
      'Aus datenschutzrechtlichen Gründen ist die Kommentarfunktion auf dieser Seite abgeschaltet.',
    ],
    [
      'Zum Schutz Ihrer persönlichen Daten haben wir das Kommentieren ausgeschaltet',
      'Zum Schutz Ihrer persönlichen Daten haben wir das Kommentieren ausgeschaltet',
    ],
    [
      'Official account of the city. Comments are turned off for privacy reasons.',
      'Comments are turned off for privacy reasons.',
    ],
    [
      'Kommentare: aus Gründen des Datenschutzes nicht möglich. Fragen? Per PN!',
      'Kommentare: aus Gründen des Datenschutzes nicht möglich.',
    ],
  ])('reads the claim in %j', (text, claim) => {
    expect(findCommentsOffClaims(text)).toEqual([claim]);
  });

  it.each([
    'Bitte beachtet unsere Netiquette. Kommentare werden nach unserer Datenschutzerklärung verarbeitet.',
    'Kommentare sind deaktiviert. Datenschutz: www.stadt-beispiel.de/datenschutz',
    'Infos zum Datenschutz in der Bio. Schreib uns gern eine DM!',
    'We closed the office for the holidays; privacy notice below.',
    '',
  ])('does not read a claim in %j', (text) => {
    expect(findCommentsOffClaims(text)).toEqual([]);
  });
});
