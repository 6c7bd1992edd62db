/**
 * The local-network guard on legal-page fetches (lib/page/fetch-guard.ts) in the real extension.
 * A public page links its imprint and privacy notice to `localhost.` and `intranet.` (a trailing
 * dot hid them from the guard before), or to a public URL that redirects to `router.local.`.
 * The fixture server's log proves the local hosts are never requested, the report and everything
 * the extension stored (IndexedDB: legal-page cache, history, snapshots) hold none of their text.
 * A public-to-public redirect on the same page is still followed (control). The fetch that reads a
 * profile's linked website to learn who runs it (page-checks.ts `corroborate`) passes the same
 * guard: a linked `intranet.` site is never requested, nor a public site's `localhost.` imprint.
 *
 * The address rule's refusal (an answer from a private/loopback IP for a page from a public IP)
 * cannot be shown here: the fixture web resolves every name to 127.0.0.1, so every page is on
 * loopback too. It is unit-tested (tests/unit/page/fetch-guard.test.ts); here only its wiring shows
 * (answers from 127.0.0.1 stay out of the shared cache). docs/security.md says so.
 */
import type { Page } from '@playwright/test';
import type { Report } from '@/lib/verdict/report';
import type { PageLoad } from './fixture-server';
import { type ExtensionHarness, type Loads, expect, test } from './fixtures';
import { reportOf } from './report-of';

/** Text only the local-network fixture pages (tests/fixtures/sites/{localhost,intranet,router.local}/) contain. */
const MARKER = 'LOKALES-GEHEIMNIS-7731';
const LOCAL_HOSTS = ['localhost', 'intranet', 'router.local'];

async function settledReport(
  ext: ExtensionHarness,
  loads: Loads,
  load: PageLoad,
  url: string,
  statuses: { imprint: string; privacy: string },
): Promise<{ popup: Page; report: Report }> {
  const page = await ext.context.newPage();
  await page.goto(url, { waitUntil: 'load' });
  const tabId = await ext.tabIdOf(page);
  const popup = await ext.openPopup(tabId);
  await expect(popup.getByTestId('imprint-check')).toHaveAttribute('data-status', statuses.imprint, {
    timeout: 20_000,
  });
  await expect(popup.getByTestId('privacy-check')).toHaveAttribute('data-status', statuses.privacy, {
    timeout: 20_000,
  });
  await loads.check(ext, load, page, tabId);
  return { popup, report: await reportOf(popup, tabId) };
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

test('links to localhost. and intranet. from a public page are never requested', async ({ ext, web, loads }) => {
  const load = await loads.open('www.verein-beispiel.de/');
  const { popup, report } = await settledReport(ext, loads, load, load.url('www.verein-beispiel.de', '/'), {
    imprint: 'unreachable',
    privacy: 'unreachable',
  });
  expect(report.imprint.reason).toMatch(/local-network/);
  expect(report.privacyNotice.reason).toMatch(/local-network/);
  expect(JSON.stringify(report)).not.toContain(MARKER);
  expect(web.log.filter((r) => LOCAL_HOSTS.includes(r.host))).toEqual([]);
  // The history has recorded this visit; nothing of the local pages is stored anywhere.
  await expect.poll(() => storedText(popup)).toContain('verein-beispiel.de');
  expect(await storedText(popup)).not.toContain(MARKER);
});

test('a public link that redirects to router.local. is not followed; a public redirect still is', async ({
  ext,
  web,
  loads,
}) => {
  const load = await loads.open('www.verein-beispiel.de/umleitung.html');
  const { popup, report } = await settledReport(
    ext,
    loads,
    load,
    load.url('www.verein-beispiel.de', '/umleitung.html'),
    { imprint: 'unreachable', privacy: 'found' },
  );
  expect(report.imprint.reason).toBe('redirected into the local network; not followed');
  // The public hop was requested, its local target never.
  expect(web.log.some((r) => r.host === 'www.verein-beispiel.de' && r.path.startsWith('/__redirect?to=http'))).toBe(
    true,
  );
  expect(web.log.filter((r) => LOCAL_HOSTS.includes(r.host))).toEqual([]);
  expect(JSON.stringify(report)).not.toContain(MARKER);
  // Control: /__redirect?to=/datenschutz.html was followed hop by hop and read.
  expect(web.log.some((r) => r.host === 'www.verein-beispiel.de' && r.path === '/datenschutz.html')).toBe(true);
  expect(report.privacyNotice.elements).toMatchObject({ controller: true });
  await expect.poll(() => storedText(popup)).toContain('Verein Beispiel e. V., Vereinsweg 3');
  expect(await storedText(popup)).not.toContain(MARKER);
});

test('the address of our own fetch is known: answers from 127.0.0.1 are read, but not cached for other pages', async ({
  ext,
  loads,
}) => {
  // Direct links, public names: the name rule lets them through, and only the server address
  // (webRequest `details.ip` of the worker's own request) tells these answers came from loopback.
  const load = await loads.open('www.stadt-musterstadt.de/');
  const { popup } = await settledReport(ext, loads, load, load.url('www.stadt-musterstadt.de', '/'), {
    imprint: 'found',
    privacy: 'found',
  });
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

test("a profile's linked website is read through the guard: an intranet. site never, a public site's localhost. imprint never", async ({
  ext,
  web,
  loads,
}) => {
  const from = web.log.length;
  // Both are Jobcenters of unknown type that link no imprint of their own: who runs them is read
  // from the website they link (lib/verdict/authority.ts needsCorroboration).
  for (const [name, expected] of [
    ['/@jobcenter.intranet/', []],
    ['/@jobcenter.beispielkreis/', ['GET www.verein-beispiel.de/']],
  ] as const) {
    const load = await loads.open(`www.tiktok.com${name}`);
    const page = await ext.context.newPage();
    await page.goto(load.httpsUrl('www.tiktok.com', name), { waitUntil: 'load' });
    const tabId = await ext.tabIdOf(page);
    const popup = await ext.openPopup(tabId);
    await expect(popup.getByTestId('page-kind')).toHaveAttribute('data-platform', 'tiktok', { timeout: 20_000 });
    await loads.check(ext, load, page, tabId);
    // What the extension itself requested beyond the profile (TikTok's own hosts are the page's).
    const own = () =>
      load
        .lines()
        .filter((l) => l.host !== 'www.tiktok.com')
        .map((l) => `${l.method} ${l.host}${l.path}`);
    await expect.poll(own, { message: name }).toEqual(expected);
    // Time for a second, guarded request (the imprint link found on that website) to show up.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(own(), name).toEqual(expected);
    const report = await reportOf(popup, tabId);
    expect(report.authority.signals.map((s) => s.id)).not.toContain('linked-imprint-public-law');
    expect(JSON.stringify(report)).not.toContain(MARKER);
  }
  expect(web.log.slice(from).filter((r) => LOCAL_HOSTS.includes(r.host))).toEqual([]);
});
