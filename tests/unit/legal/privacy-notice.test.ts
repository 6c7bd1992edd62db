import { describe, expect, it } from 'vitest';
import { PRIVACY_ELEMENT_IDS, analysePrivacyNotice } from '@/lib/legal/privacy-notice';
import { cpuMs } from '../helpers/cpu-time';

const BASE =
  'Datenschutzerklärung\nVerantwortlicher ist die Beispiel GmbH, Hauptstraße 1, 10115 Berlin, info@beispiel.de. ' +
  'Wir verarbeiten Ihre Daten auf Grundlage von Art. 6 Abs. 1 lit. b DSGVO und die Daten werden nach Vertragsende gelöscht.';

describe('analysePrivacyNotice: Art. 13 elements', () => {
  it('controller needs contact details within 400 chars, otherwise partial (Art. 13(1)(a))', () => {
    expect(analysePrivacyNotice(BASE).elements.controller).toMatchObject({ found: true });
    const noContact = analysePrivacyNotice(
      'Verantwortlicher im Sinne der DSGVO ist die Beispiel GmbH. ' + 'Lorem ipsum. '.repeat(50),
    );
    expect(noContact.elements.controller).toMatchObject({ found: false, partial: true });
  });

  it('controller sentences of UK/EU and public-body notices, with the contact elsewhere in the notice', () => {
    const contact = '\nContact us\nPlease write to enquiries@agency.gov.scot if you have any questions.';
    const found = (text: string) => analysePrivacyNotice(text).elements.controller.found;
    expect(
      found(
        `The site is provided by the Scottish Agency (the data controller), however, we use a third party, Astun, for hosting (the data processor).${contact}`,
      ),
    ).toBe(true);
    expect(found(`We, the Department for Transport, are the controller for your personal data.${contact}`)).toBe(true);
    expect(
      found(
        'Das Landesamt ist auch dafür verantwortlich, dass Ihre personenbezogenen Daten datenschutzgerecht verarbeitet werden.\n' +
          '5. Kontakt\nFragen senden Sie an: Landesamt für Statistik, Hauptstraße 20, 13353 Berlin.',
      ),
    ).toBe(true);
    expect(
      found(
        'Verantwortliche (gem. Art. 4 Z 7 DSGVO)\nDonau-Institut Krems\nHauptstraße 30\n3500 Krems\nbuero@institut.example.at',
      ),
    ).toBe(true);
    // A processor is not the controller.
    expect(found(`Astun Technology Ltd is the data processor for the catalogue.${contact}`)).toBe(false);
  });

  it('a DPA named for complaints is not a DPO (Art. 37 vs Art. 77)', () => {
    const r = analysePrivacyNotice(
      BASE +
        ' Beschwerden richten Sie an den Hessischen Beauftragten für Datenschutz und Informationsfreiheit, poststelle@datenschutz.hessen.de.',
    );
    expect(r.elements.dpo.found).toBe(false);
    // Turning to the supervisory authority with a complaint is the Art. 77 information (docs/legal-labels.md § 2 complaint-right) …
    expect(r.elements['complaint-right'].found).toBe(true);
    expect(r.extras['supervisory-authority-named'].found).toBe(true);
    // … complaints to the controller's own DPO are not.
    expect(
      analysePrivacyNotice(BASE + ' Beschwerden richten Sie bitte an unseren Datenschutzbeauftragten.').elements[
        'complaint-right'
      ].found,
    ).toBe(false);
    expect(
      analysePrivacyNotice(BASE + ' Unseren Datenschutzbeauftragten erreichen Sie unter dsb@beispiel.de.').elements.dpo
        .found,
    ).toBe(true);
  });

  it('rights are found from 3 distinct rights on; fewer is partial and lists them', () => {
    const two = analysePrivacyNotice(BASE + ' Sie haben ein Recht auf Auskunft und Berichtigung.');
    expect(two.rightsNamed).toEqual(['access', 'rectification']);
    expect(two.elements.rights).toMatchObject({ found: false, partial: true });
    const three = analysePrivacyNotice(
      BASE + ' Sie haben ein Recht auf Auskunft, Berichtigung und Datenübertragbarkeit.',
    );
    expect(three.elements.rights.found).toBe(true);
    // The evidence quotes the sentence that names them (docs/legal-labels.md G2, G11).
    expect(three.elements.rights.evidence).toBe(
      'Sie haben ein Recht auf Auskunft, Berichtigung und Datenübertragbarkeit.',
    );
  });

  it('rights named by article list ("Artikeln 15, 16, 17 …") or in plain words ("view, amend, or delete")', () => {
    const rights = (text: string) => analysePrivacyNotice(text).elements.rights.found;
    expect(rights('Ihnen stehen die Rechte aus den Artikeln 15, 16, 17, 18 und 21 DSGVO zu.')).toBe(true);
    expect(rights('You are entitled to view, amend, or delete the personal information that we hold about you.')).toBe(
      true,
    );
    expect(rights('You are entitled to view the personal information that we hold about you.')).toBe(false);
  });

  it('withdrawal in a long German sentence that opens with the consent and ends with the verb', () => {
    const r = analysePrivacyNotice(
      'Die Einwilligung zur Speicherung der persönlichen Daten und der Nutzung für den E-Mail-Versand können Nutzer:innen jederzeit widerrufen.',
    );
    expect(r.elements['withdraw-consent'].found).toBe(true);
  });

  it('detects withdrawal, complaint, cookies and storage period in German and English', () => {
    const de = analysePrivacyNotice(
      BASE +
        ' Ihre Einwilligung können Sie jederzeit widerrufen. Sie haben ein Beschwerderecht bei der zuständigen Aufsichtsbehörde. Wir setzen Cookies ein.',
    );
    expect(de.elements['withdraw-consent'].found).toBe(true);
    expect(de.elements['complaint-right'].found).toBe(true);
    expect(de.elements.cookies.found).toBe(true);
    expect(de.elements['storage-period'].found).toBe(true);
    const en = analysePrivacyNotice(
      'Privacy notice. You can withdraw your consent. You have the right to lodge a complaint with a supervisory authority. ' +
        'We care. '.repeat(20),
    );
    expect(en.elements['withdraw-consent'].found).toBe(true);
    expect(en.elements['complaint-right'].found).toBe(true);
    expect(en.elements.cookies.found).toBe(false);
  });

  it("legitimate interests: ours as a basis (also a legal basis in words), not the reader's nor an Art. 49 derogation", () => {
    const li = (text: string) => analysePrivacyNotice(text).extras['legitimate-interests'].found;
    const r = analysePrivacyNotice('For this service we can use your information as part of our legitimate interests.');
    expect(r.extras['legitimate-interests'].found).toBe(true);
    expect(r.elements['legal-basis'].found).toBe(true);
    expect(li('Wir treffen angemessene Maßnahmen zum Schutz Ihrer Rechte sowie Ihrer berechtigten Interessen.')).toBe(
      false,
    );
    expect(
      li(
        'The transfer relies on an exception under Article 49 of UK GDPR for the legitimate interests of the Ministry.',
      ),
    ).toBe(false);
  });

  it('reports legal bases, incl. legitimate interest (Art. 6(1) subpara 2 matters for authorities)', () => {
    const r = analysePrivacyNotice(
      BASE + ' Rechtsgrundlage ist unser berechtigtes Interesse nach Art. 6 Abs. 1 lit. f DSGVO.',
    );
    expect(r.legalBases.legitimateInterest).toBe(true);
    expect(r.legalBases.publicTask).toBe(false);
  });
});

