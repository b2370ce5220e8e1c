import { defineConfig } from "vitest/config";

/**
 * The browser suite (`npm run test:browser`, run by .ci/run after `npm test`): every scenario's
 * report.html opened from disk in Debian's headless Chromium with the network blocked.
 */
export default defineConfig({
  test: {
    include: ["test/browser/**/*.browser.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
