/**
 * Statement kinds learnt from tuning-split misses of the fifth corpus pass (docs/legal-labels.md § 2):
 * named statutes as a basis, "the recipients are …", and sentences that only look like an element.
 */
import { describe, expect, it } from 'vitest';
import { analysePrivacyNotice } from '@/lib/legal/privacy-notice';
describe('analysePrivacyNotice: named statutes, recipient statements and sentences that only look like elements (docs/legal-labels.md § 2)', () => {
  const el = (
    text: string,
    id: 'legal-basis' | 'purposes' | 'recipients' | 'cookies' | 'withdraw-consent' | 'complaint-right',
  ) => analysePrivacyNotice(text).elements[id].found;
  const named = (text: string) => analysePrivacyNotice(text).extras['supervisory-authority-named'].found;

  it('processing under, or an obligation from, a named statute is a legal basis; a general data-protection law is not', () => {
    expect(
      el(
        'Das Landespolizeipräsidium verarbeitet, soweit dies zur Gefahrenabwehr erforderlich ist, personenbezogene Daten unter Berücksichtigung der Anforderungen der Strafprozessordnung (StPO).',
        'legal-basis',
      ),
    ).toBe(true);
    expect(
      el(
        'Mit dem Inkrafttreten des Informationsfreiheitsgesetzes, BGBl. I Nr. 5/2024 sind wir verpflichtet, Informationsbegehren zu beantworten.',
        'legal-basis',
      ),
    ).toBe(true);
    expect(
      el(
        'Die Daten werden für folgende Zwecke nach den angeführten Rechtsgrundlagen verarbeitet:\nBearbeitung von Anträgen (AVG, Zustellgesetz).',
        'legal-basis',
      ),
    ).toBe(true);
    expect(
      el(
        'Wir verarbeiten Ihre Daten unter Berücksichtigung der Anforderungen des Bundesdatenschutzgesetzes.',
        'legal-basis',
      ),
    ).toBe(false);
    expect(el('Als Behörde sind wir verpflichtet, den Datenschutz zu achten.', 'legal-basis')).toBe(false);
  });

  it('the controller definition and the notice’s own aim are no purpose of the processing', () => {
    expect(
      el(
        'Verantwortlicher ist derjenige, der allein oder gemeinsam mit anderen über die Zwecke und Mittel der Verarbeitung von personenbezogenen Daten entscheidet.',
        'purposes',
      ),
    ).toBe(false);
    expect(
      el(
        'Diese Informationen dienen der Transparenz, wie das Jobcenter mit personenbezogenen Daten umgeht.',
        'purposes',
      ),
    ).toBe(false);
    expect(el('Die Speicherung dient ausschließlich statistischen Zwecken.', 'purposes')).toBe(true);
  });

  it('"the recipients are …" and processing by an agent name recipients; compliance and the reader receiving information do not', () => {
    expect(
      el(
        'd) Die Empfänger der Daten bei Verfahren sind andere Verfahrensparteien, Zeugen und Sachverständige.',
        'recipients',
      ),
    ).toBe(true);
    expect(
      el(
        'Es werden Daten verarbeitet, die das Amtsgericht selbst oder durch einen Beauftragten verarbeitet.',
        'recipients',
      ),
    ).toBe(true);
    expect(
      el(
        'Wir haben Maßnahmen getroffen, die sicherstellen, dass die Vorschriften über den Datenschutz sowohl von uns als auch von unseren externen Dienstleistern eingehalten werden.',
        'recipients',
      ),
    ).toBe(false);
    expect(
      el(
        'Im Folgenden erhalten Sie allgemeine Informationen zur Verarbeitung personenbezogener Daten durch das Amt.',
        'recipients',
      ),
    ).toBe(false);
    expect(
      el('Das Bundesgesetz über den Zugang zu Informationen verpflichtet uns zur Veröffentlichung.', 'recipients'),
    ).toBe(false);
  });

  it('cookies named only as an example of personal data are no cookie information', () => {
    expect(el('Hierunter fallen z. B. die IP-Adresse und Cookies mit Personenbezug.', 'cookies')).toBe(false);
    expect(el('Diese Website verwendet Cookies mit Personenbezug.', 'cookies')).toBe(true);
  });

  it('withdrawal: consent on the verb’s own line counts even when list items without full stops run into the sentence', () => {
    const text = [
      'Sie können folgende Rechte ausüben:',
      'Widerspruch gegen die Verarbeitung Ihrer Daten (Art. 21 DSGVO) und',
      'Datenübertragbarkeit, sofern die Datenverarbeitung auf einem Vertrag mit uns beruht (Art. 20 DSGVO)',
      'Sofern Sie uns eine Einwilligung erteilt haben, können Sie diese jederzeit ohne Angaben von Gründen mit Wirkung für die Zukunft über diesen Link widerrufen.',
    ].join('\n');
    expect(el(text, 'withdraw-consent')).toBe(true);
  });

  it('complaints as the object of the controller’s processing are neither the complaint right nor a named authority', () => {
    const purpose =
      'ca) Bearbeitung von Eingaben und Beschwerden an die Datenschutzbehörde (DSGVO, DSG, AVG, Zustellgesetz). Wickenburggasse 8, 1080 Wien.';
    expect(el(purpose, 'complaint-right')).toBe(false);
    expect(named(purpose)).toBe(false);
    expect(el('Sie haben das Recht auf Beschwerde bei der Datenschutzbehörde in Wien.', 'complaint-right')).toBe(true);
  });
});