describe('analysePrivacyNotice: statements, not mentions (docs/legal-labels.md § 2)', () => {
  const extra = (text: string, id: 'joint-control' | 'social-media-notice') => analysePrivacyNotice(text).extras[id];

  it('joint control needs a clause that states it; a label–link line citing Art. 26 is a link', () => {
    expect(
      extra(
        'Facebook – Website: www.facebook.com; Vereinbarung über gemeinsame Verarbeitung personenbezogener Daten auf Facebook-Seiten (Art. 26 DS-GVO): https://www.facebook.com/legal/terms/page_controller_addendum , Datenschutzhinweise: https://www.facebook.com/about/privacy/.',
        'joint-control',
      ).found,
    ).toBe(false);
    expect(extra('Mit Meta haben wir eine Vereinbarung nach Art. 26 DSGVO geschlossen.', 'joint-control').found).toBe(
      true,
    );
    expect(extra('The Department is a joint controller with the supplier.', 'joint-control').found).toBe(true);
  });

  it('a presence "in sozialen Netzwerken" counts when the passage names a platform', () => {
    const generic =
      'Onlinepräsenzen in sozialen Medien\nWir unterhalten Onlinepräsenzen innerhalb sozialer Netzwerke, um mit den dort aktiven Nutzern zu kommunizieren.\n' +
      'Die Daten werden dort verarbeitet.\n';
    expect(
      extra(`${generic}Facebook-Seiten: Profile innerhalb des sozialen Netzwerks Facebook.`, 'social-media-notice'),
    ).toEqual({
      found: true,
      evidence: expect.stringContaining('Wir unterhalten Onlinepräsenzen innerhalb sozialer Netzwerke'),
    });
    expect(extra(generic, 'social-media-notice').found).toBe(false);
    expect(extra('We have a page on Facebook where we post news about the service.', 'social-media-notice').found).toBe(
      true,
    );
    expect(
      extra(
        'Die Website enthält Verlinkungen zu den Social-Media-Auftritten des Vereins, insbesondere Facebook.',
        'social-media-notice',
      ).found,
    ).toBe(true);
    expect(
      extra('Wir nutzen auf unseren Seiten Social-Media-Plugins von Facebook und Instagram.', 'social-media-notice')
        .found,
    ).toBe(false);
  });
});

