import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/env.ts'],
    testTimeout: 30_000,
    // CDK synth bundles every function with esbuild: slow on a busy 2-core machine.
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
