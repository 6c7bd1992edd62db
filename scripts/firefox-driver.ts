/**
 * Driving a stock Firefox with the built add-on, for the audit CLI (`--browser firefox`) and the
 * Firefox e2e suite (tests/e2e/firefox/). Playwright cannot drive a stock Firefox (it needs its
 * own patched build); Firefox speaks WebDriver BiDi natively and puppeteer-core (which downloads
 * no browser) talks it. Facts behind each choice, all checked with Firefox ESR 153
 * (../shared/notes/firefox.md):
 *  - `browser.installExtension` (BiDi `webExtension.install`) installs the folder as a temporary
 *    add-on under its gecko id; the pref `extensions.webextensions.uuids` fixes its UUID, so its
 *    pages have known moz-extension:// URLs.
 *  - Firefox has no `--host-resolver-rules`: `network.dns.forceResolve` sends every name to one
 *    address. It maps names, not ports.
 *  - Firefox navigates an automated tab to moz-extension:// only with `--remote-allow-system-access`,
 *    and even then puppeteer's navigation promise never settles (the tab moves to the extension
 *    process) while `evaluate` and selectors on the page keep working: extensionPage() starts the
 *    navigation and polls `location.href`.
 *  - Extension pages run with the add-on's privileges: the background is reached through one of
 *    them (`runtime.getBackgroundPage`, `runtime.sendMessage`), as the popup does.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { FIRST_RUN_PATH } from './first-run';

export const FIREFOX_CANDIDATES = ['/usr/bin/firefox-esr', '/usr/bin/firefox'] as const;
/** The add-on's gecko id, read from the built manifest (wxt.config.ts sets it; it is never written twice). */
export function geckoIdOf(extensionDir: string): string {
  const manifest = JSON.parse(readFileSync(path.join(extensionDir, 'manifest.json'), 'utf8')) as {
    browser_specific_settings?: { gecko?: { id?: string } };
  };
  const id = manifest.browser_specific_settings?.gecko?.id;
  if (!id) throw new Error(`${extensionDir}/manifest.json has no gecko id: build with "wxt build -b firefox"`);
  return id;
}
/** The UUID the add-on's moz-extension:// origin gets here. */
export const EXTENSION_UUID = '3d6c1a4e-2f0b-4d7a-9c55-1b2a3c4d5e6f';
export const EXTENSION_ORIGIN = `moz-extension://${EXTENSION_UUID}`;

export function findFirefox(env: NodeJS.ProcessEnv = process.env): string | null {
  return [...(env.FIREFOX_PATH ? [env.FIREFOX_PATH] : []), ...FIREFOX_CANDIDATES].find((p) => existsSync(p)) ?? null;
}

export const NO_FIREFOX_HELP = `No Firefox found. Set FIREFOX_PATH or install it:
  Debian/Ubuntu:  sudo apt-get install firefox-esr
  Fedora:         sudo dnf install firefox`;

export interface FirefoxSetup {
  executablePath: string;
  /** The built add-on; null: the same Firefox without it (the page-load bench's comparison). */
  extensionDir: string | null;
  /** network.dns.forceResolve: every host name resolves to this address (null: normal DNS). */
  forceResolve: string | null;
  insecure: boolean;
  allowThirdPartyCookies: boolean;
  /** Where downloads land without a dialog (null: Firefox's default). */
  downloadDir?: string | null;
  /** More preferences (tests: first-party isolation …). */
  prefs?: Record<string, unknown>;
}

/** Preferences of the fresh profile (about:config names). */
export function firefoxPrefs(setup: FirefoxSetup): Record<string, unknown> {
  return {
    // The page-load bench runs the same Firefox without the add-on (extensionDir null).
    ...(setup.extensionDir !== null
      ? { 'extensions.webextensions.uuids': JSON.stringify({ [geckoIdOf(setup.extensionDir)]: EXTENSION_UUID }) }
      : {}),
    'dom.security.https_only_mode': false,
    'browser.startup.homepage_override.mstone': 'ignore',
    ...(setup.forceResolve ? { 'network.dns.forceResolve': setup.forceResolve, 'network.proxy.type': 0 } : {}),
    // 5 (the default): accept, with third-party cookies partitioned (Total Cookie Protection);
    // 1: refuse all third-party cookies (https://searchfox.org/mozilla-central/source/modules/libpref/init/StaticPrefList.yaml, network.cookie.cookieBehavior).
    'network.cookie.cookieBehavior': setup.allowThirdPartyCookies ? 5 : 1,
    ...(setup.downloadDir
      ? {
          'browser.download.dir': setup.downloadDir,
          'browser.download.folderList': 2,
          'browser.download.useDownloadDir': true,
          'browser.download.always_ask_before_handling_new_types': false,
        }
      : {}),
    ...setup.prefs,
  };
}

/** A headless Firefox with a fresh temporary profile (puppeteer deletes it on close) and the add-on installed (none when `extensionDir` is null). */
export async function launchFirefox(setup: FirefoxSetup): Promise<Browser> {
  if (setup.extensionDir !== null && !existsSync(path.join(setup.extensionDir, 'manifest.json')))
    throw new Error(`no Firefox build at ${setup.extensionDir}`);
  const puppeteer = (await import('puppeteer-core')).default;
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: setup.executablePath,
    headless: true,
    acceptInsecureCerts: setup.insecure,
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: firefoxPrefs(setup),
  });
  if (setup.extensionDir === null) return browser;
  try {
    await browser.installExtension(setup.extensionDir);
    await closeFirstRunTabs(browser);
  } catch (error) {
    await browser.close().catch(() => undefined);
    throw error;
  }
  return browser;
}

/** The install opens the first-run tab (scripts/first-run.ts); closed as in Chromium, so the tabs are as before. */
async function closeFirstRunTabs(browser: Browser, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const pages = (await browser.pages()).filter((p) => p.url() === `${EXTENSION_ORIGIN}${FIRST_RUN_PATH}`);
    if (pages.length) {
      await Promise.all(pages.map((p) => p.close()));
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Polls until `fn` returns a value other than undefined; throws after `timeoutMs`. */
export async function until<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs = 15_000,
  everyMs = 100,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
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

declare const browser: typeof import('wxt/browser').browser;

/** Waits until the background has registered its listeners (it sets dsaReadyAt, entrypoints/background/index.ts). */
export function backgroundReady(extPage: Page): Promise<true> {
  return until('the background to start', () =>
    extPage.evaluate(async () => {
      const bg = (await browser.runtime.getBackgroundPage()) as unknown as { dsaReadyAt?: number } | null;
      return bg?.dsaReadyAt ? true : undefined;
    }),
  );
}
