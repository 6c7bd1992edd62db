/**
 * Playwright fixtures: the real built extension (.output/chrome-mv3) in Debian's headless
 * Chromium, a fresh profile per test, and the fixture web on loopback.
 * Facts behind each flag: ../shared/notes/browser-testing.md.
 */
import { type BrowserContext, type Page, type Worker, expect } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'wxt/browser';
import { test as base } from './web-fixtures';

// Code passed to worker.evaluate() runs inside the extension's service worker, where `chrome` exists.
declare const chrome: typeof Browser;

export const EXTENSION_DIR = path.resolve(import.meta.dirname, '../../.output/chrome-mv3');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function chromiumArgs(extensionDir: string): string[] {
  return [
    `--disable-extensions-except=${extensionDir}`,
    `--load-extension=${extensionDir}`,
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--ignore-certificate-errors',
    // No quotes inside the value: a quoted rule makes every lookup fail (ERR_NAME_NOT_RESOLVED).
    '--host-resolver-rules=MAP * 127.0.0.1, EXCLUDE localhost',
  ];
}

export interface ExtensionHarness {
  context: BrowserContext;
  worker: Worker;
  extensionId: string;
  /** The extension's tab id for a page (found by its URL through the tabs API). */
  tabIdOf(page: Page): Promise<number>;
  /** Opens the popup as a tab for the given tab id. */
  openPopup(tabId: number): Promise<Page>;
  /** Text on the toolbar badge for a tab. */
  badgeText(tabId: number): Promise<string>;
  /** Stops the MV3 service worker through CDP, as Chrome does when it idles out. */
  stopWorker(): Promise<void>;
  /** Errors the background recorded (listener exceptions, dropped messages, storage failures). */
  diagnostics(): Promise<{ errors: number; last: string[] }>;
  /** All keys currently in storage.session. */
  sessionKeys(): Promise<string[]>;
}

type Fixtures = { ext: ExtensionHarness };

async function waitForReadyWorker(context: BrowserContext): Promise<Worker> {
  let worker = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
  worker ??= await context.waitForEvent('serviceworker');
  // The worker handle exists before main() has registered the listeners; wait for the flag it sets.
  await expect.poll(() => worker.evaluate(() => (globalThis as { dsaReadyAt?: number }).dsaReadyAt ?? 0)).toBeGreaterThan(0);
  return worker;
}

export const test = base.extend<Fixtures>({
  ext: async ({}, use) => {
    const userDataDir = mkdtempSync(path.join(tmpdir(), 'dsa-profile-'));
    const context = await (await import('@playwright/test')).chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: chromiumArgs(EXTENSION_DIR),
    });
    const worker = await waitForReadyWorker(context);
    const extensionId = new URL(worker.url()).host;
    const cdpPage = context.pages()[0] ?? (await context.newPage());

    const harness: ExtensionHarness = {
      context,
      worker,
      extensionId,
      async tabIdOf(page) {
        const url = page.url();
        let id = -1;
        await expect
          .poll(async () => {
            id = await worker.evaluate(async (u) => {
              const tabs = await chrome.tabs.query({});
              return tabs.find((t) => t.url === u)?.id ?? -1;
            }, url);
            return id;
          })
          .toBeGreaterThanOrEqual(0);
        return id;
      },
      async openPopup(tabId) {
        const popup = await context.newPage();
        await popup.goto(`chrome-extension://${extensionId}/popup.html?tabId=${tabId}`);
        return popup;
      },
      badgeText: (tabId) => worker.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId),
      async stopWorker() {
        const cdp = await context.newCDPSession(cdpPage);
        await cdp.send('ServiceWorker.enable');
        await cdp.send('ServiceWorker.stopAllWorkers');
        await cdp.detach();
      },
      diagnostics: () =>
        worker.evaluate(async () => {
          const { diagnostics } = await chrome.storage.session.get('diagnostics');
          return (diagnostics as { errors: number; last: string[] } | undefined) ?? { errors: 0, last: [] };
        }),
      sessionKeys: () => worker.evaluate(async () => Object.keys(await chrome.storage.session.get(null))),
    };
    await use(harness);
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  },
});

export { expect };
