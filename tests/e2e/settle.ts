/**
 * Visits a fixture page in the extension's browser and waits until its verdict has settled in the
 * popup (legal pages are fetched in the background: a few seconds), then checks the load's counts
 * against the fixture server (tests/e2e/counts.ts). For specs that start from recorded visits.
 */
import type { Page } from '@playwright/test';
import { type ExtensionHarness, type Loads, expect } from './fixtures';

export async function visitAndSettle(
  ext: ExtensionHarness,
  loads: Loads,
  host: string,
  pathname: string,
  verdict: string,
): Promise<Page> {
  const page = await ext.context.newPage();
  const load = await loads.open(`${host}${pathname}`);
  await page.goto(load.httpsUrl(host, pathname), { waitUntil: 'load' });
  const popup = await ext.openPopup(await ext.tabIdOf(page));
  await expect(popup.getByTestId('verdict')).toHaveAttribute('data-verdict', verdict, { timeout: 20_000 });
  await popup.close();
  await loads.check(ext, load, page);
  return page;
}
