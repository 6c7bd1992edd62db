/**
 * Consent-banner detection (lib/page/consent.ts): runs @duckduckgo/autoconsent in detection-only mode in
 * the page's top frame. It never clicks and never hides anything (the config comes from the
 * background: autoAction null, no prehide). Kept apart from the page-facts content script so the
 * library's retries (up to 10, 500 ms apart) never delay or lengthen the link collection.
 *
 * The library's messages are translated into our own small ones (lib/page/consent.ts); everything else
 * it says (reports, errors) stays in the page's isolated world.
 */
import AutoConsent, { type BackgroundMessage, type ContentScriptMessage } from '@duckduckgo/autoconsent';
import { browser } from 'wxt/browser';
import type { ConsentMessage } from '@/lib/page/consent';
import { afterPageLoad, yieldToPage } from '@/lib/page/yield-to-page';
import { firstInThisDocument } from '@/shell/once-per-document';

/**
 * The library checks all ~200 rules of an attempt in one go (Promise.all over async functions that
 * only await microtasks), which is one task: measured 52-75 ms on a 20,000-link page in Chromium
 * (10-13 ms at 2,000 links), enough for a long task. Letting the page run before each rule's check
 * splits an attempt into one short task per rule (the slowest single rule measured 30 ms there).
 */
function yieldBeforeEachRule(consent: AutoConsent): void {
  for (const rule of consent.rules) {
    const detect = rule.detectCmp.bind(rule);
    rule.detectCmp = async () => {
      await yieldToPage();
      return detect();
    };
  }
}

export default defineContentScript({
  // Not in the manifest: injected into the top frame once the page's load is over
  // (entrypoints/background/page-scripts.ts; docs/ARCHITECTURE.md, "Page-load overhead").
  registration: 'runtime',
  main() {
    if (!firstInThisDocument('consent')) return;
    let consent: AutoConsent | undefined;
    let found = false;
    let reportedNone = false;
    const reportNone = () => {
      if (found || reportedNone) return;
      reportedNone = true;
      void ask({ type: 'consent-none' });
    };
    const ask = async (message: ConsentMessage): Promise<void> => {
      const answer = (await browser.runtime.sendMessage(message).catch(() => undefined)) as
        | BackgroundMessage
        | undefined;
      if (!answer || (answer.type !== 'initResp' && answer.type !== 'evalResp') || !consent) return;
      const handled = consent.receiveMessageCallback(answer);
      // `initResp` has just created the rules (synchronously); detection starts at idle time, later.
      if (answer.type === 'initResp') yieldBeforeEachRule(consent);
      await handled;
    };
    const send = async (message: ContentScriptMessage): Promise<void> => {
      switch (message.type) {
        case 'init':
          // The library stops looking only after its retries (lib/page/consent.ts) or, on a page that
          // stops changing, after a 60 s wait for a DOM mutation. Users open the popup sooner:
          // after 3 s without a find, say "none found" (provisional: a later find replaces it).
          setTimeout(reportNone, 3000);
          return ask({ type: 'consent-init', url: location.href });
        case 'eval':
          // Only the snippet's id goes out; the background runs its own copy (no code from here).
          return ask({ type: 'consent-eval', id: message.id, snippetId: message.snippetId ?? '' });
        case 'cmpDetected':
          found = true;
          return ask({ type: 'consent-found', cmp: message.cmp, popup: false });
        case 'popupFound':
          found = true;
          return ask({ type: 'consent-found', cmp: message.cmp, popup: true });
        case 'report':
          if (message.state.lifecycle === 'nothingDetected') reportNone();
          return;
        default:
          return;
      }
    };
    // Not before the page's `load` is over and the page idle (lib/page/yield-to-page.ts): the
    // rules' message and the detection would otherwise delay the load. A banner is still there
    // then (it waits for an answer); `shownAt` says when we first saw it.
    void afterPageLoad().then(() => {
      try {
        // No config here: the constructor sends `init`, and the background's answer starts detection.
        consent = new AutoConsent(send);
      } catch {
        // The library refused this page (e.g. no DOM): nothing to detect.
      }
    });
  },
});
