import { describe, expect, it } from 'vitest';
import { IMPRINT_ELEMENT_IDS, analyseImprint } from '@/lib/legal/imprint';
import { cpuMs } from '../helpers/cpu-time';

describe('analyseImprint', () => {
  it('finds address, e-mail, phone and a representative with a name (§ 5 Abs. 1 Nr. 1, 2 DDG)', () => {
    const r = analyseImprint(
      'Impressum\nStadt Musterstadt\nRathausplatz 1\n12345 Musterstadt\nTel. 0123 456789\npoststelle@musterstadt.de\nVertreten durch den Oberbürgermeister Peter Beispiel',
    );
    expect(r.status).toBe('found');
    expect(r.elements.address.found).toBe(true);
    expect(r.elements.email.evidence).toContain('poststelle@musterstadt.de');
    expect(r.elements.phone.found).toBe(true);
    expect(r.elements.representative).toMatchObject({ found: true });
    expect(r.elements.representative.evidence).toContain('Peter Beispiel');
  });

  it('a representative keyword without a personal name is only partial', () => {
    const r = analyseImprint(
      'Musterstraße 1, 12345 Musterstadt\ninfo@example.de\nVertretungsberechtigt: die Geschäftsführung',
    );
    expect(r.elements.representative).toMatchObject({ found: false, partial: true });
  });

  it('accepts obfuscated e-mail addresses but not prose with "at"', () => {
    expect(analyseImprint('Kontakt: info [at] stadt-x [punkt] de').elements.email.found).toBe(true);
    expect(analyseImprint('We are at Berlin. We love it.').elements.email.found).toBe(false);
  });

  it('does not take dates, PLZ or fax numbers for a phone number', () => {
    const r = analyseImprint('Stand: 01.02.2024\nMusterweg 3, 01067 Dresden\nFax: 0351 1234567');
    expect(r.elements.phone.found).toBe(false);
    expect(analyseImprint('Telefon: +49 351 1234567').elements.phone.found).toBe(true);
  });

  it('a Postfach is not an address; poBoxOnly reports it', () => {
    const r = analyseImprint('Beispiel AG\nPostfach 12 34\n80001 München\ninfo@beispiel.de');
    expect(r.elements.address.found).toBe(false);
    expect(r.poBoxOnly).toBe(true);
    const both = analyseImprint(
      'Beispiel AG\nLeopoldstraße 10, 80802 München\nPostfach 12 34, 80001 München\ninfo@beispiel.de',
    );
    expect(both.elements.address.found).toBe(true);
    expect(both.poBoxOnly).toBe(false);
  });

  it('VAT: a labelled number counts, the word "de" does not, a label alone is partial', () => {
    expect(analyseImprint('USt-IdNr.: DE123456789').elements['vat-id'].found).toBe(true);
    expect(analyseImprint('UID: ATU12345678').elements['vat-id'].found).toBe(true);
    expect(analyseImprint('Besuchen Sie uns auf www.beispiel.de oder de.wikipedia.org').elements['vat-id'].found).toBe(
      false,
    );
    expect(analyseImprint('USt-IdNr.: wird nachgereicht').elements['vat-id']).toMatchObject({
      found: false,
      partial: true,
    });
  });

  it('register: HRB/VR/FN numbers (§ 5 Abs. 1 Nr. 4 DDG)', () => {
    expect(analyseImprint('Amtsgericht Köln HRB 12345').elements.register.found).toBe(true);
    expect(analyseImprint('Firmenbuchnummer: FN 123456a').elements.register.found).toBe(true);
    expect(analyseImprint('Wir sind nicht im Handelsregister eingetragen.').elements.register.found).toBe(false);
    expect(analyseImprint('ZVR No.: 432857691').elements.register.found).toBe(true);
    expect(analyseImprint('Registered charity number 1123456').elements.register.found).toBe(true);
  });

  it("register: a trade mark's or the Handwerksrolle's number is not an entity register (docs/legal-labels.md § 3)", () => {
    const r = analyseImprint(
      'Die Marke mit der Registernummer 300 26 395 wurde beim Deutschen Patent- und Markenamt eingetragen.',
    );
    expect(r.elements.register.found).toBe(false);
    expect(analyseImprint('Eingetragen in die Handwerksrolle, Registernummer 12345').elements.register.found).toBe(
      false,
    );
  });

  it('supervisory authority of the body, not the data-protection complaint authority', () => {
    expect(
      analyseImprint('Zuständige Aufsichtsbehörde: Landesverwaltungsamt').elements['supervisory-authority'].found,
    ).toBe(true);
    expect(
      analyseImprint('Sie können sich bei einer Aufsichtsbehörde beschweren (Art. 77 DSGVO).').elements[
        'supervisory-authority'
      ].found,
    ).toBe(false);
    // Austria: the Vereinsbehörde supervises associations (§ 9 VerG).
    expect(
      analyseImprint('Association Authority: Vienna Federal Police Headquarters').elements['supervisory-authority']
        .found,
    ).toBe(true);
  });

  it('§ 18 Abs. 2 MStV responsible person in several wordings', () => {
    for (const s of [
      'V.i.S.d.P.: Erika Muster',
      'Verantwortlich i.S.d. § 18 Abs. 2 MStV: Erika Muster',
      'Inhaltlich verantwortlich: Erika Muster',
      'Verantwortlich gemäß § 18 Abs. 2 MStV: Erika Muster',
      'Redaktionell verantwortlich\nErika Muster & Hans Beispiel',
      'Redaktionsverantwortliche\nfür die Online-Ausstellung des Instituts\nDr. Erika Muster',
      'Verantwortlicher für die Gesamtrealisation und die redaktionellen Angebote i. S. d. § 18 Abs. 2 MStV\nHerr Prof. Hans Beispiel',
    ]) {
      expect(analyseImprint(s).elements['responsible-for-content'].found, s).toBe(true);
    }
  });

  it('reports public-law entities and outdated references', () => {
    const r = analyseImprint(
      'Die Kammer ist eine Körperschaft des öffentlichen Rechts. Angaben gemäß § 5 TMG und § 55 Abs. 2 RStV',
    );
    expect(r.publicLawEntity.found).toBe(true);
    expect(r.outdatedRefs).toEqual(expect.arrayContaining(['§ 5 TMG', '§ 55 Abs. 2 RStV']));
    expect(
      analyseImprint('Georg-August-Universität Göttingen Stiftung öffentlichen Rechts').publicLawEntity.found,
    ).toBe(true);
    // Austria: the TKG 2003 was replaced by the TKG 2021 (docs/legal-labels.md § 3.1).
    expect(
      analyseImprint('Gemäß § 96 Section 3 TKG und dem Telekommunikationsgesetzes (Austria) 2003').extras[
        'outdated-refs'
      ].found,
    ).toBe(true);
  });

  it('handles NBSP, soft hyphens and dashes in the source text', () => {
    const r = analyseImprint('Muster\u00ADstraße\u00A012\u201312345\u00A0Musterstadt\nE-Mail: a@b.de');
    expect(r.elements.address.found).toBe(true);
  });

  it('never throws, and empty or junk input is "empty"', () => {
    for (const input of [
      '',
      '   ',
      '\n\n',
      undefined as unknown as string,
      42 as unknown as string,
      '<script>alert(1)</script>',
    ]) {
      const r = analyseImprint(input);
      expect(r.status).toBe('empty');
      for (const id of IMPRINT_ELEMENT_IDS) expect(r.elements[id].found).toBe(false);
    }
  });

  it('keeps HTML payloads in evidence as plain text (never interpreted, ≤ 120 chars)', () => {
    const r = analyseImprint(
      'Musterstraße 1, 12345 Musterstadt <img src=x onerror=alert(1)>' + 'x'.repeat(300) + '\nE-Mail: a@b.de',
    );
    expect(r.elements.address.found).toBe(true);
    expect((r.elements.address.evidence ?? '').length).toBeLessThanOrEqual(120);
  });

  it('is fast on hostile 3 MB inputs (capped, reported as truncated)', () => {
    for (const hostile of [
      'A'.repeat(3_000_000),
      'Ab'.repeat(1_500_000),
      'x@'.repeat(1_500_000),
      '0 '.repeat(1_500_000),
      'Musterstraße 1 '.repeat(200_000),
    ]) {
      let r = analyseImprint('');
      expect(cpuMs(() => (r = analyseImprint(hostile)))).toBeLessThan(1500);
      expect(r.truncated).toBe(true);
    }
  });
});

