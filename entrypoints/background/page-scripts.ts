/**
 * The two content scripts that read a page — consent-banner detection (entrypoints/consent.content.ts)
 * and the page facts (entrypoints/content.ts) — are not in the manifest: the background injects
 * them into a page's top frame once the page's `load` is over, when the `document_start` script
 * (entrypoints/resource-timing.content.ts) says so (message `page-loaded`). Their work waited for
 * `load` anyway (lib/page/yield-to-page.ts); as `document_idle` scripts Chromium still compiled and
 * started them at injection, up to 200 ms after DOMContentLoaded and so often before `load`: in a
 * renderer that had not run them yet, 10–26 ms of compiling consent.js alone on the page's main
 * thread (docs/ARCHITECTURE.md, "Page-load overhead"). Only files of our own package are injected,
 * with the `scripting` permission the consent detection uses anyway; nothing becomes
 * web-accessible.
 */
import { browser } from 'wxt/browser';
import { pageScriptTarget } from './platform';

/** In the order the manifest listed them before (consent detection first). */
export const PAGE_SCRIPTS = ['/content-scripts/consent.js', '/content-scripts/content.js'] as const;

interface Sender {
  tab?: { id?: number };
  frameId?: number;
  documentId?: string;
}

/** Injects the page scripts into the sender's document; false for anything but a tab's top frame. */
export async function injectPageScripts(sender: Sender): Promise<boolean> {
  const tabId = sender.tab?.id;
  if (tabId === undefined || tabId < 0 || sender.frameId !== 0) return false;
  await browser.scripting.executeScript({
    target: pageScriptTarget(tabId, sender.documentId),
    files: [...PAGE_SCRIPTS],
  });
  return true;
}
