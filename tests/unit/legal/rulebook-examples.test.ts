/**
 * The examples of the labelling rulebook (docs/legal-labels.md § 2–3), each as a short text: what
 * "counts" must be found, what "does not count" must not. These are the rules the analysers
 * implement, written down before any corpus document was looked at; the corpus evaluation
 * (`npm run eval -- legal`) measures how well they carry over to real texts.
 */
import { describe, expect, it } from 'vitest';
import { analyseImprint } from '@/lib/legal/imprint';
import { analysePrivacyNotice } from '@/lib/legal/privacy-notice';

type Case = [text: string, expected: boolean];

/** Privacy-notice element as the eval maps it (rulebook § 4). */
function privacyFound(id: string, text: string): boolean {
  const r = analysePrivacyNotice(text);
  const extra: Record<string, keyof typeof r.extras> = {
    'joint-control': 'joint-control',
    'legitimate-interests': 'legitimate-interests',
    'social-media': 'social-media-notice',
    'controller-by-reference': 'controller-by-reference',
    'outdated-refs': 'outdated-refs',
    'supervisory-authority-named': 'supervisory-authority-named',
  };
  const key = extra[id];
  return key ? r.extras[key].found : r.elements[id as keyof typeof r.elements].found;
}

function imprintFound(id: string, text: string): boolean {
  const r = analyseImprint(text);
  return id in r.extras ? r.extras[id as keyof typeof r.extras].found : r.elements[id as keyof typeof r.elements].found;
}

