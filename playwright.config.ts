import { defineConfig } from '@playwright/test';

// One worker: the machine has 2 cores and every test runs its own Chromium (~435 MB, 11 processes).
export default defineConfig({
  testDir: 'tests/e2e',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  outputDir: 'test-results',
});
