/**
 * The Firefox rig: the real built add-on (.output/firefox-mv2) in Debian's Firefox ESR, driven over
 * WebDriver BiDi by puppeteer-core (scripts/firefox-driver.ts, shared with the audit CLI). A fresh
 * profile per test, the same fixture web as the Chromium suite, reached through
 * `network.dns.forceResolve` (names only: fixture URLs carry the server's port).
 */
import { expect } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import type { Visit } from '@/lib/tally/types';
import type { Report } from '@/lib/verdict/report';
import type { ApiCookie } from '@/lib/tally/cookies';
import { backgroundReady, extensionPage, launchFirefox, until } from '../../../scripts/firefox-driver';
import { test as base } from '../web-fixtures';

export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const FIREFOX_EXTENSION_DIR = path.resolve(import.meta.dirname, '../../../.output/firefox-mv2');
/**
 * The history page's file: `sites.html` (an entrypoint named `history` replaced chrome://history
 * in the Chrome build, docs/security.md).
 */
export const SITES_PAGE = 'sites.html';

/** Stops with what to do, never skips: a missing browser must fail `npm test` (README). */
export function assertFirefoxInstalled(): void {
  if (!existsSync(FIREFOX))
    throw new Error(
      `Firefox not found at ${FIREFOX}. The Firefox suite needs Debian's Firefox ESR: ` +
        '`apt-get install -y firefox-esr` (bash .ci/run does that), or set FIREFOX_PATH.',
    );
  if (!existsSync(path.join(FIREFOX_EXTENSION_DIR, 'manifest.json')))
    throw new Error(`No Firefox build at ${FIREFOX_EXTENSION_DIR}: run \`npm run build:firefox\` first.`);
}

/** Reloads an add-on page (puppeteer's reload() never settles there, like goto()). */
export async function reloadExtensionPage(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as { dsaOld?: true }).dsaOld = true;
    location.reload();
  });
  await until('the reloaded page', async () =>
    (await page.evaluate(() => !(window as { dsaOld?: true }).dsaOld && document.readyState === 'complete'))
      ? true
      : undefined,
  );
}

/** Text of the element with this data-testid, '' when absent. */
export function testIdText(page: Page, id: string): Promise<string> {
  return page.evaluate((i) => document.querySelector(`[data-testid="${i}"]`)?.textContent?.trim() ?? '', id);
}

/** An attribute of the first element matching `selector`, null when absent. */
export function attributeOf(page: Page, selector: string, name: string): Promise<string | null> {
  return page.evaluate((s, n) => document.querySelector(s)?.getAttribute(n) ?? null, selector, name);
}

export interface FirefoxHarness {
  browser: Browser;
  /** Where the browser saves downloads (empty at the start of each test). */
  downloadDir: string;
  /** "Firefox 153.8.0esr"-like product and version, as the audit reports it. */
  version: string;
  /** A web page in a new tab, loaded. */
  open(url: string): Promise<Page>;
  /** Runs `fn` in an add-on page: `browser.*` is the WebExtension API there. */
  inExtension<A, R>(fn: (arg: A) => Promise<R> | R, arg: A): Promise<R>;
  /** The tab id of the tab showing `url`. */
  tabIdOf(url: string): Promise<number>;
  /** The popup for a tab (popup.html?tabId=N), in a tab of its own. */
  openPopup(tabId: number): Promise<Page>;
  /** Any other page of the add-on (SITES_PAGE, about.html …). */
  openPage(pathAndQuery: string): Promise<Page>;
  /** What the popup asks the background for a tab: the tally and the report. */
  visitOf(tabId: number): Promise<{ visit: Visit | null; report: Report | null }>;
  badgeText(tabId: number): Promise<string>;
  /** Every cookie in Firefox's jar, partitioned ones included (`partitionKey: {}`). */
  jar(): Promise<ApiCookie[]>;
  diagnostics(): Promise<{ errors: number; last: string[] }>;
}

declare const browser: typeof import('wxt/browser').browser;

export const test = base.extend<{ ff: FirefoxHarness }>({
  ff: async ({}, use) => {
    assertFirefoxInstalled();
    const downloadDir = mkdtempSync(path.join(tmpdir(), 'dsa-ff-downloads-'));
    const ffBrowser = await launchFirefox({
      executablePath: FIREFOX,
      extensionDir: FIREFOX_EXTENSION_DIR,
      forceResolve: '127.0.0.1',
      // The fixture web's HTTPS uses a self-signed certificate made at start (fixture-server.ts).
      insecure: true,
      allowThirdPartyCookies: true,
      downloadDir,
    });
    try {
      // One add-on page stays open as the tests' handle on the extension.
      const control = await extensionPage(ffBrowser, 'about.html');
      const inExtension: FirefoxHarness['inExtension'] = (fn, arg) =>
        control.evaluate(fn as (a: unknown) => unknown, arg as unknown) as never;
      await backgroundReady(control);
      const harness: FirefoxHarness = {
        browser: ffBrowser,
        downloadDir,
        version: await ffBrowser.version(),
        async open(url) {
          const page = await ffBrowser.newPage();
          await page.goto(url, { waitUntil: 'load' });
          return page;
        },
        inExtension,
        tabIdOf: (url) =>
          until(`a tab with ${url}`, () =>
            inExtension(async (u) => (await browser.tabs.query({})).find((t) => t.url === u)?.id, url),
          ),
        openPopup: (tabId) => extensionPage(ffBrowser, `popup.html?tabId=${tabId}`),
        openPage: (pathAndQuery) => extensionPage(ffBrowser, pathAndQuery),
        // As JSON: BiDi sends an object met twice in one value as a reference puppeteer does not
        // resolve (the report shares arrays with the page checks), which would lose it.
        visitOf: async (tabId) =>
          JSON.parse(
            await inExtension(async (id) => {
              const r = (await browser.runtime.sendMessage({ type: 'get-visit', tabId: id })) as {
                visit: unknown;
                report: unknown;
              };
              return JSON.stringify({ visit: r.visit, report: r.report });
            }, tabId),
          ) as { visit: Visit | null; report: Report | null },
        // MV2: browserAction (entrypoints/background/platform.ts actionApi).
        badgeText: (tabId) =>
          inExtension(
            (id) =>
              (
                browser as unknown as { browserAction: { getBadgeText(d: { tabId: number }): Promise<string> } }
              ).browserAction.getBadgeText({ tabId: id }),
            tabId,
          ),
        jar: () =>
          inExtension(async () => {
            // Unpartitioned and partitioned alike; keyed like Firefox keys its jar.
            const all = [
              ...(await browser.cookies.getAll({})),
              ...(await browser.cookies.getAll({ partitionKey: {} })),
            ];
            const seen = new Map<string, (typeof all)[number]>();
            for (const c of all) seen.set(`${c.name}|${c.domain}|${c.path}|${c.partitionKey?.topLevelSite ?? ''}`, c);
            return [...seen.values()] as never;
          }, null),
        diagnostics: () =>
          inExtension(async () => {
            const { diagnostics } = await browser.storage.session.get('diagnostics');
            return (diagnostics as { errors: number; last: string[] } | undefined) ?? { errors: 0, last: [] };
          }, null),
      };
      await use(harness);
    } finally {
      await ffBrowser.close();
      rmSync(downloadDir, { recursive: true, force: true });
    }
  },
});

export { expect };
