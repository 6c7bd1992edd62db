/**
 * The Firefox rig: the real built add-on (.output/firefox-mv2) in Debian's Firefox ESR, driven over
 * WebDriver BiDi by puppeteer-core (Playwright cannot drive a stock Firefox: it needs its own
 * patched build). A fresh profile per test, the same fixture web as the Chromium suite.
 *
 * Facts behind each choice (../shared/notes/firefox.md):
 *  - `browser.installExtension` (BiDi `webExtension.install`) installs the folder as a temporary
 *    add-on under its gecko id; the pref `extensions.webextensions.uuids` fixes its UUID, so its
 *    pages have known moz-extension:// URLs.
 *  - Firefox has no `--host-resolver-rules`: `network.dns.forceResolve` sends every name to
 *    127.0.0.1; it maps names, not ports, so fixture URLs carry the server's port.
 *  - Firefox navigates an automated tab to moz-extension:// only with `--remote-allow-system-access`,
 *    and even then puppeteer's navigation promise never settles (the tab moves to the extension
 *    process) while `evaluate` and selectors on the page keep working: extensionPage() starts the
 *    navigation and polls `location.href`.
 *  - Extension pages run with the add-on's privileges, so the tests reach the background through
 *    one of them (`runtime.getBackgroundPage`, `runtime.sendMessage`, `cookies.getAll` …), as the
 *    Chromium suite does through the service worker.
 */
import { expect } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import type { Visit } from '@/lib/tally/tally';
import type { Report } from '@/lib/verdict/report';
import type { ApiCookie } from '@/lib/tally/cookies';
import { test as base } from '../web-fixtures';

export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const FIREFOX_EXTENSION_DIR = path.resolve(import.meta.dirname, '../../../.output/firefox-mv2');
/** The add-on's gecko id (wxt.config.ts) and the UUID its moz-extension:// origin gets in tests. */
export const GECKO_ID = 'datenschutz-ampel@example.org';
export const EXTENSION_UUID = '3d6c1a4e-2f0b-4d7a-9c55-1b2a3c4d5e6f';
export const EXTENSION_ORIGIN = `moz-extension://${EXTENSION_UUID}`;
/**
 * The history page's file. Its entrypoint may be renamed (it replaced chrome://history in the
 * Chrome build): then only this line changes.
 */
export const SITES_PAGE = 'history.html';

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

/** Preferences of the test profile (about:config names). */
export const FIREFOX_PREFS: Record<string, unknown> = {
  'network.dns.forceResolve': '127.0.0.1',
  'network.proxy.type': 0,
  'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: EXTENSION_UUID }),
  // No HTTPS-only upgrades or first-run pages in the way of the fixture web.
  'dom.security.https_only_mode': false,
  'browser.startup.homepage_override.mstone': 'ignore',
};

/** Downloads land in `dir` without a dialog (about:config `browser.download.*`). */
export function downloadPrefs(dir: string): Record<string, unknown> {
  return {
    'browser.download.dir': dir,
    'browser.download.folderList': 2,
    'browser.download.useDownloadDir': true,
    'browser.download.always_ask_before_handling_new_types': false,
    'browser.download.panel.shown': true,
  };
}

export async function launchFirefox(extraPrefs: Record<string, unknown> = {}): Promise<Browser> {
  assertFirefoxInstalled();
  const puppeteer = (await import('puppeteer-core')).default;
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    // The fixture web's HTTPS uses a self-signed certificate made at start (fixture-server.ts).
    acceptInsecureCerts: true,
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: { ...FIREFOX_PREFS, ...extraPrefs },
  });
}

/** Polls until `fn` returns a value other than undefined (or the timeout passes). */
async function until<T>(what: string, fn: () => Promise<T | undefined>, timeout = 15_000): Promise<T> {
  const end = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Opens a page of the add-on in a new tab; resolves once its document is complete. */
export async function extensionPage(browser: Browser, pathAndQuery: string): Promise<Page> {
  const url = `${EXTENSION_ORIGIN}/${pathAndQuery}`;
  const page = await browser.newPage();
  // Never settles for moz-extension:// (see the header); the page is there all the same.
  page.goto(url, { timeout: 60_000 }).catch(() => undefined);
  await until(`${url} to load`, async () =>
    (await page.evaluate(() => `${location.href}|${document.readyState}`)) === `${url}|complete` ? true : undefined,
  );
  return page;
}

/** Reloads an add-on page (puppeteer's reload() never settles there, like goto()). */
export async function reloadExtensionPage(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as { dsaOld?: true }).dsaOld = true;
    location.reload();
  });
  await until('the reloaded page', async () =>
    (await page.evaluate(() => !(window as { dsaOld?: true }).dsaOld && document.readyState === 'complete')) ? true : undefined,
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
    const downloadDir = mkdtempSync(path.join(tmpdir(), 'dsa-ff-downloads-'));
    const ffBrowser = await launchFirefox(downloadPrefs(downloadDir));
    try {
      await ffBrowser.installExtension(FIREFOX_EXTENSION_DIR);
      // One add-on page stays open as the tests' handle on the extension.
      const control = await extensionPage(ffBrowser, 'about.html');
      const inExtension: FirefoxHarness['inExtension'] = (fn, arg) =>
        control.evaluate(fn as (a: unknown) => unknown, arg as unknown) as never;
      // Listeners are registered once the background has set dsaReadyAt (entrypoints/background/index.ts).
      await until('the background to start', () =>
        inExtension(async () => {
          const bg = (await browser.runtime.getBackgroundPage()) as unknown as { dsaReadyAt?: number } | null;
          return bg?.dsaReadyAt ? true : undefined;
        }, null),
      );
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
        visitOf: (tabId) =>
          inExtension(async (id) => {
            const r = (await browser.runtime.sendMessage({ type: 'get-visit', tabId: id })) as { visit: unknown; report: unknown };
            return { visit: r.visit, report: r.report };
          }, tabId) as Promise<{ visit: Visit | null; report: Report | null }>,
        // MV2: browserAction (entrypoints/background/platform.ts actionApi).
        badgeText: (tabId) =>
          inExtension((id) => (browser as unknown as { browserAction: { getBadgeText(d: { tabId: number }): Promise<string> } }).browserAction.getBadgeText({ tabId: id }), tabId),
        jar: () =>
          inExtension(async () => {
            // Unpartitioned and partitioned alike; keyed like Firefox keys its jar.
            const all = [...(await browser.cookies.getAll({})), ...(await browser.cookies.getAll({ partitionKey: {} }))];
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
