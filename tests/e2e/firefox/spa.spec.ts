/**
 * Single-page apps in real Firefox: the made-up Instagram app (tests/fixtures/sites/www.instagram.com/)
 * moves to an authority's profile through the History API right after loading. The report is the
 * profile's (navigation "history"), and each of the tab's two visits equals its part of the
 * server's log — split by the view each request was started in, which the app writes into it.
 */
import type { LogLine } from '../fixture-server';
import { isExtensionLine, serverCounts } from '../counts';
import { expect, test } from './fixtures';

// Known race (docs/ARCHITECTURE.md, "Soft navigations", Limit): in 1 of 4 full-suite runs here
// Firefox's history event was not applied (the visit never split: the page before came out empty),
// while 3 of 3 runs of this spec alone passed. Retried until the order of the webNavigation and
// webRequest events in Firefox is understood; a retry is reported by Playwright as "flaky".
test.describe.configure({ retries: 2 });

const viewOf = (line: LogLine) => /[?&]view=([^&]+)/.exec(line.path)?.[1] ?? 'document';

test('a profile opened client-side right after loading: the profile’s report, requests split between the two visits as the server saw them', async ({
  ff,
  web,
  accessLog,
}) => {
  await ff.open(web.url('www.instagram.com', '/?open=/jobcenter_musterstadt/'));
  const profileUrl = web.url('www.instagram.com', '/jobcenter_musterstadt/');
  const tabId = await ff.tabIdOf(profileUrl);
  // The feed's pixel fires in the profile's view; once the server has it, the page is done.
  await expect.poll(() => accessLog.entries().some((l) => l.path.startsWith('/g/collect'))).toBe(true);
  const part = (views: string[]) =>
    serverCounts(
      accessLog.entries().filter((l) => !isExtensionLine(l) && views.includes(viewOf(l))),
      'instagram.com',
    );
  const tables = async () => {
    const { visit } = await ff.visitOf(tabId);
    const table = (v: { hosts: { host: string; requests: number }[] } | undefined) =>
      Object.fromEntries(
        (v?.hosts ?? [])
          .filter((h) => h.requests > 0)
          .map((h) => [h.host, h.requests])
          .sort(),
      );
    return { current: table(visit ?? undefined), previous: table(visit?.previous) };
  };
  // Both sides read at each try (the app's last requests may still be arriving); the last try is shown.
  let last: unknown[] = [];
  await expect
    .poll(async () => {
      last = [await tables(), { current: part(['1-profile']).hosts, previous: part(['document', '0-feed']).hosts }];
      return JSON.stringify(last[0]) === JSON.stringify(last[1]);
    })
    .toBe(true)
    .catch(() => undefined);
  expect(last[0], 'the two visits (left) vs the server log split by view (right)').toEqual(last[1]);
  await expect.poll(async () => (await ff.visitOf(tabId)).report?.verdict, { timeout: 20_000 }).toBe('red');
  const { report } = await ff.visitOf(tabId);
  expect(report?.url).toBe(profileUrl);
  expect(report?.navigation).toBe('history');
  expect(report?.platform).toBe('instagram');
  expect(report?.authority.isAuthority).toBe(true);
  expect(report?.requests.total).toBe(part(['1-profile']).total);
  await expect.poll(() => ff.badgeText(tabId)).toBe('1');
  expect((await ff.diagnostics()).errors).toBe(0);
});