describe('analyseImprint: older and English labels (docs/legal-labels.md § 3)', () => {
  it('reads the older MDStV / "i. S. v." responsibility labels and an initial with a surname as a person', () => {
    const mdstv = analyseImprint(
      'Verantwortlich im Sinne von § 10 Abs. 3 MDStV)\nT. Dornblüth (Schulleiter)\nSchulstraße 4',
    );
    expect(mdstv.elements['responsible-for-content']).toMatchObject({ found: true });
    expect(mdstv.elements['responsible-for-content'].evidence).toContain('T. Dornblüth');
    const isv = analyseImprint('Verantwortlicher i.S.v. § 55 Rundfunkstaatsvertrag (RStV): Heiko Rintelen');
    expect(isv.elements['responsible-for-content'].found).toBe(true);
    // An initial before a street with a house number is no person.
    expect(
      analyseImprint('Verantwortlich i. S. d. § 18 Abs. 2 MStV:\nA. Straße 12').elements['responsible-for-content']
        .found,
    ).toBe(false);
  });

  it('does not take an adjective-and-noun place name for the responsible person', () => {
    const r = analyseImprint(
      'Inhaltliche Verantwortung:\nLandkreis Mecklenburgische Seenplatte\nKataster- und Vermessungsamt\nPlatanenstraße 43',
    );
    expect(r.elements['responsible-for-content'].found).toBe(false);
  });

  it('reads "Responsible regulatory agency" as the supervisory authority of an English imprint', () => {
    const r = analyseImprint('Responsible regulatory agency\nBavarian State Ministry for Science and Art');
    expect(r.elements['supervisory-authority'].found).toBe(true);
  });
});

