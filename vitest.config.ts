import { availableParallelism } from "node:os";
import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The browser suite needs Chromium: `npm run test:browser` (vitest.browser.config.ts).
    // Long validation runs: `npm run test:validate` (vitest.validate.config.ts).
    exclude: [...configDefaults.exclude, "test/browser/**", "test/**/*.slow.test.ts"],
    // Vitest's default is one worker fewer than the cores: one on a 2-core machine, where the
    // end-to-end tests then leave a core idle while they wait on their child processes.
    maxWorkers: Math.max(2, availableParallelism()),
    // Child processes, not threads: in-process CLI tests (test/helpers/cli.ts) change the working
    // directory for a command, which worker threads may not.
    pool: "forks",
    // Test files share a worker's loaded modules instead of loading zod, yaml and the model
    // again per file (a third less CPU); no test relies on fresh module state.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
