import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  plugins: [WxtVitest()],
  test: {
    include: ['tests/unit/**/*.test.ts'],
    // Each file in its own process: tests/unit/helpers/cpu-time.ts measures a process's own CPU time.
    pool: 'forks',
    // Hang guards, not speed targets (those are in `npm run bench`): loading the real tracker and
    // IP data or running a property test takes seconds on a quiet machine and many times that when
    // two cores are shared with browsers and builds.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