const PRIVACY: Record<string, Case[]> = {
  controller: [
    ['Verantwortlich: Pixelwerk Medien GmbH, Schillerstraße 9, 99423 Weimar', true],
    ['Verantwortlicher im Sinne der DSGVO ist das Landratsamt Nordheide, Postfach 1120, 21401 Nordheide.', true],
    ['Harbour Lane Software Ltd, 14 Harbour Lane, Bristol BS1 4XY, is the controller of your personal data.', true],
    ['Verantwortliche Stelle\nJobcenter Hafenstadt, Am Kanal 5, 26122 Hafenstadt', true],
    [
      'Verantwortlich für den Betrieb dieser Website ist die Stadtwerke Beispielstadt GmbH, Anschrift: Hafenweg 4, 24103 Kiel.',
      true,
    ],
    [
      'Der Verein Kulturwerk Nord e.V. verarbeitet Ihre Daten nur, soweit es nötig ist. Wir freuen uns über Ihre Nachricht.\nE-Mail: info@kulturwerk-nord.de',
      true,
    ],
    ['Verantwortlich ist die im Impressum genannte Stelle.', false],
    ['Verantwortlich: Stadt Beispielstadt. Wir verarbeiten Daten nur zur Beantwortung Ihrer Anfragen.', false],
    ['Betreiber dieser Website. Wir verarbeiten Daten.', false],
    [
      'Sie haben das Recht, sich bei der Aufsichtsbehörde zu beschweren: Landesbeauftragte für den Datenschutz Niedersachsen, Prinzenstraße 5, 30159 Hannover.',
      false,
    ],
  ],
  dpo: [
    ['Unseren Datenschutzbeauftragten erreichen Sie unter datenschutz@kreis-x.de.', true],
    ['Behördlicher Datenschutzbeauftragter\nTelefon: 0561 1003-1234', true],
    ['Externer Datenschutzbeauftragter: DataSafe GmbH, Hauptstr. 4, 10115 Berlin', true],
    ['Our Data Protection Officer can be reached at dpo@bfx.bund.de.', true],
    ['Wir haben keinen Datenschutzbeauftragten benannt. Kontakt: info@x-verein.de', false],
    ['Datenschutzbeauftragter: Herr Klaus Weber', false],
    ['Bei Fragen zum Datenschutz: datenschutz@x-verein.de', false],
    [
      'Beschwerden richten Sie an den Hessischen Beauftragten für Datenschutz und Informationsfreiheit, Gustav-Stresemann-Ring 1, 65189 Wiesbaden.',
      false,
    ],
  ],
  'legal-basis': [
    ['Rechtsgrundlage ist Art. 6 Abs. 1 lit. e DSGVO i. V. m. § 3 BDSG.', true],
    ['Die Verarbeitung erfolgt auf Grundlage Ihrer Einwilligung.', true],
    ['Nur mit Ihrer Einwilligung veröffentlichen wir Fotos.', true],
    ['Kontaktformular | Art. 6 Abs. 1 S. 1 lit. b DSGVO | sechs Monate', true],
    ['Rechtsgrundlage ist § 67a SGB X.', true],
    ['Our lawful basis is the performance of a contract.', true],
    ['Rechtsgrundlagen\nWir informieren Sie hier über unsere Angebote.', false],
    ['Wir verarbeiten Daten im Einklang mit der DSGVO und den gesetzlichen Bestimmungen.', false],
    ['Gemäß Art. 13 DSGVO informieren wir Sie über die Verarbeitung.', false],
  ],
  purposes: [
    ['Wir verarbeiten Ihre Kontaktdaten ausschließlich zur Beantwortung Ihrer Anfrage.', true],
    ['Der Server speichert die Daten, um die Auslieferung der Website zu ermöglichen.', true],
    ['Die Zugriffsdaten werten wir zu statistischen Zwecken aus.', true],
    ['Zweck: Versand des Newsletters', true],
    ['We use your personal data to provide our software subscriptions.', true],
    ['Meta nutzt die Daten für Werbezwecke.', true],
    ['Wir betreiben Auftritte in sozialen Netzwerken zur Information der Öffentlichkeit über unsere Aufgaben.', true],
    ['Wir betreiben diese Website.', false],
    ['Zwecke der Verarbeitung\nWir erheben Name und E-Mail-Adresse.', false],
    ['Wir verarbeiten Daten nur im Rahmen der Gesetze.', false],
  ],
  recipients: [
    ['Ihre Daten werden an die zuständige Stelle im Landratsamt weitergeleitet.', true],
    ['Unser Webhoster verarbeitet die Daten in unserem Auftrag als Auftragsverarbeiter.', true],
    ['Für den Versand nutzen wir Mailchimp; Ihre E-Mail-Adresse wird dazu an Mailchimp übermittelt.', true],
    ['Dabei wird Ihre IP-Adresse an Google übertragen.', true],
    ['Eine Weitergabe an Dritte erfolgt nicht.', true],
    ['We share data with our hosting provider and our payment processor.', true],
    ['Wenn Sie unsere Seite aufrufen, übermitteln Sie uns Ihre IP-Adresse.', false],
    ['We never sell your data.', false],
    ['Empfänger\nSie haben das Recht auf Auskunft über die Empfänger Ihrer Daten.', false],
  ],
  'third-country': [
    ['Meta übermittelt Daten auch in die USA.', true],
    ['Google ist nach dem EU-US Data Privacy Framework zertifiziert.', true],
    ['Sofern Daten in Drittländer übermittelt werden, erfolgt dies auf Grundlage von Standardvertragsklauseln.', true],
    ['Daten werden nicht in Staaten außerhalb der Europäischen Union übermittelt.', true],
    ['Die Daten werden ausschließlich in Deutschland verarbeitet.', true],
    ['Where data leaves the UK, we rely on the UK International Data Transfer Addendum.', true],
    ['Anbieter ist die Google LLC, 1600 Amphitheatre Parkway, Mountain View, CA, USA.', false],
    ['Unser Server steht in Frankfurt.', false],
    ['Sollte eine Übermittlung in Drittländer erforderlich werden, informieren wir Sie gesondert.', false],
  ],
  'storage-period': [
    ['Anfragen löschen wir, sobald sie abschließend bearbeitet sind.', true],
    ['Die Rohdaten werden nach sechs Monaten gelöscht.', true],
    ['Session-Cookies werden gelöscht, wenn Sie den Browser schließen.', true],
    ['Die Unterlagen werden entsprechend den Vorgaben der Aktenordnung aufbewahrt und danach gelöscht.', true],
    ['Wir löschen die Daten, sofern keine gesetzlichen Aufbewahrungsfristen entgegenstehen.', true],
    ['Customer records are kept for six years after the end of the contract.', true],
    ['Die Daten werden gelöscht, wenn sie für die Aufgabenerfüllung nicht mehr erforderlich sind.', false],
    ['Die Daten werden gelöscht, sobald der Zweck der Speicherung entfällt.', false],
    ['We keep data only as long as necessary.', false],
    ['Sie haben ein Recht auf Löschung Ihrer Daten.', false],
  ],
  rights: [
    ['Sie haben das Recht auf Auskunft, Berichtigung, Löschung und Einschränkung der Verarbeitung.', true],
    ['Recht auf Auskunft (Art. 15)\nRecht auf Berichtigung (Art. 16)\nRecht auf Löschung (Art. 17)', true],
    ['Ihnen stehen die Betroffenenrechte nach Art. 15 bis 22 DSGVO zu.', true],
    ['You can ask us for a copy of your information, ask us to correct it or to delete it.', true],
    ['Sie haben das Recht auf Auskunft und Berichtigung.', false],
    ['Sie haben Rechte nach Art. 15 ff. DSGVO.', false],
  ],
  'withdraw-consent': [
    ['Ihre Einwilligung können Sie jederzeit mit Wirkung für die Zukunft widerrufen.', true],
    ['Die Einwilligung in die Veröffentlichung von Fotos kann jederzeit widerrufen werden.', true],
    ['Sie können Ihre Einwilligung jederzeit über die Cookie-Einstellungen widerrufen.', true],
    ['You can withdraw your consent to newsletters at any time.', true],
    ['Soweit die Verarbeitung auf Einwilligung beruht, können Sie diese jederzeit widerrufen.', true],
    ['Sie können den Newsletter jederzeit abbestellen.', false],
    ['Sie können Ihre Cookie-Einstellungen jederzeit ändern.', false],
    ['Sie können der Verarbeitung widersprechen.', false],
  ],
  'complaint-right': [
    ['Sie haben das Recht auf Beschwerde bei einer Aufsichtsbehörde.', true],
    ['Sie können sich bei der Landesbeauftragten für den Datenschutz Niedersachsen beschweren.', true],
    ['Sie haben folgende Rechte:\nRecht auf Auskunft (Art. 15 DSGVO)\nRecht auf Beschwerde (Art. 77 DSGVO)', true],
    ["You have the right to lodge a complaint with the Information Commissioner's Office (ICO).", true],
    ['Sie haben ein Beschwerderecht.', false],
    ['Beschwerden richten Sie bitte an unseren Datenschutzbeauftragten.', false],
  ],
  cookies: [
    ['Wir setzen keine Cookies ein.', true],
    ['Wir verwenden ausschließlich technisch notwendige Cookies.', true],
    ['YouTube kann Cookies auf Ihrem Gerät speichern.', true],
    ['We use strictly necessary cookies to keep you logged in.', true],
    ['Startseite | Cookie-Einstellungen | Impressum', false],
  ],
  'joint-control': [
    ['Für die Insights-Daten sind wir gemeinsam mit Meta Platforms Ireland Ltd. verantwortlich (Art. 26 DSGVO).', true],
    ['Das Portal betreiben wir als gemeinsam Verantwortliche mit dem Land Brandenburg.', true],
    ['We are joint controllers with LinkedIn for page analytics.', true],
    ['Eine gemeinsame Verantwortlichkeit für die von Meta gesetzten Cookies besteht nicht.', true],
    ['Meta stellt uns Statistiken zur Verfügung.', false],
  ],
  'legitimate-interests': [
    [
      'Rechtsgrundlage ist Art. 6 Abs. 1 lit. f DSGVO; unser berechtigtes Interesse liegt in der Beantwortung von Anfragen.',
      true,
    ],
    ['Die Einbindung von YouTube erfolgt auf Grundlage von Art. 6 Abs. 1 S. 1 lit. f DSGVO.', true],
    ['We rely on our legitimate interests to keep the site secure.', true],
    ['Sofern wir die Verarbeitung auf berechtigte Interessen stützen, können Sie widersprechen.', false],
    ['Die Verarbeitung erfolgt im öffentlichen Interesse.', false],
  ],
  'social-media': [
    ['Wir unterhalten eine Facebook-Seite, um über unsere Angebote zu informieren.', true],
    ['Auf unserer Website verlinken wir auf unsere Profile bei Instagram und Mastodon.', true],
    ['Wir binden YouTube-Videos ein.', false],
    ['Wir betreiben keine Social-Media-Kanäle.', false],
  ],
  'controller-by-reference': [
    ['Verantwortlich ist die im Impressum genannte Stelle.', true],
    ['Die Kontaktdaten des Verantwortlichen finden Sie in unserem Impressum.', true],
    ['Anbieter: siehe Impressum', true],
    ["For the controller's contact details, see our legal notice.", true],
    ['Startseite | Impressum | Datenschutz', false],
  ],
  'outdated-refs': [
    ['Die Speicherung erfolgt nach § 15 Abs. 3 TMG.', true],
    ['Rechtsgrundlage ist § 25 TTDSG.', true],
    ['Rechtsgrundlage ist § 25 TDDDG (vormals TTDSG).', false],
  ],
  'supervisory-authority-named': [
    [
      'Sie können sich bei der Sächsischen Datenschutz- und Transparenzbeauftragten, Devrientstraße 5, 01067 Dresden, beschweren.',
      true,
    ],
    ['Zuständige Aufsichtsbehörde ist in Bayern das Bayerische Landesamt für Datenschutzaufsicht.', true],
    ["You can complain to the Information Commissioner's Office (ICO).", true],
    ['Die federführende Aufsichtsbehörde für Meta ist die irische Data Protection Commission.', true],
    ['Sie können sich bei einer Aufsichtsbehörde beschweren.', false],
    ['Sie können sich bei der Aufsichtsbehörde Ihres Wohnorts beschweren.', false],
  ],
};

