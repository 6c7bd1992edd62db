/**
 * The accessibility scan of the e2e suite: axe-core (https://github.com/dequelabs/axe-core) through
 * @axe-core/playwright, WCAG 2.x A/AA rules, in light and dark (prefers-color-scheme emulated).
 */
import AxeBuilder from '@axe-core/playwright';
import { type Page, type TestInfo, expect } from '@playwright/test';

/**
 * The axe scan of one page in both colour schemes: serious and critical violations fail the
 * test (each listed with its rule, impact and first targets); the full result of a scheme with
 * violations is attached to the test.
 */
export async function expectAccessible(page: Page, name: string, testInfo: TestInfo, exclude: string[] = []) {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    // Legacy mode: axe gathers the frames' results inside the page instead of opening a blank tab
    // for them, which Chromium refuses while the print view's print() is pending ("Failed to open a
    // new tab"; https://github.com/dequelabs/axe-core-npm/blob/develop/packages/playwright/README.md#axebuildersetlegacymodelegacymode-boolean--true).
    // Our pages' only frame is the print view's srcdoc frame, same origin, which legacy mode covers.
    let builder = new AxeBuilder({ page })
      .setLegacyMode()
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']);
    for (const selector of exclude) builder = builder.exclude(selector);
    const result = await builder.analyze();
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    if (bad.length)
      await testInfo.attach(`axe-${name}-${colorScheme}.json`, {
        body: JSON.stringify(bad, null, 2),
        contentType: 'application/json',
      });
    expect(
      bad.map(
        (v) =>
          `${v.id} (${v.impact}): ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(' '))
            .join(' | ')}`,
      ),
      `${name}, ${colorScheme}`,
    ).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: null });
}
