import { defineConfig } from '@playwright/test';

// One worker: the machine has 2 cores and every test runs its own browser (Chromium ~435 MB,
// 11 processes). The projects run one after the other, so only one browser runs at a time.
export default defineConfig({
  testDir: 'tests/e2e',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  outputDir: 'test-results',
  projects: [
    // Playwright's own Chromium fixtures with Debian's Chromium (tests/e2e/fixtures.ts).
    { name: 'chromium', testIgnore: /tests\/e2e\/firefox\// },
    // No Playwright browser: each test launches Debian's Firefox ESR over WebDriver BiDi
    // (tests/e2e/firefox/fixtures.ts); `npm run test:firefox` runs this project alone.
    { name: 'firefox', testDir: 'tests/e2e/firefox' },
  ],
});
