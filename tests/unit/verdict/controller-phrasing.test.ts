// From the fetched texts to the verdict (lib/page/checks.ts → lib/verdict/report.ts): a complete
// privacy notice that names its controller as "Verantwortlich für den Betrieb … ist die …,
// Anschrift …" is not judged red, and a notice that points to the imprint for the controller is
// resolved against the fetched imprint (docs/legal-labels.md § 2 controller, controller-by-reference).
import { beforeAll, describe, expect, it } from 'vitest';
import { type Classifier, createClassifier } from '@/lib/parties/classify';
import { buildPageChecks, planPageChecks, type FetchedDoc } from '@/lib/page/checks';
import type { PageFacts } from '@/lib/page/facts';
import { summariseParties } from '@/lib/parties/summary';
import { type AuthorityFacts, buildReport } from '@/lib/verdict/report';
import { reduceTally } from '@/lib/tally/reduce';
import type { TallyState } from '@/lib/tally/types';
import { loadTrackerIndex } from '@/lib/parties/trackers';
import { reportSchemaErrors } from '../../report-schema';
import { realIpTable, realTrackerData } from '../helpers/real-data';

let classifier: Classifier;
beforeAll(() => {
  classifier = createClassifier({ trackers: loadTrackerIndex(realTrackerData()), ipTable: realIpTable() });
}, 60_000);

const TAB = 5;
const T0 = Date.UTC(2026, 11, 7, 9, 0, 0);
const PAGE = 'https://www.stadtwerke-beispielstadt.de/';
const NOT_AUTHORITY: AuthorityFacts = {
  isAuthority: false,
  score: 0,
  isSocialBenefitBody: false,
  audienceMinors: false,
  userOverride: null,
  signals: [],
};

const IMPRINT = [
  'Impressum',
  'Stadtwerke Beispielstadt GmbH',
  'Hafenweg 4',
  '24103 Kiel',
  'Telefon: 0431 123456-0',
  'E-Mail: info@stadtwerke-beispielstadt.de',
  'Vertreten durch den Geschäftsführer Jan Petersen',
  'Registergericht: Amtsgericht Kiel, HRB 12345',
  'USt-IdNr.: DE 123 456 789',
].join('\n');

/** Everything Art. 13 asks for; only the controller sentence differs between the cases. */
const notice = (controller: string) =>
  [
    'Datenschutzerklärung',
    controller,
    'Unseren Datenschutzbeauftragten erreichen Sie unter datenschutz@stadtwerke-beispielstadt.de.',
    'Wir verarbeiten Ihre Kontaktdaten ausschließlich zur Beantwortung Ihrer Anfrage.',
    'Rechtsgrundlage ist Art. 6 Abs. 1 lit. b DSGVO.',
    'Eine Weitergabe an Dritte erfolgt nicht; unser Webhoster verarbeitet die Daten in unserem Auftrag.',
    'Anfragen löschen wir, sobald sie abschließend bearbeitet sind.',
    'Sie haben das Recht auf Auskunft, Berichtigung, Löschung und Einschränkung der Verarbeitung.',
    'Sie haben das Recht auf Beschwerde bei einer Aufsichtsbehörde.',
    'Wir setzen ausschließlich technisch notwendige Cookies ein.',
  ].join('\n');

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

function reportFor(privacyText: string, imprint: FetchedDoc | 'pending' = doc(`${PAGE}impressum`, IMPRINT)) {
  const visit = reduceTally({} as TallyState, {
    kind: 'request',
    tabId: TAB,
    frameId: 0,
    requestId: '1',
    url: PAGE,
    type: 'main_frame',
    timeStamp: T0,
  })[TAB]!;
  const facts: PageFacts = {
    url: PAGE,
    title: 'Stadtwerke Beispielstadt',
    lang: 'de',
    meta: {},
    links: [
      { href: '/impressum', text: 'Impressum', region: 'footer' },
      { href: '/datenschutz', text: 'Datenschutz', region: 'footer' },
    ],
    linkCount: 2,
    textSample: '',
    truncated: false,
    collectMs: 1,
  };
  const checks = buildPageChecks(
    facts,
    planPageChecks(facts),
    { imprint, privacy: doc(`${PAGE}datenschutz`, privacyText) },
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
  return { checks, report };
}

describe('controller phrasing, from the fetched texts to the verdict', () => {
  it('"Verantwortlich für den Betrieb dieser Website ist die …, Anschrift: …" names the controller: the complete notice is green, not red', () => {
    const { checks, report } = reportFor(
      notice(
        'Verantwortlich für den Betrieb dieser Website ist die Stadtwerke Beispielstadt GmbH, Anschrift: Hafenweg 4, 24103 Kiel.',
      ),
    );
    expect(checks.privacy.analysis?.elements.controller).toMatchObject({ found: true, via: 'notice' });
    expect(checks.privacy.analysis?.elements.controller.evidence).toContain('Verantwortlich für den Betrieb');
    expect(report.findings.map((f) => f.id)).not.toContain('privacy-no-controller');
    expect(report.verdict).toBe('green');
    expect(reportSchemaErrors(report)).toEqual([]);
  });

  it('without any controller the same notice is red (the case above can fail)', () => {
    const { report } = reportFor(notice('Wir freuen uns über Ihren Besuch.'));
    expect(report.findings.find((f) => f.id === 'privacy-no-controller')?.severity).toBe('red');
    expect(report.verdict).toBe('red');
  });

  it('"Verantwortlich ist die im Impressum genannte Stelle" is resolved against the fetched imprint', () => {
    const { checks, report } = reportFor(notice('Verantwortlich ist die im Impressum genannte Stelle.'));
    const controller = checks.privacy.analysis?.elements.controller;
    expect(controller).toMatchObject({ found: true, via: 'imprint' });
    expect(controller?.evidence).toContain('Hafenweg 4');
    expect(report.verdict).toBe('green');
  });

  it('while the imprint is still being fetched, a notice that refers to it stays pending instead of "no controller"', () => {
    const { checks, report } = reportFor(notice('Verantwortlich ist die im Impressum genannte Stelle.'), 'pending');
    expect(checks.privacy.status).toBe('pending');
    expect(report.findings.map((f) => f.id)).not.toContain('privacy-no-controller');
  });
});
