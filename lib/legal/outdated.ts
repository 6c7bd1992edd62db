/**
 * Repealed law cited as if in force (docs/legal-labels.md § 3.1; R-IMP-11): TMG and TTDSG
 * (replaced by DDG and TDDDG on 14.05.2024), RStV/MDStV/TDG (MStV since 07.11.2020), pre-2018
 * BDSG provisions, Directive 95/46/EC (Art. 94 GDPR), Privacy Shield and Safe Harbor (CJEU
 * C-311/18, C-362/14), the EU ODR platform (Regulation (EU) 2024/3228), AT DSG 2000 / § 96 TKG
 * 2003, UK Data Protection Act 1998. Headings count (an imprint titled "Angaben gemäß § 5 TMG").
 * A citation the text itself marks as replaced ("TDDDG, vormals TTDSG") does not count, nor the GDPR's own
 * title ("… und zur Aufhebung der Richtlinie 95/46/EG", "repealing Directive 95/46/EC", Regulation (EU) 2016/679).
 */
import { type ElementFinding, NOT_FOUND, type RuleMatch, allMatches, compileRule, eachMatch } from './patterns';
import { joinEvidence } from './structure';

const SECTION = String.raw`§§?\s?\d+[a-z]?(?:\s?(?:Abs(?:atz|\.)?|\()\s?\d+\)?)?(?:\s?(?:S(?:atz|\.)?)\s?\d+)?(?:\s?Nr\.?\s?\d+)?(?:\s?(?:bis|-|–|und|,)\s?\d+)?\s?`;
/** Case-sensitive: "TMG", "RStV", "TDG" are abbreviations; lower-case "tmg" is not a citation. */
const OUTDATED = compileRule(
  [
    String.raw`${SECTION}(?:des\s+)?(?:TMG|Telemediengesetz(?:es)?|TTDSG|RStV|Rundfunkstaatsvertrag(?:es)?|MDStV|TDG)\b`,
    String.raw`(?:section|sec\.)\s?\d+[^.\n]{0,40}?(?:Telemedia\s+Act|Interstate\s+(?:Broadcasting\s+)?Treaty\s+on\s+Broadcasting|TMG|RStV)(?:\s?\((?:TMG|RStV)\))?`,
    String.raw`(?:German\s+)?Telemedia\s+Act(?:\s?\(TMG\))?`,
    String.raw`Telemediengesetz(?:es)?(?:\s?\(TMG\))?`,
    String.raw`Rundfunkstaatsvertrag(?:es)?(?:\s?\(RStV\))?`,
    String.raw`Teledienstegesetz(?:es)?|Mediendienste-Staatsvertrag(?:es)?`,
    String.raw`\b(?:TMG|TTDSG|RStV|MDStV)\b`,
    String.raw`Telekommunikation-Telemedien-Datenschutz-Gesetz(?:es)?`,
    String.raw`§\s?(?:3a|4a|4f|4g|6b|28|29)\s?BDSG\b|\bBDSG\s?(?:a\.\s?F\.|\(?alt\)?(?!\w))`,
    String.raw`(?:Richtlinie|Directive|RL)\s+95/46/E[GC]|\b95/46/E[GC]`,
    String.raw`(?:EU-US[-\s])?Privacy[-\s]Shield|Safe[-\s]Harbou?r|Datenschutzschild`,
    String.raw`Online-Streitbeilegung|OS-Plattform|ec\.europa\.eu/consumers/odr|\(EU\)\s?Nr\.?\s?524/2013|524/2013|[Oo]nline\s+[Dd]ispute\s+[Rr]esolution|ODR[-\s][Pp]latt?form`,
    String.raw`\bDSG\s?2000\b|§\s?96\s?(?:(?:Abs\.?|Absatz|Section|para\.?)\s?\d\s?)?TKG|\bTKG\s?2003\b|Telekommunikationsgesetz(?:es)?\s+(?:\([^)\n]{1,20}\)\s+)?2003|Data\s+Protection\s+Act\s+1998`,
  ]
    .map((s) => `(?:${s})`)
    .join('|'),
  'g',
  '',
);

/**
 * Every citation contains one of these words: the full pattern (many alternatives, slow to scan)
 * runs only in a window around them.
 */
const ANCHOR = compileRule(
  String.raw`TMG|Telemedi|TTDSG|RStV|Rundfunkstaatsv|MDStV|\bTDG\b|Teledienste|Mediendienste|BDSG|95/46|Privacy[-\s]Shield|Safe[-\s]Harbou?r|Datenschutzschild|Streitbeilegung|OS-Plattform|consumers/odr|524/2013|[Dd]ispute\s+[Rr]esolution|ODR|DSG\s?2000|TKG|Telekommunikationsgesetz|Data\s+Protection\s+Act\s+1998`,
  '',
  '',
);

/** The text marks the citation as history, not as the law in force. */
const MARKED_REPLACED =
  /(?:vormals|früher|ehemals|ehemalig|bisher|formerly|previously|ersetzt|abgelöst|aufgehoben|Aufhebung|repeal\w*|ungültig|für\s+nichtig|invalid|nicht\s+mehr|no\s+longer|außer\s+Kraft|bis\s+(?:zum\s+)?1[34]\.\s?(?:0?5\.|Mai))/i;

export interface OutdatedCitations {
  finding: ElementFinding;
  /** Every distinct citation, as written (whitespace collapsed), at most 10. */
  citations: string[];
}

export function findOutdatedRefs(text: string): OutdatedCitations {
  const citations: string[] = [];
  const keys = new Set<string>();
  let scannedTo = 0;
  const found: RuleMatch[] = [];
  for (const a of eachMatch(ANCHOR, text, 400)) {
    if (a.index < scannedTo) continue;
    const ws = Math.max(scannedTo, a.index - 90);
    const we = Math.min(text.length, a.end + 60);
    for (const m of allMatches(OUTDATED, text.slice(ws, we), 20))
      found.push({ ...m, index: ws + m.index, end: ws + m.end });
    scannedTo = we;
    if (found.length >= 200) break;
  }
  for (const m of found) {
    const around = text.slice(Math.max(0, m.index - 40), Math.min(text.length, m.end + 40));
    if (MARKED_REPLACED.test(around)) continue;
    const c = m.text.replace(/\s+/g, ' ').trim();
    const key = c.toLowerCase().replace(/[^a-z0-9§]/g, '');
    if (keys.has(key)) continue;
    keys.add(key);
    citations.push(c);
    if (citations.length >= 10) break;
  }
  return { finding: citations.length ? { found: true, evidence: joinEvidence(citations) } : NOT_FOUND, citations };
}
