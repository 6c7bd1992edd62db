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
