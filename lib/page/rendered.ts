/**
 * After a soft navigation (lib/page/soft-navigation.ts) the app renders the new page in its own
 * time: the content script reads the page again once it is there. "There" means the platform's
 * markers of an account's own elements are present (lib/page/platforms.ts `owner`) and the DOM
 * has been quiet for a moment, or — on other sites — only the quiet DOM; never longer than
 * `maxMs`. Reads the DOM only (MutationObserver), no extension API.
 */
export const RENDER_WAIT = {
  /** No DOM change for this long: the app is done rendering for now. */
  quietMs: 300,
  /** Give up waiting and read what is there. */
  maxMs: 5000,
} as const;

export type RenderOutcome = 'markers' | 'quiet' | 'timeout';

export function whenRendered(
  doc: Document,
  markers: string | null,
  limits: { quietMs: number; maxMs: number } = RENDER_WAIT,
): Promise<RenderOutcome> {
  return new Promise((resolve) => {
    let quietTimer: ReturnType<typeof setTimeout> | undefined;
    const done = (outcome: RenderOutcome) => {
      observer.disconnect();
      clearTimeout(quietTimer);
      clearTimeout(maxTimer);
      resolve(outcome);
    };
    const settle = () => {
      clearTimeout(quietTimer);
      quietTimer = setTimeout(() => {
        // Quiet, but the platform's markers are not there yet: keep waiting (up to maxMs).
        if (markers && !safeQuery(doc, markers)) return;
        done(markers ? 'markers' : 'quiet');
      }, limits.quietMs);
    };
    const observer = new MutationObserver(settle);
    observer.observe(doc.documentElement, { childList: true, subtree: true, characterData: true });
    const maxTimer = setTimeout(() => done('timeout'), limits.maxMs);
    settle();
  });
}

function safeQuery(doc: Document, selector: string): boolean {
  try {
    return doc.querySelector(selector) !== null;
  } catch {
    return true;
  }
}