describe('analysePrivacyNotice: storage on the device and the named authority (docs/legal-labels.md § 2)', () => {
  const cookies = (text: string) => analysePrivacyNotice(text).elements.cookies.found;
  const named = (text: string) => analysePrivacyNotice(text).extras['supervisory-authority-named'].found;

  it('an app keeping data on the device informs about device storage like a cookie sentence (§ 25 TDDDG)', () => {
    expect(cookies('Die in der App verwalteten Zertifikate sind nur auf Ihrem Smartphone gespeichert.')).toBe(true);
    expect(cookies('Die Listen werden nach 14 Tagen aus dem App-Speicher gelöscht.')).toBe(true);
    expect(cookies('The security code will be stored on the device for 14 days.')).toBe(true);
    expect(cookies('Ihre Anfrage wird auf unserem Server in Frankfurt gespeichert.')).toBe(false);
  });

  it('names the BfDI without "den", the Austrian Datenschutzbehörde only in an Austrian passage, and dsb.gv.at', () => {
    expect(named('Sie können sich beim Bundesbeauftragten für Datenschutz und Informationsfreiheit beschweren.')).toBe(
      true,
    );
    expect(named('In Austria, you can complain to the data protection authority “Datenschutzbehörde”.')).toBe(true);
    expect(named('Sie können sich bei der Datenschutzbehörde beschweren.')).toBe(false);
    expect(named('Beschwerden richten Sie an die Aufsichtsbehörde, in Österreich: www.dsb.gv.at')).toBe(true);
    expect(
      named(
        "You can read further information about your data protection rights at the Information Commissioner's Office.",
      ),
    ).toBe(false);
  });
});

describe('analysePrivacyNotice: storage period kinds (docs/legal-labels.md § 2 storage-period)', () => {
  const found = (text: string) => analysePrivacyNotice(text).elements['storage-period'].found;
  it('"held … for up to 2 years", a retention schedule applied, "not permanently stored", a list after "as long as:"', () => {
    expect(found('Personal information is held by the Department for up to 2 years.')).toBe(true);
    expect(found('This is managed in line with the Ministry Record retention and disposition schedules.')).toBe(true);
    expect(found('Gescannte Codes werden durch die App nicht dauerhaft auf Ihrem Smartphone gespeichert.')).toBe(true);
    expect(found('We will retain your personal data for as long as:\nyou have an account on the service')).toBe(true);
  });
  it('a retention period only announced or referred to is not one (G4, WP260 rev.01)', () => {
    expect(found('The Agency has set retention periods for the personal information that we collect.')).toBe(false);
    expect(found('All data is securely and permanently deleted at the end of the retention period.')).toBe(false);
    expect(found('You can contact our Data Protection Officer for a copy of our retention schedules.')).toBe(false);
  });
});

