import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.test.ts", "test/**/*.test.ts", "packages/*/test/**/*.test.ts"],
    // The end-to-end suite shares one real cloud: its files run one after another (see test/e2e).
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
