/**
 * The fixture web as Playwright fixtures, shared by the Chromium suite (fixtures.ts) and the
 * Firefox suite (firefox/fixtures.ts): one server per worker, and a per-test view of its access log.
 */
import { test as base } from '@playwright/test';
import { type AccessLog, type FixtureServer, startFixtureServer } from './fixture-server';

export const test = base.extend<{ accessLog: AccessLog }, { web: FixtureServer }>({
  web: [
    async ({}, use) => {
      const server = await startFixtureServer();
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
  // What the fixture web received during this test (the ground truth for request counts).
  accessLog: async ({ web }, use) => use(web.accessLog()),
});