describe('analysePrivacyNotice: third-country statements (docs/legal-labels.md § 2 third-country)', () => {
  const found = (text: string) => analysePrivacyNotice(text).elements['third-country'].found;
  it('an exclusive place of processing, a transfer overseas or to the EEA (UK notices)', () => {
    expect(found('Die Daten werden ausschließlich im europäischen Wirtschaftsraum gespeichert.')).toBe(true);
    expect(found('Ihre Daten werden ausschließlich in einem sicheren Rechenzentrum in Berlin gespeichert.')).toBe(true);
    expect(found('It may sometimes be necessary to transfer personal information overseas.')).toBe(true);
    expect(found('When this is needed, information may be transferred to the European Economic Area (EEA).')).toBe(
      true,
    );
    expect(found('Unser Server steht in Frankfurt.')).toBe(false);
  });
});

describe('analysePrivacyNotice: observed services', () => {
  it('named, vendor-only and not-named, per whole word on normalised text', () => {
    const r = analysePrivacyNotice(BASE + ' Wir nutzen Dienste von Google und Link-in-Bio-Seiten bei linktr.ee.', [
      'google_analytics',
      'linktree',
      'instagram',
    ]);
    expect(r.services).toEqual([
      expect.objectContaining({ id: 'google_analytics', status: 'vendor-only', alias: 'Google' }),
      expect.objectContaining({ id: 'linktree', status: 'named', alias: 'linktr.ee' }),
      { id: 'instagram', status: 'not-named', known: true },
    ]);
  });

  it('does not match aliases inside other words ("Metadaten", "Instagrammer") or "X" alone', () => {
    const r = analysePrivacyNotice(BASE + ' Metadaten werden gespeichert. Für Instagrammer gilt X.', [
      'facebook',
      'instagram',
      'x_twitter',
    ]);
    expect(r.services.map((s) => s.status)).toEqual(['not-named', 'not-named', 'not-named']);
  });

  it('folds case, umlauts, ß and separators both ways', () => {
    const r = analysePrivacyNotice(
      BASE + ' Wir verwenden GOOGLE-ANALYTICS und Google Tag Manager; Karten von Google Karten.',
      ['google_analytics', 'google_tag_manager', 'google_maps'],
    );
    expect(r.services.every((s) => s.status === 'named')).toBe(true);
  });

  it('unknown ids are reported, duplicates once, junk ids ignored', () => {
    const r = analysePrivacyNotice(BASE, ['nope', 'nope', 42 as unknown as string]);
    expect(r.services).toEqual([{ id: 'nope', status: 'not-named', known: false }]);
  });
});

describe('analysePrivacyNotice: robustness', () => {
  it('never throws; empty or junk input is "empty"', () => {
    for (const input of ['', ' \n ', undefined as unknown as string, {} as unknown as string]) {
      const r = analysePrivacyNotice(input, undefined as unknown as string[]);
      expect(r.status).toBe('empty');
      expect(r.services).toEqual([]);
      for (const id of PRIVACY_ELEMENT_IDS) expect(r.elements[id].found).toBe(false);
    }
  });

  it('HTML/script payloads are plain text', () => {
    const r = analysePrivacyNotice(
      'Wir setzen Cookies ein <script>alert("Cookies")</script><img src=x onerror="Art. 77">.',
      ['google_analytics'],
    );
    expect(r.elements.cookies.evidence).toContain('<script>');
    expect(r.services[0]?.status).toBe('not-named');
  });

  it('analyses a 3 MB notice in well under a second and still sees a service named at the end', () => {
    const filler =
      'Wir verarbeiten Daten nur, soweit dies erforderlich ist, und geben sie nicht weiter an Unbefugte. '.repeat(
        32_000,
      );
    const text = BASE + filler + ' Zum Schluss: Wir nutzen Hotjar.';
    expect(text.length).toBeGreaterThan(3_000_000);
    const ids = [
      'hotjar',
      'google_analytics',
      'instagram',
      'linktree',
      'facebook',
      'youtube',
      'cloudflare',
      'google_fonts',
    ];
    let r = analysePrivacyNotice('', ids);
    expect(cpuMs(() => (r = analysePrivacyNotice(text, ids)))).toBeLessThan(1000);
    expect(r.truncated).toBe(false);
    expect(r.services[0]).toMatchObject({ id: 'hotjar', status: 'named' });
  });

  it('stays fast on hostile 3 MB strings', () => {
    for (const hostile of [
      'a'.repeat(3_000_000),
      'x@'.repeat(1_500_000),
      'Ab '.repeat(1_000_000),
      'Verantwortlicher '.repeat(180_000),
    ]) {
      expect(cpuMs(() => analysePrivacyNotice(hostile, ['instagram']))).toBeLessThan(1500);
    }
  });
});

