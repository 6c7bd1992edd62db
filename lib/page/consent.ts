/**
 * Consent-banner detection with @duckduckgo/autoconsent in detection-only mode: it recognises a
 * consent-management platform (CMP) by the library's rules and tells whether its banner is showing,
 * so a report can say "these trackers loaded while the OneTrust banner was still waiting for an
 * answer" (§ 25 TDDDG; CJEU C-673/17 Planet49: consent is an active opt-in).
 *
 * Never clicks, never hides: `autoAction: null` (the library waits for an opt-out/opt-in message we
 * never send), `enablePrehide: false`, no heuristic clicking. The content script
 * (entrypoints/consent.content.ts) runs the library; the background (entrypoints/background/consent.ts)
 * answers its `init` with the rules for the page's URL and its page-context checks with the
 * allow-listed snippets below. Everything here is pure.
 */
import type { Config } from '@duckduckgo/autoconsent';
import * as v from 'valibot';

/** Detection only (../shared/notes/data-deps.md, measured in jsdom and in Chromium by tests/e2e/consent.spec.ts). */
export const DETECTION_ONLY_CONFIG: Partial<Config> = {
  enabled: true,
  autoAction: null,
  disabledCmps: [],
  enablePrehide: false,
  // Cosmetic rules also only detect here; their "opt-out" (hiding the banner) never runs.
  enableCosmeticRules: true,
  enableGeneratedRules: true,
  enableHeuristicDetection: false,
  enablePopupMutationObserver: false,
  heuristicMode: 'off',
  // Up to 10 more attempts, each ≥ 500 ms apart and after a DOM change (banners load late). The
  // library's default is 20; an attempt costs 10-13 ms of the page's main thread at 2,000 links and
  // 50-75 ms at 20,000 (measured in Chromium), so on a page that never stops changing we stop sooner.
  detectRetries: 10,
  isMainWorld: false,
  visualTest: false,
  performanceLoggingEnabled: false,
  logs: {
    lifecycle: false,
    rulesteps: false,
    detectionsteps: false,
    evals: false,
    errors: false,
    messages: false,
    waits: false,
  },
};

/**
 * Page-context snippets the library may ask for while *detecting* (detectCmp / detectPopup steps of
 * the shipped rules and of its built-in Cookiebot and consentmanager classes). Snippets that opt
 * in, opt out or open dialogs are refused. tests/unit/page/consent.test.ts recomputes this set from the
 * installed package, so a version bump cannot widen or narrow it unnoticed.
 */
export const DETECTION_SNIPPETS: ReadonlySet<string> = new Set([
  'EVAL_AYLO_COOKIE_MANAGER_READY',
  'EVAL_BIGCOMMERCE_CONSENT_MANAGER_DETECT',
  'EVAL_CONSENTMANAGER_1',
  'EVAL_CONSENTMANAGER_2',
  'EVAL_COOKIEBOT_1',
  'EVAL_COOKIEBOT_2',
  'EVAL_COOKIE_LAW_INFO_DETECT',
  'EVAL_FIDES_DETECT_POPUP',
  'EVAL_GDPR_LEGAL_COOKIE_DETECT_CMP',
  'EVAL_OSANO_DETECT',
  'EVAL_TEALIUM_0',
  'EVAL_USERCENTRICS_API_0',
]);

const Short = v.pipe(v.string(), v.maxLength(200));
const Url = v.pipe(v.string(), v.maxLength(8192));

/** What the consent content script sends (strict: anything else is dropped). */
export const ConsentMessageSchema = v.variant('type', [
  /** Asks for the rules that apply to this URL; answered with the library's `initResp`. */
  v.strictObject({ type: v.literal('consent-init'), url: Url }),
  /** A page-context check; answered with the library's `evalResp` (false when refused). */
  v.strictObject({ type: v.literal('consent-eval'), id: v.pipe(v.string(), v.maxLength(64)), snippetId: Short }),
  /** The library found a CMP (`popup: false`) or its banner showing (`popup: true`). */
  v.strictObject({ type: v.literal('consent-found'), cmp: Short, popup: v.boolean() }),
  /** The library gave up: no known CMP on the page. */
  v.strictObject({ type: v.literal('consent-none') }),
]);
export type ConsentMessage = v.InferOutput<typeof ConsentMessageSchema>;

export type ConsentStatus = 'banner-shown' | 'cmp-present' | 'none-found' | 'not-checked';

/** What the report says about the page's consent banner. */
export interface ConsentObservation {
  status: ConsentStatus;
  /** The library's CMP name ("Onetrust", "Cookiebot", "com_consentmanager.net" …), null if none. */
  cmp: string | null;
  /** epoch ms when the banner was first seen showing, null if never. */
  shownAt: number | null;
}

export const NOT_CHECKED: ConsentObservation = { status: 'not-checked', cmp: null, shownAt: null };

/**
 * Folds one detection message into what is known. A banner seen once stays "shown" (the library
 * does not report it closing, and it was there when the page loaded its trackers); a later
 * "nothing found" cannot undo a detection.
 */
export function observeConsent(prev: ConsentObservation, message: ConsentMessage, now: number): ConsentObservation {
  switch (message.type) {
    case 'consent-found':
      if (message.popup) return { status: 'banner-shown', cmp: message.cmp, shownAt: prev.shownAt ?? now };
      if (prev.status === 'banner-shown') return prev;
      return { status: 'cmp-present', cmp: message.cmp, shownAt: null };
    case 'consent-none':
      // Sent after 3 s without a find (entrypoints/consent.content.ts): provisional, a later find wins.
      return prev.status === 'not-checked' ? { status: 'none-found', cmp: null, shownAt: null } : prev;
    default:
      return prev;
  }
}

export function isConsentObservation(value: unknown): value is ConsentObservation {
  if (typeof value !== 'object' || value === null) return false;
  const o = value as Record<string, unknown>;
  return (
    ['banner-shown', 'cmp-present', 'none-found', 'not-checked'].includes(o.status as string) &&
    (o.cmp === null || (typeof o.cmp === 'string' && o.cmp.length <= 200)) &&
    (o.shownAt === null || (typeof o.shownAt === 'number' && Number.isFinite(o.shownAt)))
  );
}

/** The library's names are ids ("Onetrust", "com_consentmanager.net"); shown as they are, only trimmed. */
export function cmpLabel(cmp: string): string {
  return cmp.replace(/^com_/, '').trim();
}
