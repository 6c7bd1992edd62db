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
import type { LogLine, PageLoad } from './fixture-server';
import {
  COOKIE_RECORDER,
  EXCLUDED_SPECS,
  type ServerCounts,
  type VisitSplit,
  expectCountsMatchServer,
  expectSplitMatchesServer,
  isExtensionLine,
  serverCounts,
} from './counts';
import { siteOfHost } from '../../lib/site';
import { closeFirstRunPages } from '../../scripts/first-run';

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
  /** First-run tabs the install opened and the fixture closed (one in a fresh profile). */
  firstRunPagesClosed: number;
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

/**
 * Page loads with their own marker (a port of the fixture server), each checked against the
 * server's log (tests/e2e/counts.ts). At the end of a test, a load left unchecked, or a page
 * request that reached the server without a marker, fails the test — unless its spec is one of
 * the named exclusions (EXCLUDED_SPECS).
 */
export interface Loads {
  /** A new marked load: use its url()/httpsUrl() for the page and everything it links to. */
  open(name: string): Promise<PageLoad>;
  /**
   * Another load with the same marker, whose lines are those the server gets from now on: for a
   * second visit that must hit the HTTP cache of the first (same URLs). Start it only once the
   * earlier load is checked (settled).
   */
  again(load: PageLoad, name: string): Promise<PageLoad>;
  /** The differential check of a load in the extension of this test (tests/e2e/counts.ts). */
  check(ext: ExtensionHarness, load: PageLoad, page: Page, tabId?: number): Promise<ServerCounts>;
  /**
   * The same check for a report written by the audit CLI (its own browser): totals and the
   * third-party table; cookies are not checked there (no script-write recorder in that browser).
   */
  checkReport(
    load: PageLoad,
    report: {
      url: string;
      requests: {
        total: number;
        firstParty: number;
        thirdParty: number;
        thirdPartyHosts: { host: string; requests: number }[];
      };
    },
    only?: (line: LogLine) => boolean,
  ): void;
  /**
   * The check across a soft navigation (a page opened inside a single-page app): the tab's current
   * visit and its previous one against their parts of the load's log (tests/e2e/counts.ts VisitSplit).
   */
  checkSplit(
    ext: ExtensionHarness,
    load: PageLoad,
    page: Page,
    split: VisitSplit,
    tabId: number,
  ): Promise<{ previous: ServerCounts; current: ServerCounts }>;
  /** A load whose counts this test asserts otherwise, with why (kept visible in the test). */
  skip(load: PageLoad, reason: string): void;
}

type Fixtures = { ext: ExtensionHarness; loads: Loads };

async function waitForReadyWorker(context: BrowserContext): Promise<Worker> {
  let worker = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
  worker ??= await context.waitForEvent('serviceworker');
  // The worker handle exists before main() has registered the listeners; wait for the flag it sets.
  await expect
    .poll(() => worker.evaluate(() => (globalThis as { dsaReadyAt?: number }).dsaReadyAt ?? 0))
    .toBeGreaterThan(0);
  return worker;
}

export const test = base.extend<Fixtures>({
  loads: [
    async ({ web }, use, testInfo) => {
      const startIndex = web.log.length;
      const open = new Map<PageLoad, { done: boolean }>();
      const loads: Loads = {
        async open(name) {
          const load = await web.load(name);
          open.set(load, { done: false });
          return load;
        },
        async again(earlier, name) {
          const from = web.log.length;
          const load: PageLoad = {
            ...earlier,
            name,
            lines: () => web.log.slice(from).filter((l) => l.port === earlier.port),
          };
          open.set(load, { done: false });
          return load;
        },
        async check(ext, load, page, tabId) {
          const counts = await expectCountsMatchServer(load, {
            page,
            extensionId: ext.extensionId,
            tabId: tabId ?? (await ext.tabIdOf(page)),
          });
          open.get(load)!.done = true;
          return counts;
        },
        async checkSplit(ext, load, page, split, tabId) {
          const counts = await expectSplitMatchesServer(load, { page, extensionId: ext.extensionId, tabId }, split);
          open.get(load)!.done = true;
          return counts;
        },
        checkReport(load, report, only) {
          const pageSite = siteOfHost(new URL(report.url).hostname);
          // `only`: the part of the log the report's visit covers (after a soft navigation, tests/e2e/counts.ts VisitSplit).
          const server = serverCounts(only ? load.lines().filter(only) : load.lines(), pageSite);
          const thirdParty = Object.fromEntries(
            Object.entries(server.hosts).filter(([h]) => siteOfHost(h) !== pageSite),
          );
          const reported = Object.fromEntries(
            [...report.requests.thirdPartyHosts]
              .sort((a, b) => (a.host < b.host ? -1 : 1))
              .map((h) => [h.host, h.requests]),
          );
          expect(
            {
              total: report.requests.total,
              firstParty: report.requests.firstParty,
              thirdParty: report.requests.thirdParty,
              hosts: reported,
            },
            `report of ${load.name} vs the server's log`,
          ).toEqual({
            total: server.total,
            firstParty: server.firstParty,
            thirdParty: server.thirdParty,
            hosts: thirdParty,
          });
          open.get(load)!.done = true;
        },
        skip(load, reason) {
          expect(reason.length).toBeGreaterThan(10);
          open.get(load)!.done = true;
        },
      };
      await use(loads);
      const excluded = EXCLUDED_SPECS[path.basename(testInfo.file)];
      if (excluded || testInfo.status !== testInfo.expectedStatus) return;
      const unchecked = [...open].filter(([, l]) => !l.done).map(([load]) => load.name);
      expect(unchecked, 'page loads whose counts were not checked against the server log').toEqual([]);
      const unmarked = web.log.slice(startIndex).filter((l) => l.port === web.httpPort && !isExtensionLine(l));
      expect(
        unmarked.map((l) => `${l.host}${l.path}`),
        'requests without a per-load marker (use loads.open)',
      ).toEqual([]);
    },
    { auto: true },
  ],
  ext: async ({}, use) => {
    const userDataDir = mkdtempSync(path.join(tmpdir(), 'dsa-profile-'));
    const context = await (await import('@playwright/test')).chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: chromiumArgs(EXTENSION_DIR),
    });
    // Remembers the cookies page scripts write, for the differential check (tests/e2e/counts.ts).
    await context.addInitScript(COOKIE_RECORDER);
    const worker = await waitForReadyWorker(context);
    // The first-run page of the fresh install (scripts/first-run.ts); tests/e2e/welcome.spec.ts covers it.
    const firstRunPagesClosed = await closeFirstRunPages(context);
    const extensionId = new URL(worker.url()).host;
    const cdpPage = context.pages()[0] ?? (await context.newPage());

    const harness: ExtensionHarness = {
      context,
      worker,
      extensionId,
      firstRunPagesClosed,
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
