/**
 * The toolbar button's own popup, as a user gets it: opened by `action.openPopup()` from the
 * extension's worker with the tab in front, at the address the background set for that tab
 * (`popup.html?tabId=N`). Playwright never lists that page (../shared/notes/browser-testing.md),
 * so it is found among the browser's targets over CDP, read with Runtime.evaluate and closed there.
 * Nothing is attached to it while it loads. Chromium only (Firefox has no CDP).
 */
import type { BrowserContext, CDPSession, Page, Worker } from '@playwright/test';

declare const chrome: {
  windows: { getLastFocused(): Promise<{ id?: number }> };
  action: { openPopup(options: { windowId?: number }): Promise<void> };
};

export interface ToolbarPopup {
  /** When the worker called `action.openPopup()` (ms since the epoch, the worker's clock). */
  clickedAt: number;
  /** The value of an expression evaluated in the popup's page (returned by value). */
  evaluate(expression: string): Promise<unknown>;
  close(): Promise<void>;
}

/** The browser-level CDP session the popup is found with; null where the context has none. */
export async function browserSession(context: BrowserContext): Promise<CDPSession | null> {
  return (await context.browser()?.newBrowserCDPSession()) ?? null;
}

/** Evaluates in a target attached without flattening: messages travel through the browser session. */
async function evaluateInTarget(cdp: CDPSession, sessionId: string, expression: string): Promise<unknown> {
  const id = Math.floor(Math.random() * 1e9);
  const reply = new Promise<{ result?: { result?: { value?: unknown } } }>((resolve) => {
    const onMessage = (m: { sessionId: string; message: string }) => {
      const parsed = JSON.parse(m.message) as { id?: number; result?: { result?: { value?: unknown } } };
      if (m.sessionId !== sessionId || parsed.id !== id) return;
      cdp.off('Target.receivedMessageFromTarget', onMessage);
      resolve(parsed);
    };
    cdp.on('Target.receivedMessageFromTarget', onMessage);
  });
  await cdp.send('Target.sendMessageToTarget', {
    sessionId,
    message: JSON.stringify({ id, method: 'Runtime.evaluate', params: { expression, returnByValue: true } }),
  });
  return (await reply).result?.result?.value;
}

/**
 * Clicks the toolbar button for the tab shown in `front` (through `action.openPopup()`), waits
 * `settleMs` without touching the popup, and returns it; null when no popup for `tabId` opened.
 */
export async function openToolbarPopup(
  cdp: CDPSession,
  worker: Worker,
  front: Page,
  tabId: number,
  settleMs = 500,
): Promise<ToolbarPopup | null> {
  await front.bringToFront();
  const clickedAt = await worker.evaluate(async () => {
    try {
      const win = await chrome.windows.getLastFocused();
      const at = performance.timeOrigin + performance.now();
      await chrome.action.openPopup({ windowId: win.id });
      return at;
    } catch {
      return null;
    }
  });
  if (clickedAt === null) return null;
  // No CDP traffic while it loads: the browser's UI thread serves the popup's loads too.
  await new Promise((r) => setTimeout(r, settleMs));
  const { targetInfos } = await cdp.send('Target.getTargets');
  const target = targetInfos.find((t) => t.url.includes(`/popup.html?tabId=${tabId}`));
  if (!target) return null;
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
  return {
    clickedAt,
    evaluate: (expression) => evaluateInTarget(cdp, sessionId, expression),
    close: async () => {
      await cdp.send('Target.closeTarget', { targetId: target.targetId });
    },
  };
}
