/**
 * The local-network guard on legal-page fetches (lib/page/fetch-guard.ts) in the real extension.
 * A public page links its imprint and privacy notice to `localhost.` and `intranet.` (a trailing
 * dot hid them from the guard before), or to a public URL that redirects to `router.local.`.
 * The fixture server's log proves the local hosts are never requested, the report and everything
 * the extension stored (IndexedDB: legal-page cache, history, snapshots) hold none of their text.
 * A public-to-public redirect on the same page is still followed (control).
 *
 * The address rule's refusal (an answer from a private/loopback IP for a page from a public IP)
 * cannot be shown here: the fixture web resolves every name to 127.0.0.1, so every page is on
 * loopback too. It is unit-tested (tests/unit/page/fetch-guard.test.ts); here only its wiring shows
 * (answers from 127.0.0.1 stay out of the shared cache). docs/security.md says so.
 */
import type { Page } from '@playwright/test';
import type { Browser } from 'wxt/browser';
import type { Report } from '@/lib/verdict/report';
import { type ExtensionHarness, expect, test } from './fixtures';

declare const chrome: typeof Browser;

/** Text only the local-network fixture pages (tests/fixtures/sites/{localhost,intranet,router.local}/) contain. */
const MARKER = 'LOKALES-GEHEIMNIS-7731';
const LOCAL_HOSTS = ['localhost', 'intranet', 'router.local'];

async function settledReport(ext: ExtensionHarness, url: string, statuses: { imprint: string; privacy: string }): Promise<{ popup: Page; report: Report }> {
  const page = await ext.context.newPage();
  await page.goto(url, { waitUntil: 'load' });
  const tabId = await ext.tabIdOf(page);
  const popup = await ext.openPopup(tabId);
  await expect(popup.getByTestId('imprint-check')).toHaveAttribute('data-status', statuses.imprint, { timeout: 20_000 });
  await expect(popup.getByTestId('privacy-check')).toHaveAttribute('data-status', statuses.privacy, { timeout: 20_000 });
  const response = (await popup.evaluate((id) => chrome.runtime.sendMessage({ type: 'get-visit', tabId: id }), tabId)) as { report: Report | null };
  if (!response.report) throw new Error('no report');
  return { popup, report: response.report };
}

/** Every record of every IndexedDB database of the extension, as one JSON string. */
const storedText = (page: Page) =>
  page.evaluate(async () => {
    const out: unknown[] = [];
    for (const info of await indexedDB.databases()) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(info.name!);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      for (const store of db.objectStoreNames)
        out.push(
          await new Promise((resolve, reject) => {
            const request = db.transaction(store).objectStore(store).getAll();
            request.onsuccess = () => resolve(request.result);
            request.onerror = () => reject(request.error);
          }),
        );
      db.close();
    }
    return JSON.stringify(out);
  });

test('links to localhost. and intranet. from a public page are never requested', async ({ ext, web }) => {
  const { popup, report } = await settledReport(ext, web.url('www.verein-beispiel.de', '/'), { imprint: 'unreachable', privacy: 'unreachable' });
  expect(report.imprint.reason).toMatch(/local-network/);
  expect(report.privacyNotice.reason).toMatch(/local-network/);
  expect(JSON.stringify(report)).not.toContain(MARKER);
  expect(web.log.filter((r) => LOCAL_HOSTS.includes(r.host))).toEqual([]);
  // The history has recorded this visit; nothing of the local pages is stored anywhere.
  await expect.poll(() => storedText(popup)).toContain('verein-beispiel.de');
  expect(await storedText(popup)).not.toContain(MARKER);
});

test('a public link that redirects to router.local. is not followed; a public redirect still is', async ({ ext, web }) => {
  const { popup, report } = await settledReport(ext, web.url('www.verein-beispiel.de', '/umleitung.html'), { imprint: 'unreachable', privacy: 'present' });
  expect(report.imprint.reason).toBe('redirected into the local network; not followed');
  // The public hop was requested, its local target never.
  expect(web.log.some((r) => r.host === 'www.verein-beispiel.de' && r.path.startsWith('/__redirect?to=http'))).toBe(true);
  expect(web.log.filter((r) => LOCAL_HOSTS.includes(r.host))).toEqual([]);
  expect(JSON.stringify(report)).not.toContain(MARKER);
  // Control: /__redirect?to=/datenschutz.html was followed hop by hop and read.
  expect(web.log.some((r) => r.host === 'www.verein-beispiel.de' && r.path === '/datenschutz.html')).toBe(true);
  expect(report.privacyNotice.elements).toMatchObject({ controller: true });
  await expect.poll(() => storedText(popup)).toContain('Verein Beispiel e. V., Vereinsweg 3');
  expect(await storedText(popup)).not.toContain(MARKER);
});

test('the address of our own fetch is known: answers from 127.0.0.1 are read, but not cached for other pages', async ({ ext, web }) => {
  // Direct links, public names: the name rule lets them through, and only the server address
  // (webRequest `details.ip` of the worker's own request) tells these answers came from loopback.
  const { popup } = await settledReport(ext, web.url('www.stadt-musterstadt.de', '/'), { imprint: 'present', privacy: 'present' });
  // Read for this page (itself on 127.0.0.1), kept out of the disk cache that serves every page,
  // which holds only answers from public addresses.
  const cached = await popup.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('datenschutz-ampel-cache');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    if (!db.objectStoreNames.contains('legal-docs')) return [];
    return new Promise<{ url: string }[]>((resolve, reject) => {
      const request = db.transaction('legal-docs').objectStore('legal-docs').getAll();
      request.onsuccess = () => resolve(request.result as { url: string }[]);
      request.onerror = () => reject(request.error);
    });
  });
  expect(cached.map((d) => d.url)).toEqual([]);
});
