/**
 * The Art. 13 GDPR elements of a privacy notice as kinds of statements (docs/legal-labels.md § 2).
 * Each finder proposes candidates with a pattern over the whole text and keeps the first one whose
 * sentence is a statement of that kind (lib/legal/statements.ts): a purpose is a processing verb
 * with a purpose clause ("verarbeiten … zur Beantwortung", "dient der", "we use it to …"), not the
 * word "Zweck"; recipients are a disclosure to someone, an access or a processor, not the word
 * "Empfänger" inside the right of access; a storage period needs a span, an end event or a named
 * retention rule (WP260 rev.01 Annex: "as long as necessary" is not enough).
 * The controller and the DPO are in lib/legal/controller.ts; rights, withdrawal and the complaint
 * right in lib/legal/privacy-rights.ts.
 */
import { type ElementFinding, NOT_FOUND, eachMatch, firstMatch, rule } from './patterns';
import { type TextStructure, isContentKind, joinEvidence, sentenceEvidence } from './structure';
import {
  type Candidate,
  type Test,
  ANNOUNCES_CONTENTS,
  DEFERS,
  LINK_CLAUSE_CUT,
  OBJECTION_CONTEXT,
  RIGHTS_DESCRIPTION,
  candidateAt,
  casePattern,
  clauseAround,
  ctx,
  firstStatement,
  foundStatement,
  pattern,
  withLead,
} from './statements';

// ---------------------------------------------------------------------------------------------
// Legal basis and legitimate interests (Art. 6, 9, 13(1)(c), (d))

/** An Art. 6(1) or Art. 9(2) letter in any citation style: "Art. 6 Abs. 1 UAbs. 1 lit. a)", "Art. 6 (1) (f)", "article 6(1)(e)". */
const ART_LETTER = String.raw`\bArt(?:ikel|icle|\.)?\s?(?:6|9)\s?(?:Abs(?:atz|\.)?\s?[12]|\([12]\)|para(?:graph|\.)?\s?[12])?\s?,?\s?(?:(?:S(?:atz|\.)?|UAbs(?:atz|\.)?|Unterabs(?:atz|\.)?|sentence|subpara(?:graph|\.)?)\s?1\s?,?\s?)?(?:(?:lit(?:era|\.)?|Buchst(?:abe|\.)?|letter|point)\s?\(?[a-j]\b\)?|\(?[a-j]\)(?![\w]))`;
const ART6_F = String.raw`\bArt(?:ikel|icle|\.)?\s?6\s?(?:Abs(?:atz|\.)?\s?1|\(1\)|para(?:graph|\.)?\s?1)?\s?,?\s?(?:(?:S(?:atz|\.)?|UAbs(?:atz|\.)?|sentence|subpara(?:graph|\.)?)\s?1\s?,?\s?)?(?:(?:lit(?:era|\.)?|Buchst(?:abe|\.)?|letter|point)\s?\(?f\b\)?|\(?f\)(?![\w]))`;
const LEGAL_BASIS = pattern(
  [
    ART_LETTER,
    String.raw`\b(?:Rechtsgrundlage(?:n)?|rechtliche[rn]?\s+Grundlage|gesetzliche[rn]?\s+Grundlage|legal\s+bas[ie]s|lawful\s+bas[ie]s|bases\s+for\s+processing)\b`,
    String.raw`\b(?:auf(?:grund)?\s+(?:der\s+)?(?:folgenden\s+)?(?:rechtlichen|gesetzlichen)\s+(?:und\s+gesetzlichen\s+)?(?:Grundlage|Bestimmungen|Vorschriften))`,
    String.raw`\b(?:auf(?:grund)?\s+(?:der\s+)?(?:Grundlage|Basis)\s+(?:Ihrer|Deiner|einer|der|von|Ihres|eines)\s+(?:ausdrücklichen\s+|vorherigen\s+|informierten\s+)?(?:Einwilligung|Zustimmung|Vertrag\w*|berechtigten\s+Interess\w*)|(?:mit|ohne)\s+(?:Ihre[rn]?|Deine[rn]?)\s+(?:ausdrücklichen?\s+|vorherigen?\s+|schriftlichen?\s+)?(?:Einwilligung|Zustimmung|Einverständnis)|willigen\s+(?:Sie\s+)?(?:darin\s+|hiermit\s+)?ein)\b`,
    // Consent as the condition of the processing or disclosure: "… erfolgt nur nach Einwilligung des Nutzers",
    // "… nur, wenn Sie uns zuvor Ihre Einwilligung … erteilt haben", "… oder hat dafür Ihre Zustimmung erhalten".
    String.raw`\b(?:nach\s+(?:vorheriger\s+)?Einwilligung\s+(?:des|der)\s+(?:Nutzer\w*|Betroffenen|betroffenen\s+Person)|(?:Ihre|Deine)\s+(?:ausdrückliche\s+|vorherige\s+|schriftliche\s+)?(?:Einwilligung|Zustimmung)\s+(?:\S+\s+){0,4}?(?:erteilt|gegeben|erhalten)(?:\s+haben|\s+hat)?)\b`,
    // Processing under, or an obligation from, a named statute: "verarbeitet … personenbezogene Daten unter
    // Berücksichtigung der Anforderungen der Strafprozessordnung", "Mit dem Inkrafttreten des … gesetzes … sind wir verpflichtet".
    String.raw`\b(?:unter\s+Berücksichtigung\s+der\s+Anforderungen|nach\s+Maßgabe|(?:sind|ist)\s+(?:wir|sie|es)\s+(?:gesetzlich\s+)?(?:verpflichtet|berechtigt))\b`,
    String.raw`\b(?:under|in\s+accordance\s+with|pursuant\s+to|required\s+by|powers?\s+(?:in|under))\s+(?:the\s+)?(?:(?:section|s\.)\s?\d+\w*\s+(?:of\s+the\s+)?)?(?:\p{Lu}[\p{L}'’-]+\s+){1,6}Act\s+(?:1[89]|20)\d\d\b`,
    String.raw`\b(?:(?:based\s+on|on\s+the\s+basis\s+of|with|without)\s+(?:your|our|a|the)\s+(?:explicit\s+|prior\s+|informed\s+)?(?:consent|permission|legitimate\s+interests?)|(?:rely|relies)\s+on\s+(?:our\s+|your\s+)?(?:consent|legitimate\s+interests?|contract|legal\s+obligation|public\s+task)|public\s+task|official\s+authority|task\s+(?:carried\s+out\s+)?in\s+the\s+public\s+interest)\b`,
  ]
    .map((x) => `(?:${x})`)
    .join('|'),
);
/** What makes a "Rechtsgrundlage …" sentence state a basis: a letter, a provision, a basis in words. */
const BASIS_WORDS = ctx(
  String.raw`${ART_LETTER}|§§?\s?\d|\b(?:Einwilligung|Zustimmung|Vertrag\w*|vertraglich\w*|öffentlich\w*\s+(?:Interesse|Aufgabe|Gewalt)|Aufgabe\w*\s+im\s+öffentlichen|berechtigt\w*\s+Interess\w*|legitim\w*\s+Interess\w*|rechtlich\w*\s+Verpflichtung|gesetzlich\w*\s+Verpflichtung|consent|contract|public\s+(?:task|interest)|official\s+authority|legitimate\s+interests?|legal\s+obligation|vital\s+interests?)\b`,
);
/** A provision of a named (national) law: "Art. 85 Abs. 1 BayEUG", "Art. 4 BayDSG" — case-sensitive abbreviation. */
const LAW_PROVISION = ctx(
  String.raw`\bArt(?:ikel|\.)?\s?\d+[^.;]{0,60}?\b(?!DSGVO|DS-GVO|GDPR)(?:[A-ZÄÖÜ][\p{L}-]*G|SGB\s?[IVX]+)\b`,
  'u',
);
/**
 * A named statute, UK style ("The Public Records Act 1958 (PRA) provides the legal basis …"): a named
 * sector law counts like "auf Grundlage des Bundesmeldegesetzes" (docs/legal-labels.md § 2 legal-basis,
 * borderline); the general data-protection and information laws do not.
 */
