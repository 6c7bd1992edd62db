/**
 * The benches that need a real browser all start Debian's headless Chromium the same way: a fresh
 * temporary profile with the built extension (.output/chrome-mv3) loaded unpacked.
 */
import { closeFirstRunPages } from '../../scripts/first-run';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
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
  options: { acceptDownloads?: boolean } = {},
): Promise<ExtensionBrowser> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), profilePrefix));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    ...(options.acceptDownloads ? { acceptDownloads: true } : {}),
    args: [
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      ...extraArgs,
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  await closeFirstRunPages(context);
  return {
    context,
    userDataDir,
    worker,
    extensionId: new URL(worker.url()).host,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
