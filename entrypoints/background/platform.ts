/**
 * The few browser APIs the background needs, behind the small interfaces lib/ expects, and every
 * place where Chromium and Firefox differ for us, in one file (docs/ARCHITECTURE.md, "Browser
 * differences"). lib/ stays browser-neutral: it gets the difference as a value (`Partitioning`),
 * or handles both behaviours (event order: lib/tally/cookie-wait.ts).
 */
import { browser } from 'wxt/browser';
import type { SessionStore } from '@/lib/tally/hub';
import type { Partitioning } from '@/lib/tally/cookies';

/** Built for Firefox (`wxt build -b firefox`: MV2). */
export const IS_FIREFOX: boolean = import.meta.env.FIREFOX;

/**
 * Chrome runs the background as an MV3 service worker that it stops when idle (memory lost,
 * storage.session kept: lib/tally/hub.ts restores and replays); Firefox's MV2 build has a
 * persistent background page, which is never stopped, so the restore path does not run there.
 */
export const BACKGROUND_KIND: 'service-worker' | 'background-page' = IS_FIREFOX ? 'background-page' : 'service-worker';

/**
 * storage.session's quota is 10 MB in both: Chrome says so (`QUOTA_BYTES` 10,485,760); Firefox
 * ESR 153 exposes no QUOTA_BYTES but refused a 10.1 MB value and stored 9.9 MB (checked in
 * tests/e2e/firefox's rig). lib/tally/types.ts LIMITS keep a visit far below it.
 */
export const SESSION_QUOTA_BYTES = 10 * 1024 * 1024;

/**
 * extraInfoSpec for onHeadersReceived. 'extraHeaders' makes Chrome show Set-Cookie lines it will
 * refuse to store (blocked third-party cookies), so those still count as attempted
 * (https://developer.chrome.com/docs/extensions/reference/api/webRequest#life_cycle_of_requests).
 * Firefox has no such flag, rejects unknown ones, and shows Set-Cookie without it.
 */
export const HEADERS_RECEIVED_SPEC: string[] = IS_FIREFOX ? ['responseHeaders'] : ['responseHeaders', 'extraHeaders'];

/**
 * How the browser partitions the cookies a response sets (lib/tally/cookies.ts Partitioning):
 * CHIPS in Chromium; in Firefox Total Cookie Protection (the default), or first-party isolation
 * when `privacy.firstparty.isolate` is on, which shows as cookies.getAll refusing a call without
 * `firstPartyDomain` ("First-Party Isolation is enabled, but the required 'firstPartyDomain'
 * attribute was not set", Firefox ESR 153). Asked once at start.
 */
export async function cookiePartitioning(): Promise<Partitioning> {
  if (!IS_FIREFOX) return 'chips';
  try {
    await browser.cookies.getAll({ domain: 'first-party-isolation.invalid' });
    return 'total-cookie-protection';
  } catch (error) {
    return /first-?party/i.test(String(error)) ? 'first-party-isolation' : 'total-cookie-protection';
  }
}

/** The browser that measured a report (`tool.browser`): "Firefox 153.8.0", "Chromium 156.0.7793.2". */
export async function browserInfo(): Promise<{ name: string; version: string }> {
  const runtime = browser.runtime as unknown as { getBrowserInfo?: () => Promise<{ name: string; version: string }> };
  if (runtime.getBrowserInfo) {
    const info = await runtime.getBrowserInfo();
    return { name: info.name, version: info.version };
  }
  // Chromium: the full version only from the high-entropy client hints (the UA string is frozen
  // at "<major>.0.0.0", https://www.chromium.org/updates/ua-reduction/).
  const hints = (
    navigator as unknown as {
      userAgentData?: {
        getHighEntropyValues(h: string[]): Promise<{ fullVersionList?: { brand: string; version: string }[] }>;
      };
    }
  ).userAgentData;
  const list = (await hints?.getHighEntropyValues(['fullVersionList']).catch(() => null))?.fullVersionList ?? [];
  const brand =
    list.find((b) => b.brand === 'Google Chrome') ??
    list.find((b) => b.brand === 'Chromium') ??
    list.find((b) => !/not.?a.?brand/i.test(b.brand));
  if (brand) return { name: brand.brand === 'Google Chrome' ? 'Chrome' : brand.brand, version: brand.version };
  const ua = /(?:Chrome|Chromium)\/([\d.]+)/.exec(navigator.userAgent);
  return { name: 'Chromium', version: ua?.[1] ?? 'unknown' };
}

export const sessionStore: SessionStore = {
  get: (keys) => browser.storage.session.get(keys),
  set: (items) => browser.storage.session.set(items),
  remove: (keys) => browser.storage.session.remove(keys),
};

/** MV3 `action` in Chrome, MV2 `browserAction` in the Firefox build. */
export function actionApi(): typeof browser.action {
  return browser.action ?? (browser as unknown as { browserAction: typeof browser.action }).browserAction;
}

const DIAGNOSTICS_KEY = 'diagnostics';
interface Diagnostics {
  errors: number;
  last: string[];
  /** Things counted that are not errors (e.g. cookieChangesUnmatched: lib/tally/cookie-wait.ts); absent while none. */
  counts?: Record<string, number>;
}
let diagnostics: Diagnostics = { errors: 0, last: [] };
const saveDiagnostics = () =>
  void browser.storage.session.set({ [DIAGNOSTICS_KEY]: diagnostics }).catch(() => undefined);

/**
 * Errors are counted and the last few kept in storage.session (visible to tests and to a
 * developer in the worker console), never sent anywhere.
 */
export function recordDiagnostic(where: string, error: unknown): void {
  const text = `${new Date().toISOString()} ${where}: ${error instanceof Error ? error.message : String(error)}`;
  console.warn('[Datenschutz-Ampel]', text);
  diagnostics = { ...diagnostics, errors: diagnostics.errors + 1, last: [...diagnostics.last.slice(-9), text] };
  saveDiagnostics();
}

/** Counts something worth knowing that is not an error, beside the errors. */
export function countDiagnostic(name: string, n = 1): void {
  diagnostics = { ...diagnostics, counts: { ...diagnostics.counts, [name]: (diagnostics.counts?.[name] ?? 0) + n } };
  saveDiagnostics();
}

/**
 * Where the page scripts go (entrypoints/background/page-scripts.ts): in Chromium the document that
 * asked (`documentId`, Chrome 106+: a tab that has meanwhile moved on gets nothing); Firefox's
 * senders and `scripting` know no document ids, so there the tab's top frame.
 */
export function pageScriptTarget(
  tabId: number,
  documentId: string | undefined,
): { tabId: number; documentIds: string[] } | { tabId: number; frameIds: number[] } {
  return documentId ? { tabId, documentIds: [documentId] } : { tabId, frameIds: [0] };
}