const NAMED_ACT = ctx(String.raw`\b(?:\p{Lu}[\p{L}'’-]+\s+){1,6}Act\s+(?:1[89]|20)\d\d\b`, 'u');
const GENERAL_ACT =
  /\b(?:Data\s+Protection|Freedom\s+of\s+Information|Human\s+Rights|Privacy\s+and\s+Electronic\s+Communications)\s+Act\b/iu;
const namedSectorAct = (t: string): boolean => NAMED_ACT.test(t) && !GENERAL_ACT.test(t);
/**
 * A named German or Austrian statute ("Strafprozessordnung", "Zustellgesetz", "Informationsfreiheitsgesetz"):
 * a named sector law counts like "auf Grundlage des Bundesmeldegesetzes" (docs/legal-labels.md § 2
 * legal-basis, borderline); the general data-protection and telemedia laws do not.
 */
const NAMED_GESETZ = /\p{Lu}[\p{L}-]*(?:gesetz|gesetzes|gesetzbuch|gesetzbuches|ordnung)(?![\p{L}])/gu;
const GENERAL_GESETZ = /datenschutz|grundverordnung|telemedien|telekommunikation|digitale-dienste/iu;
function namedSectorGesetz(t: string): boolean {
  for (const m of t.matchAll(NAMED_GESETZ)) if (!GENERAL_GESETZ.test(m[0])) return true;
  return false;
}
const BASIS_CONTENT = {
  test: (t: string): boolean =>
    BASIS_WORDS.test(t) || LAW_PROVISION.test(t) || namedSectorAct(t) || namedSectorGesetz(t),
};
/** "Art. 6 Abs. 1 lit. f gilt nicht für Behörden", "weder eine Rechtsgrundlage noch Ihre Einwilligung". */
const BASIS_NEGATED = ctx(
  String.raw`\b(?:gilt\s+nicht|nicht\s+anwendbar|does\s+not\s+apply|weder\b|keine\s+Rechtsgrundlage|no\s+legal\s+basis|unrechtmäßig|unlawfully)\b`,
);

/** Our processing or disclosure is what the consent conditions (§ 2 legal-basis: "Nur mit Ihrer Einwilligung veröffentlichen wir Fotos"). */
const CONSENT_CONDITIONED = ctx(
  String.raw`\b(?:verarbeite\w*|Verarbeitung|erhebe\w*|Erhebung|verwende\w*|Verwendung|speicher\w*|Speicherung|nutzen|Nutzung|weitergegeben|weitergeben|Weitergabe|übermittel\w*|Übermittlung|veröffentlich\w*)\b`,
);

function basisSentence(c: Candidate): boolean {
  const t = withLead(c);
  if (OBJECTION_CONTEXT.test(t) || BASIS_NEGATED.test(t)) return false;
  // "… under the Data Protection Act 2018": a general data-protection law names no basis (§ 2 legal-basis).
  if (/\bAct\s+(?:1[89]|20)\d\d$/u.test(c.m.text) && GENERAL_ACT.test(c.m.text)) return false;
  // Consent as a condition is a basis only where the sentence is about our processing or disclosure, not about
  // withdrawing it ("Haben Sie Ihre Einwilligung erteilt, können Sie sie widerrufen" is withdraw-consent).
  // The processing comes first ("verarbeiten wir nur, wenn Sie … Ihre Einwilligung erteilt haben"): a list item
  // "Sie Ihre Einwilligung erteilt haben" run into the next item names no processing of its own.
  if (/^(?:nach\s+(?:vorheriger\s+)?Einwilligung|Ihre\s|Deine\s)/u.test(c.m.text))
    return (
      CONSENT_CONDITIONED.test(c.sentence.slice(0, c.m.index - c.sentenceStart)) &&
      !/widerruf|revoke|withdraw/iu.test(c.sentence)
    );
  // A named statute in the sentence is what makes these a basis (not "unter Berücksichtigung der Anforderungen des Datenschutzes").
  if (/^(?:unter|nach\s+Maßgabe|sind|ist)/i.test(c.m.text)) return namedSectorGesetz(c.sentence);
  if (
    /^(?:Rechtsgrundlage|rechtliche|gesetzliche|legal|lawful|bases)/i.test(c.m.text) ||
    /(?:Bestimmungen|Vorschriften|Grundlage)$/i.test(c.m.text)
  ) {
    // "Rechtsgrundlage" says nothing by itself: the sentence (or the line after a lead) must name one.
    return (
      BASIS_CONTENT.test(c.sentence.slice(c.m.end - c.sentenceStart)) ||
      BASIS_CONTENT.test(c.sentence.slice(0, c.m.index - c.sentenceStart))
    );
  }
  return true;
}

export function findLegalBasis(s: TextStructure): ElementFinding {
  const c = firstStatement(s, [LEGAL_BASIS], basisSentence, 80);
  if (c) return foundStatement(s, c);
  // "Rechtsgrundlage:" / "The legal basis … is that it's necessary:" with the basis on the next line.
  return leadWithNext(s, LEGAL_BASIS, BASIS_CONTENT);
}

const LEGITIMATE = pattern(
  `(?:${ART6_F})|\\b(?:berechtigte[nms]?\\s+Interess\\w*|legitime[nms]?\\s+Interess\\w*|legitimate\\s+interests?)\\b`,
);
/** The platform's or a recipient's own basis, or the "berechtigtes Interesse" of a register query, is not ours. */
const NOT_OUR_BASIS = ctx(
  String.raw`\b(?:Melderegister\w*|Dritte[rn]?\s+mit\s+berechtigtem|(?:Meta|Facebook|Google|Instagram|LinkedIn|TikTok|Twitter|YouTube)\s+(?:stützt|bases|relies)|gilt\s+nicht|nicht\s+anwendbar|does\s+not\s+apply|reproduz|Art(?:ikel|\.)?\s?6\s?Abs(?:atz|\.)?\s?1\s?(?:S(?:atz|\.)?\s?1\s?)?(?:lit\.?|Buchst\.?)\s?a\b[^.]{0,200}\blit\.?\s?b\b[^.]{0,200}\blit\.?\s?c\b)`,
);

