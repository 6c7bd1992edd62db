/**
 * Lets the page run before our content-script work continues: `scheduler.yield()` where the
 * browser has it (the continuation keeps its priority), else a 0 ms timeout.
 */
export function yieldToPage(): Promise<void> {
  return new Promise<void>((resolve) => {
    const s = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
    if (s?.yield) void s.yield().then(resolve);
    else setTimeout(resolve, 0);
  });
}

interface PageWindow {
  document: { readyState: string };
  addEventListener(type: 'load', listener: () => void, options: { once: true }): void;
  requestIdleCallback?: (fn: () => void, options: { timeout: number }) => unknown;
  setTimeout(fn: () => void, ms: number): unknown;
}

/**
 * Resolves once the page's `load` event is over and its main thread is next idle (or after
 * `idleTimeoutMs` at most): our content scripts' work waits until then, so none of it lands
 * between DOMContentLoaded and `load`, where every task of ours delays the page's load event
 * (docs/ARCHITECTURE.md, "Page-load overhead"). Chromium injects `document_idle` scripts up to
 * 200 ms after DOMContentLoaded even when `load` has not come yet
 * (https://developer.chrome.com/docs/extensions/reference/manifest/content-scripts#run_time).
 * A page whose `load` never comes (a request that never ends: a stalled image, long polling in
 * a frame) is read anyway, `maxWaitMs` after this was called.
 */
export function afterPageLoad(
  win: PageWindow = globalThis as unknown as PageWindow,
  idleTimeoutMs = 1000,
  maxWaitMs = 5000,
): Promise<void> {
  return new Promise<void>((resolve) => {
    let waiting = true;
    const idle = () => {
      if (!waiting) return;
      waiting = false;
      if (win.requestIdleCallback) win.requestIdleCallback(() => resolve(), { timeout: idleTimeoutMs });
      else win.setTimeout(resolve, 0);
    };
    // `complete` is set just before the load event is dispatched: wait for the next task after it.
    if (win.document.readyState === 'complete') win.setTimeout(idle, 0);
    else {
      win.addEventListener('load', () => win.setTimeout(idle, 0), { once: true });
      win.setTimeout(idle, maxWaitMs);
    }
  });
}