const IMPRINT: Record<string, Case[]> = {
  address: [
    ['Sportplatzweg 3, 34567 Grünwiese', true],
    ['Hausanschrift: Seeweg 12, 01109 Brandstein', true],
    ['14 Harbour Lane, Bristol BS1 4XY', true],
    ['Postfach 10 01 23, 12345 Beispielstadt', false],
    ['Sitz der Gesellschaft: Hamburg', false],
    ['Musterverein e.V.\nTechnische Umsetzung:\nWebagentur Pixel GmbH\nKaiserstraße 9\n76133 Karlsruhe', false],
  ],
  email: [
    ['E-Mail: info@stadt-beispiel.de', true],
    ['vorstand(at)sf-gruenwiese.de', true],
    ['Kontakt: Kontaktformular', false],
  ],
  phone: [
    ['Telefon: 0561 / 98 76 54', true],
    ['Tel. +49 (0) 711 9876543', true],
    ['Fax: 030 1234567', false],
  ],
  representative: [
    ['Vertreten durch den Vorstand gemäß § 26 BGB: Markus Lenz (1. Vorsitzender)', true],
    ['Geschäftsführer: Mag. Florian Huber', true],
    ['Das Bezirksamt wird vertreten durch die Bezirksbürgermeisterin Carola Wendland.', true],
    ['Directors: Aoife Byrne, Liam Walsh', true],
    ['Vertreten durch die Geschäftsführung', false],
  ],
  'supervisory-authority': [
    ['Aufsichtsbehörde: Bundesministerium für Digitales und Verkehr', true],
    ['Die Rechtsaufsicht führt das Niedersächsische Ministerium für Soziales.', true],
    ['Zuständige Kammer: Handwerkskammer Koblenz', false],
    ['Sie können sich bei einer Aufsichtsbehörde beschweren (Art. 77 DSGVO).', false],
  ],
  register: [
    ['Registergericht: Amtsgericht Kassel, Registernummer: VR 2345', true],
    ['Amtsgericht Hamburg, HRB 98765', true],
    ['Registergericht: Amtsgericht Kassel', false],
  ],
  'vat-id': [
    ['USt-IdNr.: DE 141 222 333', true],
    ['UID-Nr.: ATU12345678', true],
    ['Steuernummer: 22/123/45678', false],
    ['USt-IdNr.: beantragt', false],
  ],
  'responsible-for-content': [
    ['Verantwortlich i.S.d. § 18 Abs. 2 MStV: Markus Lenz, Anschrift wie oben', true],
    ['V.i.S.d.P.: Lea Hartmann', true],
    ['Responsible for content: Jane Doe', true],
    ['Redaktion: Amt für Presse und Öffentlichkeitsarbeit', false],
    ['Als Diensteanbieter sind wir für eigene Inhalte auf diesen Seiten verantwortlich.', false],
  ],
  'covers-profiles': [
    ['Dieses Impressum gilt auch für unsere Auftritte bei Facebook, Instagram und X.', true],
    ['This legal notice also applies to our social media accounts.', true],
    ['Folgen Sie uns auf Instagram', false],
  ],
  'outdated-refs': [
    ['Angaben gemäß § 5 TMG', true],
    ['Verantwortlich nach § 55 Abs. 2 RStV: Eva Kern', true],
    ['Angaben gemäß § 5 DDG', false],
  ],
  'second-contact-channel': [
    ['Telefon: 0341 123-0', true],
    ['Nutzen Sie unser Kontaktformular.', true],
    ['Fax: 0341 123-99', false],
  ],
  'legal-form': [
    ['Sportfreunde Grünwiese 1921 e.V.\nSportplatzweg 3, 34567 Grünwiese', true],
    ['Die Hochschule ist eine Körperschaft des öffentlichen Rechts.', true],
    ['Stadt Beispielstadt\nMarktplatz 1, 12345 Beispielstadt', false],
  ],
  'public-law-entity': [
    ['Die IHK ist eine Körperschaft des öffentlichen Rechts.', true],
    ['X City Council is a local authority.', true],
    ['Stadt Beispielstadt\nMarktplatz 1, 12345 Beispielstadt', false],
  ],
};

describe('privacy-notice elements on the rulebook examples (docs/legal-labels.md § 2)', () => {
  for (const [id, cases] of Object.entries(PRIVACY)) {
    for (const [text, expected] of cases) {
      it(`${id} ${expected ? 'counts' : 'does not count'}: ${text.slice(0, 70)}`, () =>
        expect(privacyFound(id, text)).toBe(expected));
    }
  }
});

describe('imprint elements on the rulebook examples (docs/legal-labels.md § 3)', () => {
  for (const [id, cases] of Object.entries(IMPRINT)) {
    for (const [text, expected] of cases) {
      it(`${id} ${expected ? 'counts' : 'does not count'}: ${text.slice(0, 70)}`, () =>
        expect(imprintFound(id, text)).toBe(expected));
    }
  }
});
