/**
 * Keeps the page's own list of the requests its document made (Resource Timing), for the rare case
 * that the background's worker was stopped while the page loaded and webRequest events were lost
 * (lib/tally/resource-timing.ts). It answers only when the background asks, and the background asks only
 * for such visits (entrypoints/background/reconcile.ts); on every other page it just records.
 *
 * From document_start, because the timeline keeps only 250 resource entries (getEntriesByType and
 * a late `buffered: true` observer both stop there; measured) while an early observer sees them
 * all. It reads, never changes the page (no setResourceTimingBufferSize, no page code), and keeps
 * at most RESOURCE_LIMITS.entries URLs. Cookie values stay here: only names of cookies that are
 * new or changed since document_start are sent.
 *
 * It is also the only script of ours the browser starts in every page (docs/ARCHITECTURE.md,
 * "Page-load overhead"): it watches for the user's first interaction, and once the page's `load`
 * is over it asks the background to inject the two scripts that read the page
 * (entrypoints/background/page-scripts.ts), so that the browser compiles and starts them after
 * `load` instead of at document_idle.
 */
import { extensionApi as browser } from './shared/extension-api';
import {
  type CookieChangeSource,
  RESOURCE_LIMITS,
  RESOURCE_REQUEST,
  type ResourceEntry,
  watchCookieChanges,
} from '@/lib/tally/resource-timing';
import { afterPageLoad } from '@/lib/page/yield-to-page';

/** The page's Cookie Store where it has the change event (secure contexts in Chromium), else undefined. */
function cookieStoreWithChanges(): CookieChangeSource | undefined {
  try {
    const store = (globalThis as { cookieStore?: CookieChangeSource & object }).cookieStore;
    return store && 'onchange' in store ? store : undefined;
  } catch {
    return undefined;
  }
}

/** Asks for the page scripts until the background acknowledges (a worker stopped in the middle never answers). */
async function askForPageScripts(): Promise<void> {
  for (let attempt = 0; attempt < 4; attempt++) {
    const answer = (await browser.runtime.sendMessage({ type: 'page-loaded' }).catch(() => undefined)) as
      | { type?: string }
      | undefined;
    if (answer?.type === 'ack') return;
    await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
  }
}

export default defineContentScript({
  matches: ['http://*/*', 'https://*/*'],
  runAt: 'document_start',
  allFrames: false,
  main() {
    // The first trusted click or key press: trackers and cookies before it were set before any
    // consent could have been given (finding cookies-before-consent). From document_start, so
    // no interaction escapes however early it comes.
    const onFirstInteraction = (event: Event) => {
      if (!event.isTrusted) return;
      removeEventListener('pointerdown', onFirstInteraction, true);
      removeEventListener('keydown', onFirstInteraction, true);
      void browser.runtime.sendMessage({ type: 'page-interaction', at: Date.now() }).catch(() => undefined);
    };
    addEventListener('pointerdown', onFirstInteraction, { capture: true, passive: true });
    addEventListener('keydown', onFirstInteraction, { capture: true, passive: true });
    // The page scripts once `load` is over and the page idle (lib/page/yield-to-page.ts; a page
    // whose load never comes after 5 s).
    void afterPageLoad().then(askForPageScripts);

    const entries: ResourceEntry[] = [];
    let dropped = 0;
    const readCookies = () => {
      try {
        return document.cookie;
      } catch {
        return ''; // sandboxed or opaque-origin document
      }
    };
    const changedCookies = watchCookieChanges(cookieStoreWithChanges(), readCookies);
    const keep = (list: PerformanceEntryList) => {
      for (const e of list as PerformanceResourceTiming[]) {
        // Answered from a cache: webRequest may not have seen a request at all (memory cache).
        if (
          entries.length >= RESOURCE_LIMITS.entries ||
          e.name.length > RESOURCE_LIMITS.urlChars ||
          !/^https?:/.test(e.name) ||
          (e as { deliveryType?: string }).deliveryType === 'cache'
        ) {
          dropped++;
          continue;
        }
        entries.push({
          url: e.name,
          t: e.initiatorType.slice(0, 32),
          s: Math.round(performance.timeOrigin + e.startTime),
        });
      }
    };
    let observer: PerformanceObserver;
    try {
      observer = new PerformanceObserver((list) => keep(list.getEntries()));
      observer.observe({ type: 'resource', buffered: true });
    } catch {
      return; // no Resource Timing here: nothing to offer
    }

    // Answered through sendResponse, at once, which both browsers' own onMessage take
    // (https://developer.mozilla.org/docs/Mozilla/Add-ons/WebExtensions/API/runtime/onMessage);
    // a returned promise is Firefox's form and, without webextension-polyfill, not Chrome's
    // (https://developer.chrome.com/docs/extensions/develop/concepts/messaging#simple).
    browser.runtime.onMessage.addListener((message: unknown, sender, sendResponse: (answer: unknown) => void) => {
      if (sender.id !== browser.runtime.id || (message as { type?: unknown } | null)?.type !== RESOURCE_REQUEST.type)
        return undefined;
      keep(observer.takeRecords());
      const navigation = performance.getEntriesByType('navigation')[0];
      let controlled = false;
      try {
        controlled = Boolean(navigator.serviceWorker?.controller);
      } catch {
        // no service worker API in this context
      }
      sendResponse({
        type: RESOURCE_REQUEST.type,
        documentUrl: (navigation?.name ?? location.href).slice(0, RESOURCE_LIMITS.urlChars),
        at: Date.now(),
        controlled,
        entries: entries.slice(),
        dropped,
        changedCookies: changedCookies(),
      });
      return undefined;
    });
  },
});
