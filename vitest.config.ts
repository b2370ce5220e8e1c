import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The browser suite needs Chromium: `npm run test:browser` (vitest.browser.config.ts).
    // Long validation runs: `npm run test:validate` (vitest.validate.config.ts).
    exclude: [...configDefaults.exclude, "test/browser/**", "test/**/*.slow.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
