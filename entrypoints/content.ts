/**
 * Content script: reads the page once it has loaded and is idle, and reports candidate links, page-kind hints and
 * a text sample to the background (lib/page/facts.ts). It never changes the page, never runs the
 * page's code and sends nothing anywhere but to our own background.
 *
 * Runs again once 3 s later: profile pages of social platforms render their bio late.
 *
 * Single-page apps move to another page without loading a document (History API): when the
 * address shows another page (lib/page/soft-navigation.ts, the rule the tally uses too), the page
 * is read again once the app has rendered it (lib/page/rendered.ts), and once more 3 s later.
 * Reports of the page before that were still pending are dropped.
 */
import { browser } from 'wxt/browser';
import { collectPageFacts } from '@/lib/page/facts';
import { MASTODON_MARKERS, isLinkInBioHost, platformSpec, socialPlatformOf } from '@/lib/page/platforms';
import { afterPageLoad, yieldToPage } from '@/lib/page/yield-to-page';
import { startsNewVisit } from '@/lib/page/soft-navigation';
import { whenRendered } from '@/lib/page/rendered';
import { firstInThisDocument } from '@/shell/once-per-document';

export default defineContentScript({
  // Not in the manifest: injected into the top frame once the page's load is over
  // (entrypoints/background/page-scripts.ts; docs/ARCHITECTURE.md, "Page-load overhead").
  registration: 'runtime',
  main() {
    if (!firstInThisDocument('page-facts')) return;
    const host = location.hostname;
    const linkInBio = isLinkInBioHost(host);
    // Which page the reports are about; a soft navigation to another page starts a new generation.
    // Injected after `load`, this script may come after the app has already moved on: it starts
    // from the address the document was loaded at (its navigation entry keeps it).
    let generation = 0;
    const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    let pageUrl = navigation?.name || location.href;
    const report = async (forGeneration = generation) => {
      try {
        // Known platforms by host; a Mastodon instance (any host) by its own markup, which its web
        // app may only have rendered by the second report.
        const known = socialPlatformOf(host);
        const mastodon = !known && !linkInBio && document.querySelector(MASTODON_MARKERS) !== null;
        const spec = platformSpec(known ?? (mastodon ? 'mastodon' : null));
        const options = {
          ownerSelector: spec?.owner,
          verifiedSelector: spec?.verifiedLink,
          linkInBio,
          mastodon,
          // Yield between slices of links so no task of ours gets long (scheduler.yield where available).
          yieldToPage,
        };
        if (forGeneration !== generation) return;
        const facts = await collectPageFacts(document, location.href, options);
        if (forGeneration !== generation) return;
        // The background acknowledges once the facts are stored. A worker stopped in the middle
        // never answers: send again, a few times, with growing pauses.
        for (let attempt = 0; attempt < 4; attempt++) {
          const answer = (await browser.runtime.sendMessage({ type: 'page-facts', facts }).catch(() => undefined)) as
            | { type?: string }
            | undefined;
          if (answer?.type === 'ack') return;
          await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
        }
      } catch {
        // The extension was reloaded or the page went away: nothing to report to.
      }
    };
    const idle = (fn: () => void, timeout: number) =>
      'requestIdleCallback' in globalThis ? requestIdleCallback(fn, { timeout }) : setTimeout(fn, 0);
    // The first reading once the page's `load` is over and the page idle (lib/page/yield-to-page.ts;
    // injected after `load`, this is the next idle period). The first interaction is watched
    // from document_start (entrypoints/resource-timing.content.ts).
    // A move before the injection is read as any other: once the app has rendered the new page.
    void afterPageLoad().then(() => {
      if (startsNewVisit(pageUrl, location.href)) return onAddressChanged();
      void report(0);
      setTimeout(() => idle(() => void report(0), 2000), 3000);
    });

    const onAddressChanged = () => {
      const now = location.href;
      if (!startsNewVisit(pageUrl, now)) return;
      pageUrl = now;
      const current = ++generation;
      const known = socialPlatformOf(host);
      void whenRendered(document, platformSpec(known)?.owner ?? null).then(() => {
        if (current !== generation) return;
        void report(current);
        setTimeout(() => idle(() => void report(current), 2000), 3000);
      });
    };
    // The Navigation API sees pushState/replaceState/back of the page's own scripts (Chromium 102+,
    // https://developer.mozilla.org/en-US/docs/Web/API/Navigation/currententrychange_event); where it
    // is missing, popstate and a slow look at the address stand in.
    const nav = (globalThis as { navigation?: EventTarget }).navigation;
    if (nav) nav.addEventListener('currententrychange', onAddressChanged);
    else {
      addEventListener('popstate', onAddressChanged);
      setInterval(onAddressChanged, 1000);
    }
  },
});