describe('analysePrivacyNotice: security statements, anonymous data, end events in the next sentence', () => {
  const el = (text: string, id: 'recipients' | 'storage-period') => analysePrivacyNotice(text).elements[id];
  it('does not read third parties named as attackers or anonymous data as recipients (docs/legal-labels.md § 2 recipients)', () => {
    expect(
      el('Ein lückenloser Schutz der Daten vor dem Zugriff durch Dritte ist nicht möglich.', 'recipients').found,
    ).toBe(false);
    expect(el('Außerdem erfolgt keine Übermittlung anonymer Nutzungsdaten an Dritte.', 'recipients').found).toBe(false);
    expect(el('Eine Übermittlung Ihrer Daten an Dritte erfolgt nicht.', 'recipients').found).toBe(true);
    expect(
      el(
        'Sofern Sie die direkte Übertragung der Daten an einen anderen Verantwortlichen verlangen, erfolgt dies nur, soweit es technisch machbar ist.',
        'recipients',
      ).found,
    ).toBe(false);
  });
  it('takes the end event from the sentence that completes a deletion statement, and "no logging" as a negative', () => {
    const text =
      'Die Daten werden gelöscht, sobald sie für die Erreichung des Zweckes ihrer Erhebung nicht mehr erforderlich sind. Im Falle der Erfassung der Daten zur Bereitstellung der Website ist dies der Fall, wenn die jeweilige Sitzung beendet ist.';
    expect(el(text, 'storage-period').found).toBe(true);
    expect(
      el(
        'Die Daten werden gelöscht, sobald sie nicht mehr erforderlich sind. Wir freuen uns über Ihren Besuch.',
        'storage-period',
      ).found,
    ).toBe(false);
    expect(
      el('Das vorliegende Angebot kommt ohne die Protokollierung von Zugriffsdaten aus.', 'storage-period').found,
    ).toBe(true);
  });
});

describe('analysePrivacyNotice: controller sentences (docs/legal-labels.md § 2 controller)', () => {
  const controller = (text: string) => analysePrivacyNotice(text).elements.controller;
  it('does not end the naming sentence at the abbreviation "Zif." and reads "Verantwortlich für den Datenschutz ist …"', () => {
    const named = controller(
      'Kontakt\nAlexander Bazo\nUniversitätsstraße 31\n93053 Regensburg\nDatenschutz\nWir informieren Sie. Verantwortlich (nachfolgend „Verantwortlicher“) i.S.d. Art. 4 Zif. 7 DS-GVO ist Alexander Bazo.',
    );
    expect(named).toMatchObject({ found: true });
    expect(named.evidence).toContain('Universitätsstraße 31');
    const byFunction = controller(
      'In der App werden Nutzerdaten erhoben. Verantwortlich für den Datenschutz ist der Präsident.\nErreichbarkeit\nHochschule Worms\nDer Präsident\nErenburgerstraße 19\n67549 Worms',
    );
    expect(byFunction.found).toBe(true);
    expect(controller('Verantwortlich für den Datenschutz ist der Präsident.').found).toBe(false);
  });
});

