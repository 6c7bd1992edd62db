// The imprint facts of the rule book (lib/verdict/imprint-facts.ts), on links as the link finder
// (lib/page/links.ts findLegalLinks) ranks them from real labels.
import { describe, expect, it } from 'vitest';
import { type LinkCandidate, findLegalLinks } from '@/lib/page/links';
import { imprintCoversProfile, unclearImprintLabel } from '@/lib/verdict/imprint-facts';

const PAGE = 'https://www.beispiel-gmbh.de/';
const imprintLinkOf = (c: Partial<LinkCandidate> & { href: string }) =>
  findLegalLinks([{ text: '', region: 'footer', ...c }], PAGE).imprint[0] ?? null;

describe('unclearImprintLabel (R-IMP-02)', () => {
  it.each([
    ['Impressum', '/impressum.html'],
    ['Impressum', '/seite.php?id=17'],
    ['Rechtliche Hinweise', '/rechtliches/'],
    ['Legal notice', '/legal-notice'],
    ['Kontakt & Impressum', '/kontakt/'],
    ['Mentions légales', '/mentions-legales'],
    ['beispiel-gmbh.de/impressum', 'https://l.instagram.com/?u=https%3A%2F%2Fwww.beispiel-gmbh.de%2Fimpressum'],
  ])('"%s" → %s names the imprint: clear', (text, href) => {
    const link = imprintLinkOf({ text, href });
    expect(link, text).not.toBeNull();
    expect(unclearImprintLabel(link)).toBeNull();
  });

  it('an icon link whose aria-label or title says "Impressum" is clear', () => {
    expect(unclearImprintLabel(imprintLinkOf({ href: '/i', ariaLabel: 'Impressum' }))).toBeNull();
    expect(unclearImprintLabel(imprintLinkOf({ href: '/i', title: 'Impressum und Datenschutz' }))).toBeNull();
  });

  it('a bio field label before a bare URL ("Impressum: stadt.de/x") is clear', () => {
    const link = imprintLinkOf({
      href: 'https://www.stadt-a.de/x/',
      text: 'stadt-a.de/x',
      region: 'bio',
      before: 'Impressum:',
    });
    expect(link?.matchedBy).toContain('label');
    expect(unclearImprintLabel(link)).toBeNull();
  });

  it('"Kontakt" alone is accepted (BGH I ZR 228/03), though the link finder calls it weak', () => {
    const link = imprintLinkOf({ text: 'Kontakt', href: '/kontakt.html' });
    expect(link?.weak).toBe(true);
    expect(unclearImprintLabel(link)).toBeNull();
  });

  it.each([
    ['Info', '/impressum/'],
    ['Rechtliches', '/impressum.html'],
    ['§', '/impressum'],
    ['', '/impressum'],
  ])('"%s" → %s: known only by the URL path, unclear', (text, href) => {
    const link = imprintLinkOf({ text, href });
    expect(link?.matchedBy).toEqual(['url']);
    expect(unclearImprintLabel(link)).toBe(text);
  });

  it.each(['Über uns', 'About us'])('"%s" (a weak label other than Kontakt) is unclear', (text) => {
    const link = imprintLinkOf({ text, href: '/wir/' });
    expect(link?.weak).toBe(true);
    expect(unclearImprintLabel(link)).toBe(text);
  });

  it('no link: nothing to judge', () => {
    expect(unclearImprintLabel(null)).toBeNull();
    expect(unclearImprintLabel(undefined)).toBeNull();
  });
});

describe('imprintCoversProfile (R-IMP-12)', () => {
  const base = {
    isProfile: true,
    imprintRead: true,
    statement: false,
    imprintUrl: 'https://www.baeckerei-beispiel.de/impressum',
    pageUrl: 'https://www.instagram.com/baeckerei_beispiel/',
    isAuthority: false,
  };

  it("a company's website imprint without a statement does not cover the profile", () => {
    expect(imprintCoversProfile(base)).toBe(false);
  });

  it('the statement makes it cover the profile', () => {
    expect(imprintCoversProfile({ ...base, statement: true })).toBe(true);
  });

  it("an imprint on the platform itself (a Facebook page's imprint tab) is the profile's own", () => {
    expect(
      imprintCoversProfile({
        ...base,
        imprintUrl: 'https://www.facebook.com/stadtbeispiel/about_details',
        pageUrl: 'https://www.facebook.com/stadtbeispiel/',
      }),
    ).toBe(true);
  });

  it("a public body's imprint on a domain it links covers it; one on a link-in-bio page does not", () => {
    expect(imprintCoversProfile({ ...base, isAuthority: true, imprintUrl: 'https://www.stadt-a.de/impressum' })).toBe(
      true,
    );
    expect(imprintCoversProfile({ ...base, isAuthority: true, imprintUrl: 'https://linktr.ee/stadt_a' })).toBe(false);
  });

  it('not a profile, or no imprint read: the question does not arise', () => {
    expect(imprintCoversProfile({ ...base, isProfile: false })).toBeNull();
    expect(imprintCoversProfile({ ...base, imprintRead: false })).toBeNull();
    expect(imprintCoversProfile({ ...base, imprintUrl: null })).toBeNull();
  });
});
