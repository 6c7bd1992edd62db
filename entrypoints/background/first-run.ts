/**
 * The first-run page (entrypoints/welcome/): what the extension does and the legal-page fetch
 * setting, opened once per installation — not on updates, browser starts or worker restarts
 * (runtime.onInstalled reason, https://developer.mozilla.org/docs/Mozilla/Add-ons/WebExtensions/API/runtime/onInstalled).
 * Automated fresh profiles close it (scripts/first-run.ts).
 */
import { browser } from 'wxt/browser';
import type { Guard } from './web-request';

export function openFirstRunOnInstall(guard: Guard, onError: (where: string, error: unknown) => void): void {
  browser.runtime.onInstalled.addListener(
    guard('runtime.onInstalled', ({ reason }) => {
      if (reason === 'install')
        void browser.tabs
          .create({ url: browser.runtime.getURL('/welcome.html') })
          .catch((error: unknown) => onError('welcome', error));
    }),
  );
}