describe('analysePrivacyNotice: English purpose clauses and rights verbs (docs/legal-labels.md § 2)', () => {
  it('reads "so that you can …" as a purpose and "ask us to erase or correct" as two rights', () => {
    expect(
      analysePrivacyNotice('We collect personal data so that you can safely send money digitally to someone in prison.')
        .elements.purposes.found,
    ).toBe(true);
    const rights = analysePrivacyNotice(
      'You have the right to request access to the personal information we hold about you.\nOther rights\nIn certain circumstances you have the right to ask us to erase or correct your personal data if it is inaccurate.',
    ).elements.rights;
    expect(rights.found).toBe(true);
    expect(
      analysePrivacyNotice('You have the right to request access to the personal information we hold about you.')
        .elements.rights.found,
    ).toBe(false);
  });
});

describe('analysePrivacyNotice: a sentence about what the notice covers is no recipients statement (G4)', () => {
  it('skips "Details of … who we might share it with" and "This notice explains … who …"', () => {
    const recipients = (text: string) => analysePrivacyNotice(text).elements.recipients.found;
    expect(
      recipients('Details of what information we collect from you, what we do with it and who we might share it with.'),
    ).toBe(false);
    expect(recipients('This privacy notice explains what we collect and who we share it with.')).toBe(false);
    expect(recipients('We share your data with our hosting provider.')).toBe(true);
  });
});

describe('analysePrivacyNotice: periods, named acts, references and denied roles (docs/legal-labels.md § 2, G4, G6, G8)', () => {
  const el = (text: string, id: 'storage-period' | 'legal-basis' | 'cookies') =>
    analysePrivacyNotice(text).elements[id];
  const named = (text: string) => analysePrivacyNotice(text).extras['supervisory-authority-named'].found;

  it('storage "for the duration of" a named period or relationship, "speichert keine", permanent archival preservation', () => {
    expect(
      el(
        'Die Daten werden für die Dauer einer Amtsperiode beim Referat aufbewahrt und anschließend gelöscht.',
        'storage-period',
      ).found,
    ).toBe(true);
    expect(el('Your details are kept for the duration of your membership.', 'storage-period').found).toBe(true);
    expect(el('Die App speichert keine IP-Adressen.', 'storage-period').found).toBe(true);
    expect(
      el('We receive records into the archive for permanent preservation and publication.', 'storage-period').found,
    ).toBe(true);
    // Generic necessity is no period (WP260 rev.01): "for the duration of the purpose", "für die Dauer der Erforderlichkeit".
    expect(el('Die Daten werden für die Dauer der Erforderlichkeit gespeichert.', 'storage-period').found).toBe(false);
    expect(el('Data are stored for the duration of the purpose.', 'storage-period').found).toBe(false);
  });

  it('a named sector act is a legal basis, the general data-protection act is not', () => {
    expect(el('The Public Records Act 1958 (PRA) provides the legal basis for our work.', 'legal-basis').found).toBe(
      true,
    );
    expect(el('We process your application in accordance with the Firearms Act 1968.', 'legal-basis').found).toBe(true);
    expect(el('We process your data in accordance with the Data Protection Act 2018.', 'legal-basis').found).toBe(
      false,
    );
  });

  it('a sentence that only points elsewhere for cookies, or a template placeholder, is no cookie information', () => {
    expect(el('For information about cookies please see: our cookie page.', 'cookies').found).toBe(false);
    expect(el('Informationen zu Cookies finden Sie in unserer Cookie-Richtlinie.', 'cookies').found).toBe(false);
    expect(el('{% translate "footer.cookies.link" %}', 'cookies').found).toBe(false);
    expect(el('Wir setzen keine Cookies ein.', 'cookies').found).toBe(true);
  });

  it('an authority named only to deny it a role is not named as the supervisory authority', () => {
    expect(
      named(
        'Court judgments are exempt; therefore, the Information Commissioner has no regulatory function in relation to a court acting in its judicial capacity.',
      ),
    ).toBe(false);
    expect(named('You have the right to complain to the Information Commissioner’s Office (ICO).')).toBe(true);
  });
});