export function findLegitimateInterests(s: TextStructure): ElementFinding {
  return foundStatement(
    s,
    firstStatement(s, [LEGITIMATE], (c) => {
      const t = withLead(c);
      // The reader's interests to be safeguarded (Art. 22(3)) and the transfer derogation of Art. 49(1)
      // subpara 2 are no Art. 6(1)(f) basis of the controller.
      const before = c.sentence.slice(Math.max(0, c.m.index - c.sentenceStart - 40), c.m.index - c.sentenceStart);
      if (/\b(?:Ihrer?|Ihren|Deine[rn]?|your|der\s+betroffenen\s+Person(?:en)?)\s+$/iu.test(before)) return false;
      if (/\bArt(?:ikel|icle|\.)?\s?49\b/iu.test(c.sentence)) return false;
      return !OBJECTION_CONTEXT.test(t) && !NOT_OUR_BASIS.test(t);
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Purposes (Art. 13(1)(c))

const PURPOSES = pattern(
  [
    // Purpose nouns in a statement: "Zweck der Verarbeitung ist …", "zu statistischen Zwecken", "zum Zwecke der …".
    String.raw`\b(?:Zweck(?:e|en|es)?|Verarbeitungszweck\w*|Ziel(?:e)?\s+(?:des|der|dieser)\s+(?:Einsatzes|Verarbeitung|Datenverarbeitung|Nutzung|Erhebung|Verwendung))\b`,
    // "dient der …", "dienen ausschließlich der Systemsicherheit", "dient dazu, …".
    String.raw`\bdien(?:t|en|te|ten)\s+(?:\w+\s+){0,3}?(?:der|dem|den|des|zur|zum|dazu|ausschließlich|ausschliesslich|lediglich|nur|allein|insbesondere|einerseits|vor\s+allem)\b`,
    // Processing verb … purpose clause: "verarbeiten … zur Beantwortung", "werden … erhoben, um … zu",
    // "Wir betreiben Auftritte in sozialen Netzwerken zur Information der Öffentlichkeit" (why the presence exists).
    String.raw`\b(?:verarbeite[nt]?|verwende[nt]?|nutze[nt]?|nutzt|betreiben|betreibt|speicher[nt]|erhebe[nt]?|erhebt|erfasse[nt]?|benötige[nt]|brauche[nt]|protokolliere[nt]|werte[nt]?|erhoben|verwendet|genutzt|gespeichert|verarbeitet|ausgewertet|eingesetzt|benötigt|protokolliert|erfasst|übermittelt|weitergegeben|eingebunden|erfolgt|erfolgen|geschieht)\b[^.\n]{0,160}?(?:\b(?:zur|zum)\s+[A-ZÄÖÜ]|\bfür\s+(?:die|den|das|unsere[nm]?|Ihre)\s+[A-ZÄÖÜ]|\bfür\s+\w*[Zz]wecke?\b|\bum\s[^.\n]{1,160}?\bzu\s|,\s*damit\b|\bzu\s+\w+en\s+Zwecken|\bzu\s+\w*zwecken)`,
    // Purpose first: "Zur Beantwortung Ihrer Anfrage speichern wir …", "Um … zu …, setzen wir …".
    String.raw`(?:^|[.:]\s|\n)(?:Zur|Zum|Um|Für\s+(?:den|die|das))\s+[^.\n]{3,120}?\b(?:verarbeite[nt]|verwende[nt]|nutze[nt]|speicher[nt]|erhebe[nt]|setzen|setzt|benötige[nt]|erfasse[nt]|werden|wird)\b`,
    // A final clause first, then our processing: "Damit Sie unsere Webseite aufrufen können, erheben und
    // speichern wir …", "Damit wir Ihr Anliegen bearbeiten können, müssen wir diese Daten verarbeiten".
    String.raw`\bDamit\s+[^.\n]{3,120}?\b(?:verarbeite[nt]|verwende[nt]|nutze[nt]|speicher[nt]|erhebe[nt]|benötige[nt]|erfasse[nt])\b`,
    // English: "we use it to determine", "to see how you use", "for the sole purpose of", "in order to",
    // "We collect personal data so that you can safely send money".
    String.raw`\b(?:use|uses|used|process|processes|processed|collect|collects|collected|store|stores|stored|need|needs|record|records|recorded|keep|analy[sz]e|analy[sz]ed|hold|share|is\s+done|are\s+done|carry\s+out|do\s+this)\b[^.\n]{0,120}?\b(?:to|in\s+order\s+to|so\s+(?:that\s+)?(?:we|you|they|it)\s+can)\s+(?:\w+\s+)?(?:help|improve|provide|send|respond|answer|see|make|ensure|determine|process|register|contact|understand|measure|run|deliver|keep|monitor|evaluate|check|allow|enable|verify|prevent|detect|manage|administer|analy[sz]e|operate|maintain|give|let|find|tell|create|offer|identify|protect|secure|comply|fulfil|fulfill|perform|handle|investigate|reply|communicate|publish|display|personalise|personalize|remember|count|assess|review|support|notify|inform|respond|confirm)\b`,
    String.raw`\b(?:for\s+the\s+(?:sole\s+|only\s+|specific\s+|following\s+)?purposes?\s+of|purposes?\s+(?:of|for)\s+(?:the\s+)?(?:processing|using|collecting|which)|in\s+order\s+to|we\s+(?:use|process|collect|need)\s+(?:your\s+)?(?:personal\s+)?(?:data|information)\s+(?:to|for))\b`,
  ]
    .map((x) => `(?:${x})`)
    .join('|'),
);
/**
 * Announcements and references that name no purpose (G4); the Art. 4 Nr. 7 definition of the controller
 * ("… über die Zwecke und Mittel der Verarbeitung … entscheidet"); the notice's own aim ("Diese
 * Informationen dienen der Transparenz …"), which is no purpose of the processing (§ 2 purposes).
 */
const PURPOSE_EMPTY = ctx(
  String.raw`\b(?:Zweck\w*\s+(?:der\s+\w+\s+)?(?:entfällt|entfallen|erreicht|erfüllt)|purposes?\s+(?:no\s+longer|has\s+been\s+(?:fulfilled|achieved))|in\s+order\s+to\s+do\s+(?:so|this)|jeweils\s+(?:angegebenen|genannten)\s+Zweck|Zweck\w*\s*:\s*siehe|(?:Art|Umfang)\s*,?\s+(?:Umfang\s+)?und\s+Zweck|über\s+(?:Art,\s+)?(?:Umfang\s+und\s+)?Zweck|Zweck\w*\s+der\s+Speicherung\s+(?:sowie|und)|Zweckbindung|zweckgebunden|Zweckänderung|zu\s+anderen\s+Zwecken|für\s+andere\s+Zwecke|nicht\s+zu\s+(?:anderen|weiteren)|purposes?\s+(?:described|set\s+out|listed)\s+(?:above|below|in)|Zwecke?\s+und\s+Rechtsgrundlage\w*\s+(?:für|der)\s+(?:die\s+)?(?:Daten)?[Vv]erarbeitung\s*$|über\s+(?:die\s+)?Zwecke\s+und\s+Mittel|purposes\s+and\s+means\s+of|\b(?:Diese|Die\s+(?:folgenden|nachfolgenden|nachstehenden))\s+(?:Informationen|Hinweise|Datenschutz\w*)\s+dien\w*\s+(?:der\s+|zur\s+)?(?:Transparenz|Information|Erfüllung\s+(?:der|unserer)\s+Informationspflicht\w*))`,
);

export function findPurposes(s: TextStructure): ElementFinding {
  return foundStatement(
    s,
    firstStatement(
      s,
      [PURPOSES],
      (c) => {
        if (RIGHTS_DESCRIPTION.test(c.sentence) || PURPOSE_EMPTY.test(c.sentence)) return false;
        // The noun alone ("Zweck") needs a statement around it: a verb or a label-value line.
        if (/^(?:Zweck|Verarbeitungszweck|Ziel)/i.test(c.m.text))
          return /\b(?:ist|sind|besteht|bestehen|liegt|liegen|dient|dienen|erfolgt|erfolgen|werden|wird|verarbeite|verwende|nutze|speicher|erhebe|erfolgen|zu\s+\w+en\s+Zwecken|zum\s+Zweck|zu\s+Zwecken|Zweck\w*\s*:)/iu.test(
            c.sentence,
          );
        return true;
      },
      80,
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Recipients (Art. 13(1)(e))

const RECIPIENTS = pattern(
  [
    String.raw`\b(?:weitergegeben|weitergeben|weitergebenen|weiterzugeben|weitergeleitet|weiterleiten|Weitergabe|Weiterleitung|übermittelt|übermitteln|Übermittlung|übertragen|Übertragung|offengelegt|offenlegen|Offenlegung|geteilt|teilen|zugänglich\s+gemacht|zur\s+Verfügung\s+gestellt|Zugriff|Zugang)\b`,
    String.raw`\b(?:Empfänger\w*|Auftragsverarbeit\w*|in\s+unserem\s+Auftrag|im\s+Auftrag|Dienstleister\w*|Drittanbieter\w*|Telefonanbieter|Hoster|Webhoster|Hosting\w*|gehostet|betrieben\s+von|durch\s+(?:einen|unseren|einen\s+externen)\s+Beauftragten|technische[nr]?\s+Betrieb)\b`,
    // Compounds ("IT-Dienstleister", "Zahlungsdienstleister"): no word boundary before, so no leading letter run to backtrack over.
    String.raw`dienstleister\w*`,
    String.raw`\b(?:share[sd]?|sharing|disclose[sd]?|disclosure|passed\s+(?:on\s+)?to|transmitted\s+to|transferred\s+to|sent\s+to|made\s+available\s+to|recipients?|processors?|sub-?processors?|service\s+providers?|hosting\s+provider|hosted\s+(?:on|by)|suppliers?|on\s+our\s+behalf|third[-\s]part(?:y|ies))\b`,
  ]
    .map((x) => `(?:${x})`)
    .join('|'),
);
/**
 * "Meta erhält die Insights-Daten", "WhatsApp erhält dabei Ihre Telefonnummer": a named party
 * receives (G5). The pattern starts at the verb (a literal, fast to scan); the check looks at
 * the subject before it.
 */
const RECEIVES = casePattern(
  String.raw`\b(?:erhält|erhalten|empfängt|receives|gets)\s+(?:\S+\s+){0,5}?\S*(?:Daten|Informationen|Telefonnummer|IP-Adresse|E-Mail-Adresse|data|information|address)\b`,
);
const NAMED_SUBJECT =
  /(?:^|[^\p{L}])(?!(?:Sie|Wir|You|We|Ihr|Ihre|Nutzer\p{L}*|Users?)[^\p{L}])\p{Lu}[\p{L}.-]{0,40}\s+$/u;
/** Who receives: a named party, a category, "Dritte", an authority, or a negative ("nicht", "keine"). */
const RECIPIENT_NAMED = ctx(
  String.raw`\b(?:an|mit|gegenüber|durch|bei|von|with|to|by)\s+(?:(?:die|den|das|der|dem|unsere[nmr]?|einen?|ein|the|our|other|a|an|any)\s+)?(?:\S+\s+){0,3}?(?:Dritte\w*|Empfänger\w*|Behörde\w*|Stelle\w*|Dienstleister\w*|Anbieter\w*|Unternehmen|Partner\w*|Auftragsverarbeit\w*|Server\w*|Staatsanwaltschaft\w*|Polizei|Gericht\w*|Ministerium|Verwaltung\w*|Abteilung\w*|Mitglieder\w*|Vorstand|Personen|Mitarbeite\w*|third\s+part\w*|departments?|agencies|bodies|providers?|processors?|suppliers?|authorit\w*|police|partners?|companies|organisations?|organizations?)\b|\b(?:an|mit|to|with)\s+(?:[A-Z][\w.&-]+)|\b(?:nicht|keine|kein|niemals|nie|never|not|no|none|nur|only|ausschließlich)\b|\b(?:Auftragsverarbeit\w*|im\s+Auftrag|in\s+unserem\s+Auftrag|Dienstleister\w*|Beauftragten|processors?|on\s+our\s+behalf|hosting|Hoster|gehostet|hosted|Zugriff|access)\b|\b(?:Empfänger\w*\s+(?:\S+\s+){0,4}?(?:sind|ist)|recipients?\s+(?:\S+\s+){0,4}?(?:are|is|include))\s+\S`,
);
/**
 * The reader or their browser sends data to us: that is collection, not disclosure. Nor is a security
 * statement ("Ein lückenloser Schutz der Daten vor dem Zugriff durch Dritte ist nicht möglich"): it
 * names third parties as attackers, not as recipients (docs/legal-labels.md § 2 recipients).
 */
const TO_US = ctx(
  String.raw`\b(?:übermitteln\s+Sie|Sie\s+übermitteln|übermittelt\s+(?:Ihr|Ihnen)|Ihr\s+Browser\s+(?:automatisch\s+)?übermittelt|übermittelt\s+ihr\s+Browser|an\s+(?:uns|unseren?\s+(?:Web)?[Ss]erver)|(?:you|your\s+browser)\s+(?:send|transmit|provide|share)s?\s+(?:to\s+)?us|share\s+with\s+us|(?:transferred|transmitted|sent|passed|provided)\s+to\s+us|Zugriff\s+auf\s+(?:die\s+)?(?:Website|Webseite|Seite|Internetseite|unsere)|Zugriffs?(?:daten|zeit|status|protokoll)|Zugang\s+zu\s+(?:unserer|der)\s+(?:Website|Webseite)|Datenübertragung|Übertragung\s+(?:der\s+)?(?:Website|Daten\s+per\s+E-Mail)|verschlüsselt\w*\s+übertragen|SSL|TLS|encrypt|unbefugt\w*\s+(?:Zugriff|Zugang)|unberechtigt\w*\s+(?:Zugriff|Zugang)|unauthori[sz]ed\s+access|Schutz\s+(?:\S+\s+){0,3}?vor\s+(?:dem\s+)?(?:Zugriff|Zugang)|protect\w*\s+(?:\S+\s+){0,3}?(?:from|against)\s+(?:\S+\s+)?access)`,
);
/**
 * Not a disclosure: that data-protection rules are kept "sowohl von uns als auch von externen
 * Dienstleistern" (a compliance statement), the reader receiving information ("Im Folgenden erhalten
 * Sie …"), and access to information under a freedom-of-information law ("Gesetz über den Zugang zu
 * Informationen").
 */
const NO_DISCLOSURE = ctx(
  String.raw`\b(?:(?:Vorschriften|Bestimmungen|Regelungen)\s+(?:über\s+den|zum|des)\s+Datenschutz\w*\s+sowohl\s+von\s+uns\s+als\s+auch\s+von|erhalten\s+Sie\s+(?:\S+\s+){0,3}?Informationen|Zugang\s+zu\s+(?:amtlichen\s+)?Informationen|access\s+to\s+(?:official\s+|public\s+)?information\s+(?:act|law))\b`,
);
/**
 * A named party runs the systems the data are processed on: "Der technische Betrieb unserer
 * Datenverarbeitungssysteme erfolgt durch das Landratsamt …", "Die Verantwortlichkeit für den technischen
 * Betrieb trägt die Hessische Zentrale für Datenverarbeitung" — like a named hoster, a recipient whose function
 * implies receiving the data (docs/legal-labels.md § 2 recipients, borderline). Case-sensitive: the party is a name.
 */
const TECHNICAL_OPERATOR = ctx(
  String.raw`\b[Tt]echnische[nr]?\s+Betrieb\w*\s+(?:\S+\s+){0,5}?(?:durch|trägt|obliegt|übernimmt)\s+(?:(?:die|den|das|der|dem)\s+)?\p{Lu}`,
  'u',
);
/**
 * An indirect question that leaves the answer to another place: "Welche Daten … und an wen sie gegebenenfalls
 * übermittelt werden, richtet sich nach der jeweiligen Verwaltungsaufgabe" names no recipient (G4).
 */
const RECIPIENTS_DEPEND = ctx(
  String.raw`\b(?:an\s+wen|wer\s+(?:\S+\s+){0,3}?(?:erhält|Zugriff)|welche[nr]?\s+(?:\S+\s+){0,2}?Empfänger|who\s+(?:we\s+)?(?:share|disclose)\w*)\b[^.]{0,200}?\b(?:richtet\s+sich|hängt\s+(?:\S+\s+){0,3}?ab|depends\s+on)\b`,
);
/** Data the sentence itself calls anonymous (recital 26 GDPR: not personal data). */
const ANONYMOUS_DATA =
  /(?:^|[^\p{L}])(?:anonym(?:e[nrs]?|isierte[nrs]?)\s+(?:[\p{L}-]+\s+)?[\p{L}-]*[Dd]aten|anonymi[sz]ed\s+(?:\w+\s+)?data|anonymous\s+(?:\w+\s+)?data)(?![\p{L}])/u;
/** "We never sell your data" says nothing about disclosure in general (G6). */
const SELL_ONLY = /(?:^|[^\p{L}])(?:verkauf\p{L}*|sell|sold|rent)(?![\p{L}])/giu;

export function findRecipients(s: TextStructure): ElementFinding {
  return foundStatement(
    s,
    firstStatement(
      s,
      [RECIPIENTS, RECEIVES],
      (c) => {
        const t = c.sentence;
        if (
          RIGHTS_DESCRIPTION.test(withLead(c)) ||
          TO_US.test(t) ||
          DEFERS.test(t) ||
          ANNOUNCES_CONTENTS.test(t) ||
          NO_DISCLOSURE.test(t) ||
          RECIPIENTS_DEPEND.test(t)
        )
          return false;
        // Anonymous data are not personal data: "keine Übermittlung anonymer Nutzungsdaten an Dritte".
        if (ANONYMOUS_DATA.test(t)) return false;
        // "Teilen unseres Angebots" is the noun (parts), not the verb (to share).
        if (c.m.text === 'Teilen' && c.m.index > c.sentenceStart) return false;
        if (/^(?:erhält|erhalten|empfängt|receives|gets)\s/u.test(c.m.text))
          return NAMED_SUBJECT.test(
            t.slice(Math.max(0, c.m.index - c.sentenceStart - 60), c.m.index - c.sentenceStart),
          );
        SELL_ONLY.lastIndex = 0;
        if (SELL_ONLY.test(t) && !/(?:weiter|übermitt|share|disclos|pass)/iu.test(t.replace(SELL_ONLY, ' ')))
          return false;
        return RECIPIENT_NAMED.test(t) || TECHNICAL_OPERATOR.test(t);
      },
      120,
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Third-country transfer (Art. 13(1)(f), 44–49)

const THIRD_COUNTRY = pattern(
  [
    String.raw`\b(?:Drittl(?:and|änder|ändern|andes)|Drittstaat(?:en|es)?|(?:außerhalb|ausserhalb|innerhalb)\s+(?:der|des|von)\s+(?:EU|Europäischen\s+Union|EWR|Europäischen\s+Wirtschaftsraum\w*|Deutschland)|außerhalb\s+Europas|(?:in|nach)\s+(?:die|den)\s+(?:USA|Vereinigten\s+Staaten)|in\s+andere\s+(?:Staaten|Länder)|Angemessenheitsbeschlu\w*|Standard(?:vertrags|datenschutz)klauseln|Data\s+Privacy\s+Framework|Privacy\s+Shield|EU-US|UK-US|Art(?:ikel|\.)?\s?4[4-9]\b|(?:ausschließlich|nur)\s+(?:in|im|auf)\s+(?:(?:einem|einer|dem|der|den)\s+)?(?:[\p{L}-]+\s+){0,2}?(?:Deutschland|Österreich|EU|Europäischen\s+(?:Union|Wirtschaftsraum\w*)|[Ee]uropäischen\s+Wirtschaftsraum\w*|EWR|Europa|Rechenzentr\w*|Servern?\s+(?:in|innerhalb)))`,
    String.raw`\b(?:third\s+countr(?:y|ies)|(?:outside|inside|within)\s+(?:of\s+)?the\s+(?:EU|EEA|UK|United\s+Kingdom|European\s+(?:Union|Economic\s+Area))|in\s+the\s+(?:US|USA|United\s+States)\b|(?:UK|United\s+Kingdom)\s+and\s+the\s+(?:EU|EEA|European\s+Economic\s+Area)|in\s+the\s+(?:EU|EEA|European\s+Economic\s+Area|European\s+Union)|adequacy\s+(?:decision|regulations?)|standard\s+contractual\s+clauses|international\s+(?:data\s+)?transfers?|data\s+bridge|overseas|(?:to|into)\s+the\s+(?:EU|EEA|European\s+(?:Union|Economic\s+Area)|US|USA|United\s+States)|(?:exclusively|only)\s+(?:in|within)\s+(?:the\s+)?(?:UK|United\s+Kingdom|EU|EEA|Europe|Germany|Austria))\b`,
  ]
    .map((x) => `(?:${x})`)
    .join('|'),
);
/** A statement about a transfer or where data are processed — not a vendor's address (§ 2 third-country). */
const TRANSFER_VERB = ctx(
  String.raw`\b(?:übermitt\w*|Übermittlung\w*|übertrag\w*|Übertragung\w*|verarbeit\w*|gespeichert|speicher\w*|gehostet|zertifiziert|Garantie\w*|Angemessenheit\w*|Standard\w*klauseln|Datenschutzniveau|transfer\w*|process\w*|stored|stor\w*|hosted|certified|safeguards?|adequacy|contractual|leaves?|flows?)\b`,
);

export function findThirdCountry(s: TextStructure): ElementFinding {
  return foundStatement(
    s,
    firstStatement(
      s,
      [THIRD_COUNTRY],
      (c) => {
        const t = c.sentence;
        if (RIGHTS_DESCRIPTION.test(t) || DEFERS.test(t)) return false;
        if (
          /\b(?:sollte|sollten|should)\b[^.]{0,120}\b(?:erforderlich|notwendig|necessary|required)\s+(?:werden|become)/iu.test(
            t,
          )
        )
          return false;
        return TRANSFER_VERB.test(t);
      },
      80,
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Storage period (Art. 13(2)(a))

const STORAGE = pattern(
  String.raw`\b(?:Protokollierung|protokolliert|gespeichert|speichern|speichert|Speicherung|gelöscht|löschen|löscht|Löschung|aufbewahrt|aufbewahren|bewahren|bewahrt|Aufbewahrung\w*|Speicherdauer|Speicherfrist\w*|Löschfrist\w*|anonymisiert|vernichtet|archiviert|verfallen|verfällt|Gültigkeitsdauer|Laufzeit|kept|keep|retain\w*|retention|stored|store|deleted|delete|erased|destroyed|hold|held|preservation|preserved)\b`,
);
const NUMBER_WORD = String.raw`(?:\d+(?:[.,]\d+)?|eine[mnr]?|ein|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|vierzehn|fünfzehn|achtzehn|zwanzig|dreißig|sechzig|neunzig|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|fifteen|eighteen|twenty|thirty|sixty|ninety|a|an)`;
/** (a) a time span or date, (b) a concrete end event, (c) a named retention rule, (d) "not stored" (G6). */
const STORAGE_SUBSTANCE = ctx(
  [
    String.raw`\b${NUMBER_WORD}\s+(?:\S+\s+)?(?:Sekunde\w*|Minute\w*|Stunde\w*|Tag\w*|Woche\w*|Monat\w*|Jahr\w*|Kalenderjahr\w*|Werktag\w*|seconds?|minutes?|hours?|days?|weeks?|months?|years?|working\s+days)\b`,
    String.raw`\bbis\s+(?:zum\s+)?\d{1,2}\.\s?\d{1,2}\.`,
    String.raw`\b(?:nach\s+(?:dem\s+|der\s+)?(?:Ende|Abschluss|Beendigung|Ablauf|Erledigung|Wegfall|Schließen|Verlassen|Austritt|Exmatrikulation|Ausscheiden)|nach\s+(?:dem\s+|der\s+)?\w+(?:ende|abschluss|beendigung|ablauf)\b|sobald\b[^.]{0,100}\b(?:bearbeitet|erledigt|abgeschlossen|beendet|beantwortet|widerrufen|abgemeldet|gekündigt|geschlossen|verlassen|abgelaufen)|bis\s+zu[mr]?\s+(?:Widerruf|Abmeldung|Kündigung|Ende|Austritt|Löschung\s+Ihres)|Ende\s+(?:der|Ihrer)\s+(?:Sitzung|Browsersitzung|Verbindung|Mitgliedschaft|Sitzungsdauer|Session)|(?:Browser\w*|Sitzung\w*)\s+(?:beendet|geschlossen|schließen)|Exmatrikulation|Ausscheiden|widerrufen|Widerruf|abmelden|Abmeldung|Kündigung|after\s+(?:the\s+)?(?:end|termination|completion|closure)|(?:as\s+long\s+as|while):?\s+you\b|until\s+you\b|has\s+ended|have\s+ended|is\s+closed|unsubscribe|withdraw\w*|browser\s+session\s+ends|session\s+ends|end\s+of\s+(?:the\s+|your\s+)?(?:session|contract|membership|registration)|für\s+die\s+Dauer\s+(?:der|des|einer|eines|Ihrer|Ihres)\s+(?!Erforderlichkeit|Notwendigkeit|Zweck|Bedarf|Verarbeitung|Speicherung)[\p{L}-]{4,}|for\s+the\s+duration\s+of\s+(?:the|your|a|an)\s+(?!purpose|processing|need)\w{4,})`,
    String.raw`\b(?:gesetzlich\w*\s+(?:Aufbewahrungs\w*|Speicher\w*|Lösch\w*|Archiv\w*)|Aufbewahrungs(?:frist|pflicht)\w*|Aktenordnung|Archivgesetz\w*|Archivrecht|Registraturrichtlinie|Verwaltungsvorschrift\w*|§§?\s?\d+[^.]{0,50}?\b(?:HGB|AO|IT-Ordnung|[A-Z][\p{L}]*VO|[A-Z][\p{L}]*G)\b|statutory|required\s+by\s+(?:\w+\s+){0,2}law|(?:in\s+line\s+with|in\s+accordance\s+with|according\s+to|as\s+set\s+out\s+in)\s+(?:[^.\n]{0,80}?\s)?retention\s+(?:and\s+\w+\s+)?(?:schedules?|polic\w+|periods?)|records?\s+management\s+polic\w*|permanent\s+preservation|preserved\s+permanently|dauerhaft(?:en)?\s+(?:Archivierung|archiviert)|unbefristet\w*\s+(?:Archivierung|Aufbewahrung|aufbewahrt))`,
    String.raw`\b(?:nicht\s+(?:dauerhaft\s+)?(?:[^.\n]{0,40}?\s)?gespeichert|keine\s+(?:dauerhafte\s+)?Speicherung|speicher(?:n|t)\s+(?:\w+\s+)?keine|stores?\s+no\b|(?:sofort|unmittelbar|umgehend)\s+(?:wieder\s+)?gelöscht|not\s+(?:be\s+)?stored|(?:deleted|erased)\s+immediately|immediately\s+(?:deleted|erased)|do\s+not\s+store|ohne\s+(?:die\s+|eine\s+)?(?:Protokollierung|Speicherung)|keine\s+Protokollierung|nicht\s+protokolliert|not\s+logged|no\s+logging)\b`,
  ].join('|'),
);
/** Erasure as a right (Art. 17), not a retention statement. */
const ERASURE_RIGHT = ctx(
  String.raw`\b(?:Recht\w*\s+auf\s+(?:[\p{L}]+,\s+)*Löschung|Löschung\s+(?:\S+\s+){0,6}(?:verlangen|beantragen|fordern)|right\s+to\s+(?:erasure|deletion|have)|request\s+(?:the\s+)?(?:deletion|erasure)|ask\s+(?:us\s+)?to\s+delete)\b`,
);

export function findStoragePeriod(s: TextStructure): ElementFinding {
  return foundStatement(
    s,
    firstStatement(
      s,
      [STORAGE],
      (c) => {
        const t = withLead(c);
        if (ERASURE_RIGHT.test(t) || DEFERS.test(t)) return false;
        if (
          RIGHTS_DESCRIPTION.test(c.sentence) &&
          !/\b(?:gespeichert|aufbewahrt|stored|kept|retained)\b/iu.test(c.sentence)
        )
          return false;
        // A lead line ("We will retain your data for as long as:") goes on in the list below it.
        const own =
          /:\s*$/.test(c.sentence) && c.line + 1 < s.starts.length
            ? `${c.sentence} ${s.lineHead(c.line + 1, 300)}`
            : c.sentence;
        if (STORAGE_SUBSTANCE.test(own)) return true;
        // "Die Daten werden gelöscht, sobald … nicht mehr erforderlich. Im Falle … ist dies der Fall, wenn
        // die jeweilige Sitzung beendet ist.": the next sentence names the end event of the first.
        const end = c.sentenceStart + c.sentence.length;
        const next = /^[\s\S]{0,300}?[.!?](?=\s|$)/u.exec(s.text.slice(end, end + 300))?.[0] ?? '';
        return (
          /\b(?:der\s+Fall,?\s+wenn|is\s+the\s+case\s+(?:when|once))\b/iu.test(next) && STORAGE_SUBSTANCE.test(next)
        );
      },
      150,
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Cookies (§ 25 TDDDG), joint control (Art. 26), social media, controller by reference

const COOKIES = rule('privacy', 'cookies_tdddg');
const DEVICE_STATEMENT = ctx(
  String.raw`\b(?:Cookie\w*|Endgerät\w*|Endeinrichtung\w*|Gerät\w*|Browser\w*|Local\s?Storage|Session\s?Storage|Speicher\w*|device|stored|store|set|setzt|setzen|gespeichert|abgelegt|verwende\w*|use[sd]?)\b`,
);

/**
 * Storage on the user's device said in other words than "Cookie" (§ 2 cookies: "similar storage of
 * or access to information on the device"; § 25 Abs. 1 TDDDG "Speicherung von Informationen in der
 * Endeinrichtung"): apps that keep data "auf Ihrem Smartphone", "im App-Speicher", "stored on the device".
 */
const DEVICE = String.raw`(?:Endgerät\w*|Endeinrichtung|Gerät\w*|Smartphone\w*|Mobiltelefon\w*|Handy\w*|Tablet\w*|device|phone|smartphone|browser)`;
const DEVICE_STORAGE = pattern(
  [
    String.raw`\b(?:gespeichert|abgelegt|hinterlegt|speicher[nt]|gesichert)\s+(?:[^.\n]{0,50}?\s)?(?:lokal\s+)?(?:am|im|auf\s+(?:Ihrem|Ihren|deinem|dem|einem))\s+(?:eigenen\s+|lokalen\s+)?${DEVICE}`,
    String.raw`\b(?:lokal\s+)?(?:am|auf\s+(?:Ihrem|deinem|dem))\s+(?:eigenen\s+|lokalen\s+)?${DEVICE}\s+(?:[^.\n]{0,40}?\s)?(?:gespeichert|abgelegt|hinterlegt)`,
    String.raw`\b(?:App-Speicher|Gerätespeicher|Speicher\s+(?:Ihres|des|Deines)\s+(?:End)?(?:Geräts|Gerätes|Smartphones|Mobiltelefons)|app\s+(?:memory|storage)|device\s+storage)\b`,
    String.raw`\b(?:stored|saved|kept|held|retained|cached)\s+(?:locally\s+)?(?:only\s+)?(?:on|in)\s+(?:your|the|a\s+user's)\s+(?:own\s+)?${DEVICE}`,
    String.raw`\bstored\s+locally\b`,
  ]
    .map((x) => `(?:${x})`)
    .join('|'),
);

/**
 * A sentence that only sends the reader elsewhere for cookies ("For information about cookies please see:",
 * "Informationen zu Cookies finden Sie in unserer Cookie-Richtlinie") informs about nothing (docs/legal-labels.md G4).
 */
const COOKIES_ELSEWHERE = ctx(
  String.raw`^\s*(?:(?:Weitere|Nähere|Mehr|Alle)\s+)?(?:Informationen|Hinweise|Details|Angaben|(?:more\s+|further\s+)?information|details)\s+(?:zu|zum|zur|über|about|on|regarding)\s+(?:den\s+|die\s+|unseren?\s+|the\s+|our\s+)?(?:Einsatz\s+von\s+|Verwendung\s+von\s+|use\s+of\s+)?Cookies?\s*(?:finden\s+Sie|erhalten\s+Sie|siehe|please\s+see|see|can\s+be\s+found|are\s+available|is\s+available)\b[^.!?]{0,120}[.:]?\s*$|^\s*For\s+(?:more\s+|further\s+)?information\s+(?:about|on|regarding)\s+(?:the\s+use\s+of\s+|our\s+)?cookies?,?\s+(?:please\s+)?see\b[^.!?]{0,120}[.:]?\s*$`,
);
const PERSONAL_DATA_EXAMPLES = ctx(
  String.raw`^\s*(?:Hierunter|Darunter|Dazu)\s+(?:fallen|zählen|gehören)\b|\bpersonenbezogene\s+Daten\s+sind\s+(?:alle\s+)?(?:Informationen|Angaben)\b|\bpersonal\s+data\s+(?:means|is\s+any)\b`,
);
export function findCookies(s: TextStructure): ElementFinding {
  // The device-storage wordings are looked for only in a text that never says "Cookie" (an app's
  // notice): they start with common words and would cost a full scan on every notice.
  return foundStatement(
    s,
    firstStatement(s, [COOKIES], (c) => {
      const t = c.sentence;
      // "§ 25 TDDDG" cited alone, or a link to someone's cookie policy, informs about nothing on the device.
      if (/^§/.test(c.m.text) || /richtlinie|policy|settings|einstellungen|banner/i.test(c.m.text)) {
        const rest = t.replace(c.m.text, '');
        return /\bCookies?\b|Endeinrichtung|local\s?storage/iu.test(rest) && DEVICE_STATEMENT.test(rest);
      }
      // … and an unfilled template placeholder ("{% translate "footer.cookies.link" %}") is no content (G8).
      if (COOKIES_ELSEWHERE.test(t) || /^\s*(?:\{%[^%]*%\}|\{\{[^}]*\}\})\s*$/u.test(t)) return false;
      // Cookies named only as an example of personal data ("Hierunter fallen z. B. die IP-Adresse und Cookies
      // mit Personenbezug") say nothing about their use on this site (§ 2 cookies).
      if (PERSONAL_DATA_EXAMPLES.test(t)) return false;
      return !/^\s*(?:Cookie-?(?:Einstellungen|Richtlinie|Settings|Policy)|Cookies?)\s*$/iu.test(t);
    }) ?? firstStatement(s, [DEVICE_STORAGE]),
  );
}

const JOINT = pattern(
  String.raw`\b(?:gemeinsam(?:e|en|er)?\s+Verantwortlich\w*|gemeinsam\s+(?:mit\s+(?:\S+\s+){1,5})?verantwortlich|Art(?:ikel|\.)?\s?26\s?(?:Abs\.?\s?\d\s?)?(?:DSGVO|DS-GVO|GDPR|EU-DSGVO)|Vereinbarung\s+(?:nach|gemäß|gem\.)\s+Art(?:ikel|\.)?\s?26|joint(?:ly)?\s+(?:responsib\w*|controll\w*)|joint\s+controllers?|Page\s+Insights\s+Controller\s+Addendum)\b`,
);

/**
 * A statement, not a mention (docs/legal-labels.md § 2 joint-control): the clause that names joint
 * control or Art. 26 says something — who is jointly responsible, that an arrangement exists or
 * where to find it. A label–link line ("Vereinbarung über gemeinsame Verarbeitung (Art. 26 DS-GVO):
 * https://…") and a citation in passing have no such verb.
 */
const JOINT_STATEMENT = ctx(
  String.raw`\b(?:sind|ist|sei(?:en)?|besteh\w*|bestanden|hat|haben|wurden?|werden|geschlossen|abgeschlossen|getroffen|vereinbart|festgelegt|geregelt|regelt|verantwortlich|erhält|erhalten|finden\s+Sie|betreib(?:en|t)|betrieben|verarbeite[nt]?|operated?|operates|process(?:es|ed)?|einsehen|abrufbar|are|is|was|were|have|has|entered|concluded|agreed|act(?:s|ing)?|responsible|share|available|find)\b`,
);
export function findJointControl(s: TextStructure): ElementFinding {
  if (s.lacks(['gemeinsam', '26', 'joint', 'insights'])) return NOT_FOUND;
  return foundStatement(
    s,
    firstStatement(
      s,
      [JOINT],
      (c) =>
        !/^\s*(?:Gemeinsame\s+Verantwortlich\w*|Joint\s+control\w*)\s*$/iu.test(c.sentence) &&
        JOINT_STATEMENT.test(clauseAround(c, LINK_CLAUSE_CUT).replace(c.m.text, ' ')),
    ),
  );
}

const PLATFORM = String.raw`(?:Facebook|Instagram|X|Twitter|YouTube|TikTok|LinkedIn|Xing|XING|Mastodon|Threads|Bluesky|Pinterest|Flickr|Vimeo|WhatsApp-Kanal|Telegram-Kanal|WhatsApp\s+channel|Telegram\s+channel)`;
const SOCIAL_PRESENCE = pattern(
  [
    rule('privacy', 'social_media_notice')?.source ?? '(?!)',
    String.raw`\b(?:unterhalten|betreiben|nutzen|haben|pflegen)\s+(?:wir\s+)?(?:eine[nrs]?|ein|unsere[nrs]?)\s+(?:eigene[nrs]?\s+)?${PLATFORM}[-\s]?(?:Seite|Seiten|Auftritt\w*|Kanal|Kanäle|Profil\w*|Account\w*|Präsenz\w*|Fanpage)`,
    String.raw`\bunsere[nmrs]?\s+(?:Auftritt\w*|Profil\w*|Kanal|Kanäle\w*|Seiten?|Präsenz\w*|Account\w*|Fanpage\w*|Social-Media-\w+)\s+(?:bei|auf|in)\s+(?:\w+,\s+)*${PLATFORM}`,
    String.raw`\bunsere[nmrs]?\s+${PLATFORM}[-\s](?:Seite|Seiten|Auftritt\w*|Kanal|Kanäle|Profil\w*|Account\w*|Präsenz\w*|Fanpage)`,
    String.raw`\bour\s+(?:official\s+)?${PLATFORM}\s+(?:page|pages|channel|channels|account|accounts|profile|profiles|presence)`,
    String.raw`\bour\s+(?:pages?|channels?|accounts?|profiles?|presences?)\s+on\s+${PLATFORM}`,
    // "Wir betreiben eine Präsenz auf der Plattform Instagram", "we have a page on Facebook", "we run a YouTube channel".
    String.raw`\b(?:unterhalten|betreiben|pflegen|haben)\s+(?:wir\s+)?(?:eine[nrs]?|ein)\s+(?:eigene[nrs]?\s+)?(?:Präsenz|Auftritt|Profil|Seite|Kanal|Account|Fanpage)\s+(?:auf|bei|in)\s+(?:(?:der|dem)\s+(?:Plattform|Netzwerk|Dienst)\s+)?${PLATFORM}`,
    String.raw`\bwe\s+(?:have|maintain|operate|run)\s+(?:an?|our\s+own)\s+(?:(?:page|channel|account|profile|presence)\s+on\s+${PLATFORM}|${PLATFORM}\s+(?:page|channel|account|profile))`,
  ]
    .map((x) => `(?:${x})`)
    .join('|'),
);

/**
 * Where a social-media statement can be: a platform's name or a word for a presence. The presence
 * patterns (many leading alternatives, slow to scan) run only on the sentences around these.
 */
const SOCIAL_ANCHOR = casePattern(
  String.raw`\b(?:Facebook|Instagram|Twitter|YouTube|Youtube|TikTok|LinkedIn|Xing|XING|Mastodon|Threads|Bluesky|Pinterest|Flickr|Vimeo|WhatsApp|Telegram|Social[-\s]?Media|[Ss]oziale[nr]?\s+(?:Medien|Netzwerk\w*|Plattform\w*)|social\s+(?:media|networks?|platforms?)|X)\b`,
);

/** Words for a presence of one's own on a platform (not plugins, buttons or embedded videos). */
const PRESENCE_WORD = String.raw`(?:Onlinepräsenz\w*|Online-Präsenz\w*|Präsenz\w*|Auftritt\w*|Profil\w*|Fanpages?|Kanäle|Kanal|Accounts?|Seiten)`;
const SOCIAL_PLACE = String.raw`(?:sozialen?\s+(?:Medien|Netzwerk\w*|Plattform\w*)|sozialer\s+(?:Medien|Netzwerke|Plattformen)|Social[-\s]?Media(?:-Plattform\w*|-Netzwerk\w*)?|social\s+(?:media|networks?|platforms?))`;
/**
 * A presence stated without a platform in the same words: "Wir unterhalten Onlinepräsenzen
 * innerhalb sozialer Netzwerke", "Wir unterhalten in sozialen Medien Profile", "die
 * Social-Media-Auftritte des Vereins", "we maintain online presences on social media". It counts
 * when a platform is named in the sentence or the passage that follows (§ 2 social-media: at least
 * one platform named).
 */
const SOCIAL_PRESENCE_GENERIC = pattern(
  [
    String.raw`\b(?:unterhalten|betreiben|pflegen)\s+(?:wir\s+)?(?:(?:eigene|öffentlich\w*|verschiedene|mehrere|folgende)\s+)?${PRESENCE_WORD}\s+(?:in|innerhalb|bei|auf)\s+(?:(?:der|den|dem|verschiedenen|mehreren|folgenden|sogenannten|so\s+genannten)\s+)?${SOCIAL_PLACE}`,
    String.raw`\b(?:unterhalten|betreiben|pflegen)\s+(?:wir\s+)?(?:in|innerhalb|bei|auf)\s+(?:(?:der|den|dem|verschiedenen|mehreren|folgenden)\s+)?${SOCIAL_PLACE}\s+(?:(?:eigene|öffentlich\w*|verschiedene|mehrere)\s+)?${PRESENCE_WORD}`,
    String.raw`\bSocial-Media-(?:Auftritt|Präsenz|Profil|Kan(?:al|äle)|Account|Seite)\w*\s+(?:des|der|unsere[rs]?)\s`,
    String.raw`\bwe\s+(?:maintain|operate|run|have)\s+(?:an?\s+|our\s+own\s+|official\s+)?(?:online\s+)?(?:presences?|pages?|profiles?|accounts?|channels?)\s+(?:on|in|within)\s+(?:(?:various|several|the\s+following)\s+)?${SOCIAL_PLACE}`,
  ]
    .map((x) => `(?:${x})`)
    .join('|'),
);
const PLATFORM_NAMED = casePattern(
  String.raw`\b(?:Facebook|Instagram|Twitter|YouTube|Youtube|TikTok|LinkedIn|Xing|XING|Mastodon|Threads|Bluesky|Pinterest|Flickr|Vimeo|WhatsApp-Kanal|Telegram-Kanal)\b`,
);

/** The text from `offset` to the next heading, at most 3,000 characters: the passage a statement opens. */
function sectionFrom(s: TextStructure, offset: number): string {
  const max = Math.min(s.text.length, offset + 3000);
  for (let i = s.lineAt(offset) + 1; i < s.starts.length && s.starts[i]! < max; i++)
    if (s.kind(i) === 'heading') return s.text.slice(offset, s.starts[i]);
  return s.text.slice(offset, max);
}

/**
 * The first sentence, in text order, that states an own presence: with its platform named
 * (SOCIAL_PRESENCE), or in general words with a platform named in the passage it opens
 * (SOCIAL_PRESENCE_GENERIC). Both are looked for only in sentences holding an anchor.
 */
export function findSocialMedia(s: TextStructure): ElementFinding {
  let lastSentence = -1;
  for (const a of eachMatch(SOCIAL_ANCHOR, s.text, 60)) {
    const [ss, se] = s.sentenceAt(a.index);
    if (ss === lastSentence) continue;
    lastSentence = ss;
    const sentence = s.text.slice(ss, se);
    const m = firstMatch(SOCIAL_PRESENCE, sentence);
    if (m) {
      const c = candidateAt(s, { ...m, index: ss + m.index, end: ss + m.end });
      if (c.kind === 'toc' || c.kind === 'nav') continue;
      if (/\b(?:keine|nicht|no|not)\b/iu.test(sentence.slice(0, m.index + 40))) continue;
      // A notice written for the presence: its title names it and content follows (§ 2 social-media).
      if (c.kind === 'heading') {
        const f = headingWithBlock(s, SOCIAL_PRESENCE, null, undefined, c.line);
        if (f.found) return f;
        continue;
      }
      return foundStatement(s, c);
    }
    const g = firstMatch(SOCIAL_PRESENCE_GENERIC, sentence);
    if (!g) continue;
    const c = candidateAt(s, { ...g, index: ss + g.index, end: ss + g.end });
    if (!isContentKind(c.kind) || /\b(?:keine|nicht|no|not)\b/iu.test(sentence.slice(0, g.end))) continue;
    if (firstMatch(PLATFORM_NAMED, sectionFrom(s, ss)) !== null) return foundStatement(s, c);
  }
  return NOT_FOUND;
}

const REFERENCE = pattern(
  String.raw`\b(?:Impressum\w*|imprint|legal\s+notice|site\s+notice|Anbieterkennzeichnung|Kontaktseite|contact\s+page|allgemeinen\s+Datenschutz\w*|general\s+privacy\s+(?:notice|policy))\b`,
);
const REFERS = ctx(
  String.raw`\b(?:siehe|see|genannt\w*|angegeben\w*|aufgeführt\w*|aufgelistet\w*|finden\s+Sie|entnehmen|refer\w*|über\s+das|via\s+the|in\s+(?:unserem|dem)\b|in\s+our\b|unter\b|listed|found|stated|given)\b`,
);
const ABOUT_CONTROLLER = ctx(
  String.raw`\b(?:Verantwortlich\w*|Anbieter\w*|Betreiber\w*|Kontakt\w*|Anschrift\w*|Adresse\w*|Stelle|erreichen|wenden|contact\w*|controller|address|responsible|operator|provider|communication|Kommunikation)\b`,
);

export function findControllerByReference(s: TextStructure): ElementFinding {
  if (
    s.lacks([
      'impressum',
      'imprint',
      'notice',
      'anbieterkennzeichnung',
      'kontaktseite',
      'contact page',
      'datenschutz',
      'privacy',
    ])
  )
    return NOT_FOUND;
  return foundStatement(
    s,
    firstStatement(s, [REFERENCE], (c) => {
      const t = withLead(c);
      if (/\b(?:siehe\s+oben|see\s+above)\b/iu.test(t) && !/Impressum|imprint|legal\s+notice/iu.test(t)) return false;
      if (/\b(?:Meta|Facebook|Google|Instagram|YouTube|LinkedIn|TikTok)\b/u.test(t) && !/\bunser\w*|\bour\b/iu.test(t))
        return false;
      return REFERS.test(t) && ABOUT_CONTROLLER.test(t);
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Headings that qualify the block below them (G2)

/**
 * A heading or lead line matching `re` (and `cue`, when given) followed by a content line:
 * evidence "heading […] first content line". Used where the rulebook lets a heading qualify the
 * block under it (complaint right with the authority's address, a notice titled for a profile).
 */
export function headingWithBlock(
  s: TextStructure,
  re: RegExp | null,
  cue: Test | null,
  accept: (head: string, before: string) => boolean = () => true,
  onlyLine = -1,
): ElementFinding {
  let from = onlyLine >= 0 ? s.starts[onlyLine]! : 0;
  for (let n = 0; n < 30; n++) {
    const m = firstMatch(re, s.text, from);
    if (!m || (onlyLine >= 0 && s.lineAt(m.index) !== onlyLine)) break;
    from = m.end > m.index ? m.end : m.index + 1;
    const line = s.lineAt(m.index);
    const kind = s.kind(line);
    if (kind !== 'heading' && kind !== 'lead') continue;
    const head = s.lineHead(line, 200).trim();
    if (cue && !cue.test(head)) continue;
    if (!accept(head, s.text.slice(Math.max(0, s.starts[line]! - 300), s.starts[line]!))) continue;
    for (let j = line + 1; j < s.starts.length && j <= line + 3; j++) {
      const k = s.kind(j);
      if (k === 'nav') continue;
      if (k === 'toc' || k === 'heading') {
        // An address block starts with the authority's name, which has a heading's shape.
        if (j === line + 1 && j + 1 < s.starts.length && isContentKind(s.kind(j + 1))) continue;
        if (k === 'toc') break;
      }
      if (isContentKind(k))
        return { found: true, evidence: joinEvidence([head, sentenceEvidence(s, s.starts[j]!, s.starts[j]! + 1, 80)]) };
    }
  }
  return NOT_FOUND;
}

/** A lead line ("Rechtsgrundlage:") matching `re` whose next line carries `substance`. */
function leadWithNext(s: TextStructure, re: RegExp | null, substance: Test): ElementFinding {
  let from = 0;
  for (let n = 0; n < 30; n++) {
    const m = firstMatch(re, s.text, from);
    if (!m) break;
    from = m.end > m.index ? m.end : m.index + 1;
    const line = s.lineAt(m.index);
    if (s.kind(line) !== 'lead' || line + 1 >= s.starts.length) continue;
    const next = s.lineHead(line + 1, 400);
    if (!substance.test(next) || OBJECTION_CONTEXT.test(next)) continue;
    return {
      found: true,
      evidence: joinEvidence([
        sentenceEvidence(s, m.index, m.end, 70),
        sentenceEvidence(s, s.starts[line + 1]!, s.starts[line + 1]! + 1, 60),
      ]),
    };
  }
  return NOT_FOUND;
}