describe('analyseImprint: a bare "Verantwortlich:" label, forms offered for other purposes, levelled authorities (docs/legal-labels.md § 3)', () => {
  const el = (text: string, id: 'responsible-for-content' | 'second-contact-channel' | 'public-law-entity') => {
    const r = analyseImprint(text);
    return id === 'responsible-for-content' ? r.elements[id] : r.extras[id];
  };

  it('"Verantwortlich ist:" or "Verantwortlich:" with a person is the person responsible for the content, with an institution it is not', () => {
    expect(
      el(
        'Impressum\nRedaktion Sendung X\nVerantwortlich ist:\nErika Beispiel\nPostanschrift: 50600 Köln',
        'responsible-for-content',
      ).evidence,
    ).toContain('Erika Beispiel');
    expect(el('Verantwortlich: Dr. Hans Muster', 'responsible-for-content').found).toBe(true);
    expect(el('Verantwortlich:\nStadtverwaltung Musterstadt', 'responsible-for-content').found).toBe(false);
  });

  it('an online form for filing a report or an application is no contact channel; one offered for questions, or the bare link text, is', () => {
    expect(
      el(
        'Herausgeber: Ministerium des Innern, Musterstraße 1, 12345 Musterstadt\nDort können Sie über ein Online-Formular eine Strafanzeige erstatten oder Hinweise senden.',
        'second-contact-channel',
      ).found,
    ).toBe(false);
    expect(
      el('Die Realisierung der Online-Formulare erfolgt großteils mit FormTool.', 'second-contact-channel').found,
    ).toBe(false);
    expect(el('Für Fragen nutzen Sie bitte unser Online-Formular.', 'second-contact-channel').found).toBe(true);
    expect(el('Kontakt\nOnline-Formular', 'second-contact-channel').found).toBe(true);
  });

  it('"Untere …behörde" names the provider an authority, like "Behörde für …"', () => {
    expect(
      el(
        'Herausgeber\nLandkreis Beispiel\nUntere Vermessungs- und Geoinformationsbehörde\nHauptstraße 4\n12345 Beispielstadt',
        'public-law-entity',
      ).found,
    ).toBe(true);
  });
});

describe('analyseImprint: a school head or fire-brigade head named by salutation and surname (docs/legal-labels.md § 3 representative)', () => {
  const rep = (text: string) => analyseImprint(text).elements.representative;
  it('a bare "Schulleiter:" label with "Herr OStD Dr. Surname" on the next line names the representative', () => {
    expect(rep('Georg-Cantor-Gymnasium\nSchulleiter:\nHerr OStD Dr. Gorsler\nTorstraße 13\n06110 Halle').found).toBe(
      true,
    );
    // A role word alone still names nobody.
    expect(rep('Schulleiter:\nSekretariat\nTorstraße 13\n06110 Halle').found).toBe(false);
  });
  it('"Gemeindewehrführer" with a name is the head of the municipal fire brigade', () => {
    expect(rep('Freiwillige Feuerwehr Kronshagen\nGemeindewehrführer\nChristian Esselbach').found).toBe(true);
    expect(rep('Freiwillige Feuerwehr Kronshagen\nGemeindewehrführer').found).toBe(false);
  });
});

describe('analyseImprint: an office named in the genitive is no person (docs/legal-labels.md § 3 representative)', () => {
  it('"Vertretungsberechtigter: Der Landrat des Landkreises Roth" names no representative', () => {
    const r = analyseImprint(
      'Landkreis Roth\nWeinbergweg 1\n91154 Roth\nE-Mail: info@landratsamt-roth.de\nVertretungsberechtigter: Der Landrat des Landkreises Roth\n',
    );
    expect(r.elements.representative.found).toBe(false);
    expect(analyseImprint('Vertretungsberechtigter: Landrat Herbert Eckstein\n').elements.representative.found).toBe(
      true,
    );
  });
});
