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
 */
import { browser } from 'wxt/browser';
import { RESOURCE_LIMITS, RESOURCE_REQUEST, type ResourceEntry, changedCookieNames } from '@/lib/tally/resource-timing';

export default defineContentScript({
  matches: ['http://*/*', 'https://*/*'],
  runAt: 'document_start',
  allFrames: false,
  main() {
    const entries: ResourceEntry[] = [];
    let dropped = 0;
    const readCookies = () => {
      try {
        return document.cookie;
      } catch {
        return ''; // sandboxed or opaque-origin document
      }
    };
    const cookiesAtStart = readCookies();
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

    browser.runtime.onMessage.addListener((message: unknown, sender) => {
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
      return Promise.resolve({
        type: RESOURCE_REQUEST.type,
        documentUrl: (navigation?.name ?? location.href).slice(0, RESOURCE_LIMITS.urlChars),
        at: Date.now(),
        controlled,
        entries: entries.slice(),
        dropped,
        changedCookies: changedCookieNames(cookiesAtStart, readCookies()),
      });
    });
  },
});
