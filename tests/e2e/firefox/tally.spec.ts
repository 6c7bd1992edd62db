/**
 * The tally in real Firefox, checked against ground truths Firefox and the server give us: the
 * counting page's requests against the fixture server's own access log, and the cookie page's
 * cookies against Firefox's own cookie jar (Total Cookie Protection partitions third-party cookies,
 * also those without a `Partitioned` attribute: ../shared/notes/firefox.md).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SITES_DIR } from '../fixture-server';
import { attributeOf, expect, test, testIdText } from './fixtures';

const SITE = 'www.ampel-test.de';
const expected = (name: string) => JSON.parse(readFileSync(path.join(SITES_DIR, SITE, `${name}.expect.json`), 'utf8'));

test('the counting page: every request the server received, per host, in the report and the popup', async ({
  ff,
  web,
  accessLog,
}) => {
  const url = web.url(SITE, '/counts.html');
  await ff.open(url);
  const tabId = await ff.tabIdOf(url);
  // The page's beacon and POSTs may land after `load`: wait until the server has them all.
  const want = expected('counts');
  await expect.poll(() => accessLog.entries().length).toBe(want.requests.total);

  const served = accessLog.countsByHost();
  const counted = async () => {
    const { visit } = await ff.visitOf(tabId);
    return Object.fromEntries((visit?.hosts ?? []).map((h) => [h.host, h.requests]));
  };
  await expect.poll(counted).toEqual(served);
  const { report } = await ff.visitOf(tabId);
  expect(report?.requests.total).toBe(accessLog.entries().length);
  expect(report?.requests.thirdParty).toBe(want.requests.thirdParty);
  expect(Object.fromEntries(report!.requests.thirdPartyHosts.map((h) => [h.host, h.requests]))).toEqual(
    want.thirdPartyHosts,
  );

  const popup = await ff.openPopup(tabId);
  await expect.poll(() => testIdText(popup, 'requests-total')).toBe(String(want.requests.total));
  await expect
    .poll(() => testIdText(popup, 'third-party-host-count'))
    .toBe(String(Object.keys(want.thirdPartyHosts).length));
  await expect.poll(() => ff.badgeText(tabId)).toBe(want.badge);
  // webRequest details.ip exists in Firefox too.
  expect(
    report!.requests.thirdPartyHosts.find((h) => h.host === 'connect.facebook.net')?.serverCountries,
  ).toBeDefined();
  await expect
    .poll(() => attributeOf(popup, 'tr[data-host="connect.facebook.net"]', 'data-host'))
    .toBe('connect.facebook.net');
  expect((await ff.diagnostics()).errors).toBe(0);
});

test("the cookie page: every cookie equals Firefox's own jar, partitioned ones included, none doubled or mislabelled", async ({
  ff,
  web,
}) => {
  const url = web.httpsUrl(SITE, '/cookies.html');
  const page = await ff.open(url);
  await expect.poll(() => page.evaluate(() => document.body.dataset.done ?? '')).toBe('1');
  const tabId = await ff.tabIdOf(url);
  const jar = await ff.jar();
  // The page sets six cookies; Firefox stores all six (the tracker's one partitioned, not blocked).
  expect(jar.map((c) => c.name).sort()).toEqual(['_ga', 'fp_pref', 'fp_session', 'js_cookie', 'tp_chips', 'tp_id']);

  const identity = (c: { name: string; domain: string; path: string; partition: string }) =>
    `${c.name} ${c.domain} ${c.path} ${c.partition || '-'}`;
  const fromJar = jar
    .map((c) =>
      identity({
        name: c.name,
        domain: c.hostOnly ? c.domain.replace(/^\./, '') : c.domain,
        path: c.path,
        partition: c.partitionKey?.topLevelSite ? new URL(c.partitionKey.topLevelSite).hostname : '',
      }),
    )
    .sort();
  const tallied = async () => ((await ff.visitOf(tabId)).visit?.cookies ?? []).map(identity).sort();
  await expect.poll(tallied).toEqual(fromJar);

  const { report } = await ff.visitOf(tabId);
  const items = report!.cookies.items;
  expect(items).toHaveLength(jar.length);
  for (const c of jar) {
    const item = items.find((i) => i.name === c.name);
    expect(item, c.name).toBeDefined();
    // Stored, so never "attempted only" (refused by the browser).
    expect(item!.attemptedOnly, c.name).toBe(false);
    expect(item!.session, c.name).toBe(c.session);
    expect(item!.partitioned, c.name).toBe(Boolean(c.partitionKey?.topLevelSite));
    expect(item!.thirdParty, c.name).toBe(['tp_id', 'tp_chips'].includes(c.name));
  }
  const popup = await ff.openPopup(tabId);
  await expect.poll(() => testIdText(popup, 'cookies-total')).toBe(String(jar.length));
  expect((await ff.diagnostics()).errors).toBe(0);
});
