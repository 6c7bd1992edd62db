/**
 * The audit CLI's answer to a consent banner, its pure parts (scripts/audit-consent.ts drives the
 * page): the configuration the answering library instance gets, the checks on what the page side
 * sends, the outcome of one answer, and the table cell.
 *
 * The answer is given by @duckduckgo/autoconsent itself: its Playwright bundle
 * (dist/autoconsent.playwright.js) runs in the audited page and talks to the CLI through the
 * `autoconsentSendMessage` binding, with the same protocol as the package's own runner
 * (playwright/runner.ts): `init` → `initResp`, `cmpDetected` / `popupFound`, then our `optOut`
 * or `optIn` → `optOutResult` / `optInResult` → `autoconsentDone`. This exists only in the CLI,
 * which works in a fresh profile that belongs to nobody; the extension only detects
 * (lib/page/consent.ts DETECTION_ONLY_CONFIG, tests/unit/page/consent-detection-only.test.ts).
 */
import type { Config } from '@duckduckgo/autoconsent';
import type { Lang } from '../i18n/ui';
import { countOf } from '../i18n/plural';
import { DETECTION_ONLY_CONFIG } from '../page/consent';
import type { ConsentAnswer, ConsentMode, NoDecisionReason } from '../verdict/consent-decision';
import type { Report } from '../verdict/report';

export type ConsentFlag = 'none' | ConsentMode;

/** How long each step may take (ms). */
export const CONSENT_TIMING = {
  /** Until a banner is found after the library was started (the page has loaded and waited --wait already). */
  bannerMs: 10_000,
  /** The same, when the extension's own detection on the first load found no consent platform at all. */
  bannerMsWhenNoneFound: 5_000,
  /** From the answer to its result: the longest rules open a second layer and wait for it (OneTrust: ~3 s plus up to 5 s). */
  answerMs: 30_000,
  /** From the result to the library's "done" message (it carries whether the rule only hid the banner). */
  doneMs: 3_000,
} as const;

/**
 * The answering instance's configuration: the extension's detection-only one (lib/page/consent.ts:
 * `autoAction: null`, so the library waits for our one `optOut`/`optIn` message; no prehiding; no
 * heuristics, so only the platform's own rule answers), with the package runner's 20 detection
 * attempts (playwright/runner.ts) and the rules' page-context checks run inline (`isMainWorld`:
 * the Playwright bundle already runs in the page's main world, where the runner would run them
 * too; a round trip per check through the CLI would race the library's 1 s timeout for each
 * check, lib/eval-handler.ts of the package, on a loaded machine).
 */
export function answeringConfig(): Partial<Config> {
  return { ...DETECTION_ONLY_CONFIG, detectRetries: 20, isMainWorld: true };
}

/** What the page side may send (the library's ContentScriptMessage), checked: the page can call the binding too. */
export type PageMessage =
  | { type: 'init'; url: string }
  | { type: 'eval'; id: string; snippetId: string }
  | { type: 'cmpDetected' | 'popupFound'; cmp: string }
  | { type: 'optOutResult' | 'optInResult'; cmp: string; result: boolean }
  | { type: 'autoconsentDone'; cmp: string; isCosmetic: boolean; totalClicks: number }
  | { type: 'report'; lifecycle: string; mainFrame: boolean };

const shortString = (x: unknown, max = 200): x is string => typeof x === 'string' && x.length <= max;

/** The library's message as far as the CLI uses it, or null for anything else (ignored). */
export function parsePageMessage(raw: unknown): PageMessage | null {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case 'init':
      return shortString(m.url, 8192) ? { type: 'init', url: m.url } : null;
    case 'eval':
      return shortString(m.id, 64) && shortString(m.snippetId, 200)
        ? { type: 'eval', id: m.id, snippetId: m.snippetId }
        : null;
    case 'cmpDetected':
    case 'popupFound':
      return shortString(m.cmp) ? { type: m.type, cmp: m.cmp } : null;
    case 'optOutResult':
    case 'optInResult':
      return shortString(m.cmp) && typeof m.result === 'boolean'
        ? { type: m.type, cmp: m.cmp, result: m.result }
        : null;
    case 'autoconsentDone':
      return shortString(m.cmp) && typeof m.isCosmetic === 'boolean' && Number.isInteger(m.totalClicks)
        ? { type: 'autoconsentDone', cmp: m.cmp, isCosmetic: m.isCosmetic, totalClicks: m.totalClicks as number }
        : null;
    case 'report': {
      const state = m.state && typeof m.state === 'object' ? (m.state as Record<string, unknown>) : {};
      return shortString(state.lifecycle, 40)
        ? { type: 'report', lifecycle: state.lifecycle, mainFrame: m.mainFrame === true }
        : null;
    }
    default:
      return null;
  }
}

/** Names of the rules that can only hide a banner (`cosmetic`): hiding is no answer to it. */
export function cosmeticRuleNames(rules: readonly { name: string; cosmetic?: boolean }[]): Set<string> {
  return new Set(rules.filter((r) => r.cosmetic === true).map((r) => r.name));
}

