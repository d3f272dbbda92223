import { defineConfig } from "vitest/config";

/**
 * The browser suite (`npm run test:e2e`): the real daemon and a real Chromium (Debian's, driven by
 * playwright-core) in a phone-sized window. Kept out of `npm test`, which needs no browser.
 */
export default defineConfig({
  test: {
    root: new URL("../..", import.meta.url).pathname,
    include: ["test/e2e/**/*.e2e.ts"],
    environment: "node",
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    fileParallelism: false,
    reporters: ["default"],
  },
});
