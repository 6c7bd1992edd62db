/**
 * Builds the complaint model (model.ts) from the user's visits: one function per section.
 *
 * Sections (rules.json `complaint.minimum_content`): complainant (placeholders), controller,
 * competent authority (lib/export/dpa/competence.ts) — head.ts; facts in time order with ISO 8601
 * timestamps, technical observations (third parties, companies, countries, cookies before any
 * interaction), findings with their legal hooks marked as a preliminary assessment — evidence.ts;
 * the user's own statements — the observations ticked in the export panel and the free text — in a
 * separate labelled block (certainty 'user-reported'; the findings they raise join the
 * assessment, user-reported.ts), the request
 * (Art. 58(2), 77(2) GDPR), annexes, and the disclaimer (rules.json `meta.disclaimer_*`: no legal
 * advice) — closing.ts.
 *
 * Pure, typed, never throws on odd input; German texts use proper umlauts.
 */
import { competentAuthority } from '../dpa/competence';
import { type ControllerGuess, controllerFromReport } from '../dpa/controller';
import { RULES_VERSION } from '../../verdict/report';
import { annexesSection, disclaimerSection, requestSection, userReportedSection } from './closing';
import { withConsentFacts, withConsentTables } from './consent';
import { assessmentSection, factsSection, findingsOf, technicalSection } from './evidence';
import { authoritySection, complainantSection, controllerSection } from './head';
import {
  type Complaint,
  type ComplaintInput,
  type Lang,
  type Section,
  type Visit,
  bool,
  isoOrEmpty,
  obj,
  str,
  visitsOf,
} from './model';
import { T, type Texts } from './texts';
import { observationTexts, userReportedFindingsOf } from './user-reported';

function controllerOf(visits: Visit[], imprintText: string | null): ControllerGuess {
  // The visit that looks most like the controller's own presence: an authority's page first,
  // then the first visit.
  const pick = visits.find((v) => bool(obj(v.report.authority).isAuthority)) ?? visits[0];
  return controllerFromReport(pick?.report ?? null, imprintText);
}

/**
 * Builds the complaint model. Never throws: whatever the input, a document with placeholders
 * comes out.
 */
export function buildComplaint(input: ComplaintInput): Complaint {
  const inp = obj(input) as Partial<ComplaintInput>;
  const lang: Lang = inp.lang === 'en' ? 'en' : 'de';
  const t: Texts = T[lang];
  const createdAt = isoOrEmpty(inp.now) || '1970-01-01T00:00:00.000Z';
  const toolVersion = str(inp.toolVersion, 40) || '0.0.0';
  const site = str(inp.site, 300);
  const imprintText = typeof inp.imprintText === 'string' ? inp.imprintText : null;
  const privacyText = typeof inp.privacyText === 'string' ? inp.privacyText : null;
  const visits = visitsOf(inp.reports, inp.loads);

  const guess = controllerOf(visits, imprintText);
  const jobcenterType =
    inp.jobcenterType === 'gemeinsame-einrichtung' || inp.jobcenterType === 'zugelassener-kommunaler-traeger'
      ? inp.jobcenterType
      : guess.jobcenterType;
  const controller: ControllerGuess = {
    ...guess,
    jobcenterType: guess.controllerKind === 'jobcenter' ? jobcenterType : null,
  };
  const authority = competentAuthority(controller);
  const controllerName = controller.name || site || t.unknownController;

  // The user's ticked observations raise their own findings (certainty 'user-reported').
  const allFindings = [...findingsOf(visits, lang), ...userReportedFindingsOf(visits, inp.userObservations, lang)];
  const sections: Section[] = [
    complainantSection(t, inp.complainant),
    controllerSection(t, visits, controller, controllerName),
    authoritySection(t, lang, authority),
    // The audit CLI's answer to a consent banner (--consent), where a report carries one.
    withConsentFacts(factsSection(t, visits), visits, lang),
    withConsentTables(technicalSection(t, lang, visits, toolVersion), visits, lang),
    assessmentSection(t, allFindings, lang),
    userReportedSection(t, inp.userStatement, observationTexts(inp.userObservations, lang)),
    requestSection(t),
    annexesSection(
      t,
      lang,
      { imprint: imprintText, privacy: privacyText, hashes: obj(inp.textHashes) },
      Array.isArray(inp.attachments) ? inp.attachments : [],
    ),
    disclaimerSection(t),
  ];

  return {
    format: 'datenschutz-ampel/complaint',
    version: 1,
    lang,
    createdAt,
    tool: { name: 'Datenschutz-Ampel', version: toolVersion, rulesVersion: RULES_VERSION },
    title: t.title(controllerName),
    subtitle: t.subtitle(site || t.none, createdAt),
    site,
    controller,
    authority,
    findings: allFindings,
    visits: visits.map((v) => ({ url: v.url, visitedAt: v.visitedAt, title: v.title })),
    sections,
  };
}