describe('analysePrivacyNotice: storage on "the local device" is device storage (§ 2 cookies, § 25 Abs. 1 TDDDG)', () => {
  it('"auf dem lokalen Gerät gespeichert" informs about storage on the device', () => {
    const cookies = (text: string) => analysePrivacyNotice(text).elements.cookies.found;
    expect(
      cookies(
        'Da die Nutzerdaten nur auf dem lokalen Gerät gespeichert werden, können die Daten nur durch den Nutzer gelöscht werden.',
      ),
    ).toBe(true);
    expect(cookies('Die Daten werden auf dem Server gespeichert.')).toBe(false);
  });
});

/**
 * Statement kinds learnt from tuning-split misses of the sixth corpus pass (docs/legal-labels.md § 2): consent
 * as the condition of the processing, a named operator of the systems, Land authorities by name, and
 * sentences that only look like an element (an indirect question, the GDPR's own title).
 */
describe('analysePrivacyNotice: consent as a condition, technical operators, Land authorities by name (docs/legal-labels.md § 2)', () => {
  const el = (text: string, id: 'legal-basis' | 'purposes' | 'recipients' | 'controller') =>
    analysePrivacyNotice(text).elements[id].found;
  const extra = (text: string, id: 'supervisory-authority-named' | 'outdated-refs') =>
    analysePrivacyNotice(text).extras[id].found;

  it('processing that happens only with, or after, consent states consent as its basis', () => {
    expect(
      el(
        'Im Übrigen verarbeiten wir Ihre personenbezogenen Daten nur, wenn Sie uns zuvor Ihre Einwilligung für die Verarbeitung erteilt haben.',
        'legal-basis',
      ),
    ).toBe(true);
    expect(
      el(
        'Die Erhebung und Verwendung personenbezogener Daten unserer Nutzer erfolgt regelmäßig nur nach Einwilligung des Nutzers.',
        'legal-basis',
      ),
    ).toBe(true);
    expect(
      el(
        'Ihre Daten werden nicht an Dritte weitergegeben, es sei denn, wir sind gesetzlich dazu verpflichtet oder haben dafür Ihre Zustimmung erhalten.',
        'legal-basis',
      ),
    ).toBe(true);
  });
  it('consent named without our processing before it, or in a withdrawal sentence, is no basis statement', () => {
    // A list item run into the next one: the processing ("Weitergabe") follows, it is not conditioned.
    expect(
      el(
        'Sie Ihre ausdrückliche Einwilligung dazu erteilt haben die Weitergabe zur Geltendmachung von Rechtsansprüchen erforderlich ist',
        'legal-basis',
      ),
    ).toBe(false);
    expect(
      el(
        'Wenn Sie die Speicherung beendet wissen möchten und Ihre Einwilligung erteilt haben, können Sie diese jederzeit widerrufen.',
        'legal-basis',
      ),
    ).toBe(false);
  });

  it('a named party that runs the systems the data are processed on is a recipient', () => {
    expect(
      el(
        'Soweit Ihre Daten elektronisch verarbeitet werden, erfolgt der technische Betrieb unserer Datenverarbeitungssysteme durch EduPage, Dr. Josef Raabe Verlags GmbH.',
        'recipients',
      ),
    ).toBe(true);
    expect(
      el(
        'Die Verantwortlichkeit für den technischen Betrieb trägt die Hessische Zentrale für Datenverarbeitung.',
        'recipients',
      ),
    ).toBe(true);
    expect(el('Der technische Betrieb der Website ist uns wichtig.', 'recipients')).toBe(false);
  });
  it('an indirect question whose answer is left to another place names no recipient (G4)', () => {
    expect(
      el(
        'Welche Ihrer Daten zu welchen Zwecken verarbeitet und an wen sie gegebenenfalls übermittelt werden, richtet sich maßgeblich nach der jeweiligen Verwaltungsaufgabe.',
        'recipients',
      ),
    ).toBe(false);
  });

  it('a Land’s commissioner named by the Land, and the Saarland authority’s own name, are named authorities', () => {
    expect(
      extra(
        'Bei Verstößen haben Sie das Recht, Beschwerde einzureichen. Zuständig ist der Datenschutzbeauftragte des Landes Baden-Württemberg.',
        'supervisory-authority-named',
      ),
    ).toBe(true);
    expect(
      extra(
        'Darüber hinaus koordiniert er die Zusammenarbeit mit der Aufsichtsbehörde, dem Unabhängigen Datenschutzzentrum des Saarlandes.',
        'supervisory-authority-named',
      ),
    ).toBe(true);
    // A DPO "des Landratsamts" is no authority.
    expect(
      extra('Zuständig ist der Datenschutzbeauftragte des Landratsamts, Marktplatz 1.', 'supervisory-authority-named'),
    ).toBe(false);
  });

  it('the GDPR’s own title ("… zur Aufhebung der Richtlinie 95/46/EG") cites no repealed law as current', () => {
    expect(
      extra(
        'Maßgeblich ist die Verordnung (EU) 2016/679 zum Schutz natürlicher Personen bei der Verarbeitung personenbezogener Daten, zum freien Datenverkehr und zur Aufhebung der Richtlinie 95/46/EG (DS-GVO).',
        'outdated-refs',
      ),
    ).toBe(false);
    expect(extra('Wir verarbeiten Daten nach der Richtlinie 95/46/EG.', 'outdated-refs')).toBe(true);
  });

  it('a purpose clause may come first: "Damit Sie … können, erheben wir …"', () => {
    expect(
      el(
        'Damit Sie unsere Webseite aufrufen können, erheben und speichern wir automatisch sogenannte Server Log File Informationen.',
        'purposes',
      ),
    ).toBe(true);
  });

  it('"Zentralverantwortlich für die Verarbeitung … ist das …" names the controller', () => {
    expect(
      el(
        'Zentralverantwortlich für die Verarbeitung personenbezogener Daten auf dieser Internetseite ist das Hessische Landeskriminalamt, Hölderlinstraße 1-5, 65187 Wiesbaden, Tel. +49 611 83 0',
        'controller',
      ),
    ).toBe(true);
  });
});
