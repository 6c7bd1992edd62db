/**
 * The benches that need a real browser all start Debian's headless Chromium the same way: a fresh
 * temporary profile with the built extension (.output/chrome-mv3) loaded unpacked.
 */
import { closeFirstRunPages } from '../../scripts/first-run';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, type Worker, chromium } from '@playwright/test';

export const EXTENSION_DIR = path.resolve(import.meta.dirname, '../../.output/chrome-mv3');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Why a browser bench cannot run here, or null when it can. */
export function browserBenchSkipReason(): string | null {
  if (!existsSync(path.join(EXTENSION_DIR, 'manifest.json')))
    return 'not built (.output/chrome-mv3 missing): run npm run build';
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM}`;
  return null;
}

export interface ExtensionBrowser {
  context: BrowserContext;
  userDataDir: string;
  /** The extension's service worker as first started. */
  worker: Worker;
  extensionId: string;
  close(): Promise<void>;
}

export async function launchWithExtension(
  profilePrefix: string,
  extraArgs: readonly string[] = [],
  options: { acceptDownloads?: boolean; extensionDir?: string } = {},
): Promise<ExtensionBrowser> {
  const extensionDir = options.extensionDir ?? EXTENSION_DIR;
  const { context, userDataDir, close } = await launchChromium(
    profilePrefix,
    [`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`, ...extraArgs],
    options,
  );
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  await closeFirstRunPages(context);
  return { context, userDataDir, worker, extensionId: new URL(worker.url()).host, close };
}

/** The same browser with a fresh profile: with no extension unless the arguments load one. */
export async function launchChromium(
  profilePrefix: string,
  args: readonly string[] = [],
  options: { acceptDownloads?: boolean } = {},
): Promise<{ context: BrowserContext; userDataDir: string; close(): Promise<void> }> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), profilePrefix));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    ...(options.acceptDownloads ? { acceptDownloads: true } : {}),
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', ...args],
  });
  return {
    context,
    userDataDir,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export interface PagesBrowser extends ExtensionBrowser {
  /** The loopback server's port: pages are http://<any made-up host>:<port>/… */
  port: number;
  /** The extension's tab id of the tab showing `url` (-1 when none). */
  tabIdOf(url: string): Promise<number>;
}

/**
 * Generated pages on a loopback server and the extension's browser with every hostname mapped to
 * it: `page(url, port)` answers a path with HTML (null: a 1×1 GIF for `.gif`, else a small page).
 */
export async function launchWithPages(
  profilePrefix: string,
  page: (url: string, port: number) => string | null,
  extensionDir?: string,
): Promise<PagesBrowser> {
  let port = 0;
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const html = page(url, port);
    if (html !== null) return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    if (url.endsWith('.gif'))
      return res.writeHead(200, { 'content-type': 'image/gif' }).end(Buffer.from('R0lGODlhAQABAAAAACw=', 'base64'));
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end('<!doctype html><title>x</title><p>Impressum</p>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  const browser = await launchWithExtension(
    profilePrefix,
    ['--host-resolver-rules=MAP * 127.0.0.1, EXCLUDE localhost'],
    { extensionDir },
  );
  return {
    ...browser,
    port,
    tabIdOf: (url) =>
      browser.worker.evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url === u)?.id ?? -1, url),
    close: async () => {
      await browser.close();
      server.close();
    },
  };
}

declare const chrome: { tabs: { query(q: object): Promise<{ id?: number; url?: string }[]> } };
