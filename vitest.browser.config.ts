import { defineConfig } from 'vitest/config';

/**
 * The browser tests of the web console (`npm run test:browser`): Chromium from the system (Debian's `chromium`
 * package) driven by playwright-core against local mode. Kept out of `npm test`, which needs no browser.
 */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.browser.ts'],
    setupFiles: ['test/support/env.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
