import { configDefaults, defineConfig } from "vitest/config";

/**
 * `npm run test:validate`: the long validation runs (`*.slow.test.ts`), kept out of `npm test`
 * so it stays short; CI (.ci/run) runs both.
 */
export default defineConfig({
  test: {
    include: ["test/**/*.slow.test.ts"],
    exclude: [...configDefaults.exclude, "test/browser/**"],
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