/** Everything the page side told us about one answer, with the times the CLI saw it. */
export interface AnswerTrace {
  mode: ConsentMode;
  library: string;
  /** The first banner found: its rule, or null when none was found in time. */
  popup: string | null;
  /** Whether that rule is a cosmetic one (then no answer is sent). */
  cosmetic: boolean;
  answeredAt: number | null;
  /** The result message, if it came in time, and when. */
  result: { ok: boolean; at: number } | null;
  /** The library's "done" message, if it came. */
  done: { isCosmetic: boolean } | null;
  /** Times of the click events dispatched in the page's frames. */
  clickTimes: readonly number[];
  /** The page could not be driven (closed, crashed, navigated away for good). */
  pageFailed?: boolean;
}

/**
 * The outcome of one answer. Only clicks between the answer and its result count (a page may click
 * things itself); the decision time is the last of them, or the result's time when the rule
 * answered without clicking (through the platform's API or a cookie).
 */
export function answerOutcome(t: AnswerTrace): ConsentAnswer {
  const base: ConsentAnswer = {
    requested: t.mode,
    decision: null,
    reason: null,
    rule: t.popup,
    library: t.library,
    answeredAt: t.answeredAt,
    decidedAt: null,
    clicks: null,
    optInProbe: null,
  };
  const fail = (reason: NoDecisionReason): ConsentAnswer => ({ ...base, reason });
  if (t.pageFailed) return fail('page-failed');
  if (!t.popup) return fail('no-banner');
  if (t.cosmetic || t.done?.isCosmetic) return fail('cosmetic-only');
  if (t.answeredAt === null || !t.result) return fail('answer-timeout');
  if (!t.result.ok) return fail('answer-failed');
  const from = t.answeredAt;
  const until = t.result.at;
  const clicks = t.clickTimes.filter((c) => c >= from && c <= until);
  return {
    ...base,
    decision: t.mode === 'reject' ? 'rejected' : 'accepted',
    decidedAt: clicks.length ? Math.max(...clicks) : until,
    clicks: clicks.length,
  };
}

const CELL: Record<
  Lang,
  {
    reject: string;
    accept: string;
    none: string;
    hosts: (n: number) => string;
    cookies: (n: number) => string;
    reasons: Record<NoDecisionReason, string>;
  }
> = {
  de: {
    reject: 'nach Ablehnung',
    accept: 'nach Zustimmung',
    none: 'keine Tracker',
    hosts: (n) => `${n} Tracker`,
    cookies: (n) => countOf(n, 'de', 'Cookie', 'Cookies'),
    reasons: {
      'no-banner': 'kein Banner',
      'cosmetic-only': 'nur ausblendbar',
      'answer-failed': 'Antwort fehlgeschlagen',
      'answer-timeout': 'keine Antwort',
      'page-failed': 'Seite fehlgeschlagen',
    },
  },
  en: {
    reject: 'after reject',
    accept: 'after accept',
    none: 'no trackers',
    hosts: (n) => countOf(n, 'en', 'tracker', 'trackers'),
    cookies: (n) => countOf(n, 'en', 'cookie', 'cookies'),
    reasons: {
      'no-banner': 'no banner',
      'cosmetic-only': 'can only be hidden',
      'answer-failed': 'answer failed',
      'answer-timeout': 'no answer',
      'page-failed': 'page failed',
    },
  },
};

/** The table's column heading for a --consent mode ("nach Ablehnung" / "after reject"). */
export function afterDecisionHeading(mode: ConsentMode, lang: Lang): string {
  return CELL[lang][mode];
}

/** The table cell: tracking third parties and tracking cookies after the decision, or why there was none. */
export function afterDecisionCell(report: Pick<Report, 'consent'>, lang: Lang): string {
  const t = CELL[lang];
  const c = report.consent;
  if (!c?.answer) return '–';
  if (!c.decision) return c.answer.reason ? t.reasons[c.answer.reason] : '–';
  const after = c.afterDecision;
  const hosts = after?.thirdParties.filter((h) => h.tracking).length ?? 0;
  const cookies = after?.cookies.filter((k) => k.tracking).length ?? 0;
  if (!hosts && !cookies) return t.none;
  return [t.hosts(hosts), ...(cookies ? [t.cookies(cookies)] : [])].join(', ');
}

/** For the progress line: "abgelehnt (Onetrust, 1 Klick)" / "rejected (Onetrust, 1 click)", or why not; '' without --consent. */
export function consentProgress(report: Pick<Report, 'consent'>, lang: Lang): string {
  const a = report.consent?.answer;
  if (!a) return '';
  const t = CELL[lang];
  if (!report.consent?.decision)
    return `${a.requested === 'reject' ? (lang === 'de' ? 'nicht abgelehnt' : 'not rejected') : lang === 'de' ? 'nicht zugestimmt' : 'not accepted'}: ${a.reason ? t.reasons[a.reason] : '–'}`;
  const word =
    report.consent.decision === 'rejected'
      ? lang === 'de'
        ? 'abgelehnt'
        : 'rejected'
      : lang === 'de'
        ? 'zugestimmt'
        : 'accepted';
  const clicks =
    a.clicks === null
      ? ''
      : `, ${lang === 'de' ? countOf(a.clicks, lang, 'Klick', 'Klicks') : countOf(a.clicks, lang, 'click', 'clicks')}`;
  return `${word} (${a.rule ?? '?'}${clicks})`;
}
