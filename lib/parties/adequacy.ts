/**
 * Where personal data may go without extra safeguards (Chapter V GDPR).
 *
 * - `eea`: the 27 EU member states plus Iceland, Liechtenstein and Norway (EEA Agreement).
 * - `adequate`: a Commission adequacy decision under Art. 45 GDPR (or its predecessor, Art. 25(6)
 *   of Directive 95/46/EC, kept in force by Art. 45(9) GDPR).
 * - `conditional`: the United States. Decision (EU) 2023/1795 (EU-US Data Privacy Framework) covers
 *   only organisations certified under the DPF; the extension cannot check a certification, so a US
 *   recipient is "conditional", never plainly adequate. The General Court upheld the decision on
 *   3 Sept 2025 (T-553/23, Latombe), an appeal is possible.
 * - `third-country`: everything else: transfers need Art. 46 safeguards (SCCs …) or Art. 49.
 *
 * The country lists come from lib/legal/rules.json (`adequacy`); the decision numbers and dates
 * below are the Commission's (https://commission.europa.eu/law/law-topic/data-protection/international-dimension-data-protection/adequacy-decisions_en).
 * Review before each release: decisions are renewed, amended and annulled (Schrems I and II did).
 */
// Named import: the bundler then keeps only this key of the 170 KB rules file.
import { adequacy } from '../legal/rules.json';

export type TransferStatus = 'eea' | 'adequate' | 'conditional' | 'third-country' | 'unknown';

export interface AdequacyDecision {
  country: string;
  /** Decision reference, e.g. "(EU) 2019/419". */
  decision: string;
  /** Date of the decision (ISO 8601); null where our sources do not yet confirm it. */
  adopted: string | null;
  scope?: string;
  note?: string;
}

/** Adequacy decisions, Art. 45 GDPR. */
export const ADEQUACY_DECISIONS: readonly AdequacyDecision[] = [
  { country: 'AD', decision: '2010/625/EU', adopted: '2010-10-19' },
  { country: 'AR', decision: '2003/490/EC', adopted: '2003-06-30' },
  {
    country: 'BR',
    decision: 'adequacy decision for Brazil (number to be verified)',
    adopted: null,
    note: 'Reported as adopted in early 2026 (lib/legal/rules.json); date and number to be verified.',
  },
  { country: 'CA', decision: '2002/2/EC', adopted: '2001-12-20', scope: 'commercial organisations under PIPEDA' },
  { country: 'CH', decision: '2000/518/EC', adopted: '2000-07-26' },
  { country: 'FO', decision: '2010/146/EU', adopted: '2010-03-05' },
  {
    country: 'GB',
    decision: '(EU) 2021/1772',
    adopted: '2021-06-28',
    note: 'Renewed on 19 Dec 2025, valid until 27 Dec 2031 (lib/legal/rules.json).',
  },
  { country: 'GG', decision: '2003/821/EC', adopted: '2003-11-21' },
  { country: 'IL', decision: '2011/61/EU', adopted: '2011-01-31' },
  { country: 'IM', decision: '2004/411/EC', adopted: '2004-04-28' },
  { country: 'JE', decision: '2008/393/EC', adopted: '2008-05-08' },
  { country: 'JP', decision: '(EU) 2019/419', adopted: '2019-01-23', scope: 'private sector under the APPI' },
  { country: 'KR', decision: '(EU) 2022/254', adopted: '2021-12-17' },
  { country: 'NZ', decision: '2013/65/EU', adopted: '2012-12-19' },
  {
    country: 'US',
    decision: '(EU) 2023/1795',
    adopted: '2023-07-10',
    scope: 'only organisations certified under the EU-US Data Privacy Framework',
  },
  { country: 'UY', decision: '2012/484/EU', adopted: '2012-08-21' },
];

const EEA: ReadonlySet<string> = new Set(adequacy.eea);
const ADEQUATE: ReadonlySet<string> = new Set(adequacy.adequate.map((a) => a.cc).filter((cc) => cc !== 'US'));
const CONDITIONAL: ReadonlySet<string> = new Set(['US']);

/** Transfer status for a country code (ISO 3166-1 alpha-2); null/invalid -> 'unknown'. */
export function transferStatusOf(country: string | null | undefined): TransferStatus {
  if (!country || !/^[A-Z]{2}$/.test(country)) return 'unknown';
  if (EEA.has(country)) return 'eea';
  if (ADEQUATE.has(country)) return 'adequate';
  if (CONDITIONAL.has(country)) return 'conditional';
  return 'third-country';
}

const RANK: Record<TransferStatus, number> = { unknown: 0, eea: 1, adequate: 2, conditional: 3, 'third-country': 4 };

/** The less protective of two statuses; 'unknown' only when both are unknown. */
export function worseTransfer(a: TransferStatus, b: TransferStatus): TransferStatus {
  return RANK[a] >= RANK[b] ? a : b;
}

export function adequacyDecisionFor(country: string): AdequacyDecision | null {
  return ADEQUACY_DECISIONS.find((d) => d.country === country) ?? null;
}
