/**
 * The extension opens its first-run page (welcome.html) once, when it is installed
 * (entrypoints/background/index.ts, `runtime.onInstalled` with reason `install`). Every fresh
 * automated profile is such an install: the e2e fixtures, the audit CLI and the bench close that
 * tab right after start, so their tabs and pages are what they were before it existed.
 */
import type { BrowserContext, Page } from '@playwright/test';

export const FIRST_RUN_PATH = '/welcome.html';

const isFirstRun = (p: Page) => {
  try {
    return new URL(p.url()).pathname === FIRST_RUN_PATH && p.url().startsWith('chrome-extension://');
  } catch {
    return false;
  }
};

/**
 * Waits (up to timeoutMs) for the first-run tab of a freshly installed extension and closes it;
 * the number of tabs closed (0 if none appeared). On a slow machine the tab can come later: then
 * the first one that does is closed when it loads (once; later welcome pages a test opens stay).
 */
export async function closeFirstRunPages(context: BrowserContext, timeoutMs = 5000): Promise<number> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const pages = context.pages().filter(isFirstRun);
    if (pages.length) {
      await Promise.all(pages.map((p) => p.close()));
      return pages.length;
    }
    if (Date.now() >= until) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const late = (page: Page) => {
    void page
      .waitForLoadState('domcontentloaded')
      .then(async () => {
        if (!isFirstRun(page)) return;
        context.off('page', late);
        await page.close();
      })
      .catch(() => undefined);
  };
  context.on('page', late);
  return 0;
}
